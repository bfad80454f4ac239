import { lstat, mkdir, realpath, symlink } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_DEVICES } from '../../engine/index.js';
import type { LedgerEntry } from '../../core/run-ledger.js';
import type { MountOps } from './mounts.js';
import { MountError } from './mounts.js';

/** One step of the plan: a mount point and the mount(8) calls that make it, plus what goes in it afterwards. */
export interface ChrootMountStep {
  target: string;
  /** What the ledger records: the fs type or bind source. */
  source: string;
  commands: string[][];
  /** Fills the fresh mount (device nodes, symlinks), then any nested steps. */
  populate?: 'dev';
}

/**
 * What a chroot user needs inside the tree, made so that NOTHING mounted
 * under the home is a writable view of a host path: a recursive delete of
 * a killed run's tree (rm -rf of the home) must never reach the host.
 * - /proc: a fresh procfs, read-only from the first instant (a procfs
 *   mount has a superblock of its own; a later remount would leave a window
 *   in which a SIGKILL leaves it writable).
 * - /dev: a tmpfs of its own with the nodes the container gets (null, zero,
 *   full, random, urandom, tty), the fd/std* symlinks, a new devpts
 *   instance and a tmpfs /dev/shm; not a bind of the host's /dev.
 * - /sys: a fresh sysfs mounted read-only in one step: the flag is the
 *   mount's (MNT_READONLY); the host's sysfs superblock stays as it is.
 * The tree itself is first bound onto itself and made private, so none of
 * these mounts appears in other namespaces, and none propagates back out.
 */
export function chrootMountPlan(root: string): ChrootMountStep[] {
  const r = path.resolve(root);
  const p = (rel: string): string => path.join(r, rel);
  return [
    { target: r, source: r, commands: [['--bind', r, r], ['--make-private', r]] },
    { target: p('proc'), source: 'proc', commands: [['-t', 'proc', '-o', 'ro,nosuid,nodev,noexec', 'proc', p('proc')]] },
    { target: p('dev'), source: 'tmpfs', commands: [['-t', 'tmpfs', '-o', 'nosuid,strictatime,mode=755,size=65536k', 'isobench-dev', p('dev')]], populate: 'dev' },
    { target: p('dev/pts'), source: 'devpts', commands: [['-t', 'devpts', '-o', 'nosuid,noexec,newinstance,ptmxmode=0666,mode=0620', 'devpts', p('dev/pts')]] },
    { target: p('dev/shm'), source: 'tmpfs', commands: [['-t', 'tmpfs', '-o', 'nosuid,nodev,noexec,mode=1777,size=65536k', 'shm', p('dev/shm')]] },
    { target: p('sys'), source: 'sysfs', commands: [['-t', 'sysfs', '-o', 'ro,nosuid,nodev,noexec', 'sysfs', p('sys')]] },
  ];
}

/** The symlinks every /dev has (as the container's shim makes them). */
const DEV_LINKS: readonly [string, string][] = [
  ['/proc/self/fd', 'fd'], ['/proc/self/fd/0', 'stdin'], ['/proc/self/fd/1', 'stdout'], ['/proc/self/fd/2', 'stderr'], ['pts/ptmx', 'ptmx'],
];

async function populateDev(ops: MountOps, dev: string): Promise<void> {
  for (const d of DEFAULT_DEVICES) await ops.mknod(path.join(dev, d.name), d.type, d.major, d.minor, d.mode);
  for (const [to, name] of DEV_LINKS) await symlink(to, path.join(dev, name));
}

/**
 * A mount point inside the tree must be a real directory of the tree: an
 * image could ship /dev as a symlink to a host path, and mounting through it
 * would mount over the host's own directory.
 */
async function ensurePlainDir(root: string, target: string): Promise<void> {
  await mkdir(target, { recursive: true });
  const st = await lstat(target);
  const real = await realpath(target);
  if (!st.isDirectory() || real !== target || !(real === root || real.startsWith(`${root}/`))) {
    throw new MountError('CHROOT_UNSAFE_MOUNTPOINT', `refusing to mount on ${target}: not a plain directory inside ${root}`, { hint: 'the image must not make /proc, /dev or /sys symlinks' });
  }
}

/**
 * Mounts the plan in order; each mount is recorded (record) BEFORE it is
 * made, so a SIGKILL between the two leaves a ledger that names it. On any
 * failure unmounts what was mounted and rethrows.
 */
export async function setupChrootMounts(ops: MountOps, root: string, record: (e: LedgerEntry) => void = () => {}): Promise<void> {
  const r = path.resolve(root);
  try {
    for (const step of chrootMountPlan(r)) {
      await ensurePlainDir(r, step.target);
      record({ kind: 'mount', target: step.target, source: step.source });
      for (const cmd of step.commands) await ops.mount(cmd);
      if (step.populate === 'dev') await populateDev(ops, step.target);
    }
  } catch (err) {
    await teardownChrootMounts(ops, r).catch(() => {});
    throw err;
  }
}

/**
 * Unmounts everything at or below root, deepest first, as the mount table
 * shows it (so mounts that propagated in are included). A busy mount is
 * detached lazily (MNT_DETACH). Throws if anything is still mounted after
 * that: the caller must then NOT delete the tree.
 */
export async function teardownChrootMounts(ops: MountOps, root: string): Promise<void> {
  const r = path.resolve(root);
  for (const target of await ops.mountsUnder(r)) {
    try {
      await ops.umount(target);
    } catch {
      await ops.umount(target, { lazy: true }).catch(() => {});
    }
  }
  const left = await ops.mountsUnder(r);
  if (left.length > 0) {
    throw new MountError('CHROOT_MOUNTS_LEFT', `still mounted after teardown: ${left.join(', ')}`, { hint: `unmount them by hand (umount -l) before deleting ${r}` });
  }
}
