import { execa } from 'execa';
import { BenchError, HostRequirementError } from '../../core/errors.js';
import { mountsUnder, readMountPoints } from './mountinfo.js';

/**
 * The thin seam between the chroot backend's logic and the kernel: mount(8)
 * and umount(8) calls plus a view of the mount table. The real one runs the
 * binaries; tests substitute a recording fake to check ordering and
 * failure handling, and the integration test runs the real thing as root.
 */
export interface MountOps {
  /** Runs `mount ARGS...`. */
  mount(args: string[]): Promise<void>;
  /** Runs `umount [-l] TARGET`. lazy = MNT_DETACH. */
  umount(target: string, opts?: { lazy?: boolean }): Promise<void>;
  /** Mount points at or below dir, deepest first. */
  mountsUnder(dir: string): Promise<string[]>;
  /** Runs `mknod -m MODE PATH TYPE MAJOR MINOR` (a node in the chroot's own /dev tmpfs). */
  mknod(file: string, type: 'c' | 'b', major: number, minor: number, mode: number): Promise<void>;
}

export class MountError extends BenchError {}

export const realMountOps: MountOps = {
  async mount(args) {
    const r = await execa('mount', args, { reject: false, all: true });
    if (r.failed) {
      if ((r as { code?: string }).code === 'ENOENT') throw new HostRequirementError('MOUNT_MISSING', 'mount(8) not found', { hint: 'apt-get install mount' });
      throw new MountError('MOUNT_FAILED', `mount ${args.join(' ')} failed: ${String(r.all ?? '').trim() || r.shortMessage}`, { hint: 'run as root on a kernel that allows these mounts' });
    }
  },
  async umount(target, opts = {}) {
    const r = await execa('umount', opts.lazy ? ['-l', target] : [target], { reject: false, all: true });
    if (r.failed) throw new MountError('UMOUNT_FAILED', `umount ${opts.lazy ? '-l ' : ''}${target} failed: ${String(r.all ?? '').trim() || r.shortMessage}`);
  },
  async mknod(file, type, major, minor, mode) {
    const r = await execa('mknod', ['-m', mode.toString(8), file, type, String(major), String(minor)], { reject: false, all: true });
    if (r.failed) throw new MountError('MKNOD_FAILED', `mknod ${file} failed: ${String(r.all ?? '').trim() || r.shortMessage}`, { hint: 'run as root' });
  },
  async mountsUnder(dir) {
    return mountsUnder(await readMountPoints(), dir);
  },
};
