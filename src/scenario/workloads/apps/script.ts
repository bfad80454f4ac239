import path from 'node:path';
import { APP_PATHS, APPS_IMAGE_NAME, IMAGE_PATHS } from '../../../image/types.js';
import type { BuildContext, BuiltCommand } from '../types.js';

/**
 * The application workloads run one script of the apps image through its
 * static busybox sh: `sh /isobench/apps/NAME.sh WORKDIR ARGS...`. The script
 * starts the server (if any) and the client inside the environment, on
 * loopback, in a fresh work dir under the scratch dir that it removes at the
 * end. Every path is an image path, so the host arm's argv rewriting points
 * all of them at the unpacked image.
 */
export function appScript(name: string, ctx: BuildContext, args: (string | number)[]): BuiltCommand {
  const id = ctx.uniqueId ? ctx.uniqueId.replace(/[^A-Za-z0-9_-]/g, '') : 'run';
  const workdir = path.posix.join(ctx.scratchDir || IMAGE_PATHS.scratch, `isobench-${name}-${id}`);
  return { argv: [IMAGE_PATHS.busybox, 'sh', path.posix.join(APP_PATHS.scriptsDir, `${name}.sh`), workdir, ...args.map(String)] };
}

export const APPS_IMAGE = APPS_IMAGE_NAME;
