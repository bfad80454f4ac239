import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Availability, Environment, Prepared, Running, WorkloadInvocation, WorkloadOutput } from '../types.js';
import type { EnvContext } from '../context.js';
import type { ImageRef } from '../../image/types.js';
import { IMAGE_PATHS } from '../../image/types.js';
import { BenchError } from '../../core/errors.js';
import { launchTimed, timerPath } from '../launch.js';
import { BASE_ENV, defaultUnpack, unpackRootfs, type UnpackFn } from '../image-rootfs.js';
import { TimedEnvironment } from '../base.js';
import { mapArgv } from './path-map.js';

export interface HostPrepared extends Prepared {
  readonly rootfs: string;
  readonly libraryPath: string;
}

/** Library dirs of the image, searched before the host's so the image's copies are loaded. */
const LIB_DIRS = ['lib/x86_64-linux-gnu', 'usr/lib/x86_64-linux-gnu', 'lib64', 'lib', 'usr/lib'];

/**
 * The baseline: the image's own binaries run straight on the host, no chroot,
 * no namespace. "Same image" must hold here too, so we unpack the image and
 * run <rootfs>/isobench/probe and <rootfs>/usr/bin/sysbench (argv paths are
 * rewritten to the unpacked copy). The probe and busybox are static. sysbench
 * is dynamic: it runs through the host's ELF interpreter (a Debian ld.so of
 * the same release the image's libraries were copied from), with
 * LD_LIBRARY_PATH pointing at the image's library dirs so the image's copies
 * of the libraries are the ones loaded. Running the image's ld.so explicitly
 * would change argv[0] and /proc/self/exe for the workload, which the chroot
 * and container arms do not see; the difference is the loader's bytes only.
 */
export class HostEnvironment extends TimedEnvironment {
  readonly name = 'host';
  readonly kind = 'host' as const;
  /** prepare() unpacks into this backend's own run dir and nothing else. */
  readonly independentPrepare = true;
  private readonly dir: string;

  constructor(private readonly ctx: EnvContext, private readonly unpack: UnpackFn = defaultUnpack(ctx.home)) {
    super();
    this.dir = path.join(ctx.home.runs, ctx.runId, 'host');
  }

  async available(): Promise<Availability> {
    if (!existsSync(timerPath(this.ctx.nativeDir))) {
      return { ok: false, reason: `${timerPath(this.ctx.nativeDir)} is missing: run \`npm run build\`` };
    }
    return { ok: true, description: 'bare host (baseline): the image\'s binaries run from an unpacked copy, no isolation' };
  }

  async prepare(image: ImageRef): Promise<HostPrepared> {
    const rootfs = path.join(this.dir, 'rootfs');
    await unpackRootfs(this.unpack, image, rootfs);
    const probe = path.join(rootfs, IMAGE_PATHS.probe);
    if (!existsSync(probe)) throw new BenchError('ENV_IMAGE_INCOMPLETE', `the image has no ${IMAGE_PATHS.probe}`, { hint: 'rebuild the workload image (bench image build)' });
    const libraryPath = LIB_DIRS.map((d) => path.join(rootfs, d)).filter(hasSharedObjects).join(':');
    return { env: this.name, imageDigest: image.digest, rootfs, libraryPath };
  }

  async start(p: Prepared, w: WorkloadInvocation): Promise<Running> {
    const hp = p as HostPrepared;
    const argv = [path.join(hp.rootfs, IMAGE_PATHS.probe), 'ready', w.token, '--', ...hostArgv(w.argv, hp.rootfs)];
    const env: Record<string, string> = { ...BASE_ENV, ...w.env };
    if (hp.libraryPath) env.LD_LIBRARY_PATH = hp.libraryPath;
    return this.runs.track(launchTimed(this.ctx.nativeDir, argv, {
      token: w.token,
      timeoutMs: w.timeoutMs,
      env,
      cwd: path.join(hp.rootfs, IMAGE_PATHS.scratch),
    }));
  }

  /** After the runs were killed (TimedEnvironment.cleanup): the scratch dir. */
  protected async teardown(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

/**
 * A user's command (`probe exec ... -- PROGRAM`) resolves its program, PATH
 * and working directory inside the unpacked image through --prefix: its
 * arguments are the user's and are left alone. Every other argv has its
 * image paths rewritten.
 */
export function hostArgv(argv: string[], rootfs: string): string[] {
  if (argv[0] === IMAGE_PATHS.probe && argv[1] === 'exec') {
    return [path.join(rootfs, IMAGE_PATHS.probe), 'exec', '--prefix', rootfs, ...argv.slice(2)];
  }
  return mapArgv(argv, rootfs);
}

function hasSharedObjects(dir: string): boolean {
  try {
    return readdirSync(dir).some((f) => f.includes('.so'));
  } catch {
    return false;
  }
}
