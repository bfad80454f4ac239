import path from 'node:path';
import { IMAGE_PATHS } from '../../image/types.js';

/**
 * Image paths the host arm rewrites to the unpacked copy: the image's
 * programs (probe, busybox, sysbench) and its scratch dir. Only these
 * prefixes, so /dev/null or /proc/... in an argv keep meaning the host's.
 */
const MAPPED_PREFIXES = ['/isobench', IMAGE_PATHS.busybox, IMAGE_PATHS.sysbench, IMAGE_PATHS.scratch, '/usr/lib', '/lib'];

function mapPath(p: string, rootfs: string): string {
  for (const prefix of MAPPED_PREFIXES) {
    if (p === prefix || p.startsWith(`${prefix}/`)) return path.join(rootfs, p);
  }
  return p;
}

/** Rewrites image paths in an argv (also in `--opt=/path` form) to paths under rootfs. */
export function mapArgv(argv: string[], rootfs: string): string[] {
  return argv.map((arg) => {
    if (arg.startsWith('/')) return mapPath(arg, rootfs);
    const eq = arg.indexOf('=/');
    if (eq > 0) return `${arg.slice(0, eq + 1)}${mapPath(arg.slice(eq + 1), rootfs)}`;
    return arg;
  });
}
