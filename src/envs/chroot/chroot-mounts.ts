import { lstat, mkdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { MountOps } from './mounts.js';
import { MountError } from './mounts.js';

/**
 * What a chroot user mounts before entering the tree (Gentoo/Arch handbooks):
 * a fresh procfs, and the host's /dev and /sys bound in. We bind them plainly
 * (not --rbind: no /dev/pts, /dev/mqueue or cgroup submounts to chase at
 * teardown) and mark the binds rslave, so host mounts still propagate in but
 * our unmounts never propagate back out (the classic way a chroot teardown
 * unmounts the host's /dev/pts). The tree itself is first bound onto itself
 * and made private, so none of these mounts appears in other namespaces.
 */
export function chrootMountPlan(root: string): { target: string; commands: string[][] }[] {
  const r = path.resolve(root);
  return [
    { target: r, commands: [['--bind', r, r], ['--make-private', r]] },
    { target: path.join(r, 'proc'), commands: [['-t', 'proc', '-o', 'nosuid,nodev,noexec', 'proc', path.join(r, 'proc')]] },
    { target: path.join(r, 'dev'), commands: [['--bind', '/dev', path.join(r, 'dev')], ['--make-rslave', path.join(r, 'dev')]] },
    { target: path.join(r, 'sys'), commands: [['--bind', '/sys', path.join(r, 'sys')], ['--make-rslave', path.join(r, 'sys')]] },
  ];
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

/** Mounts the plan in order; on any failure unmounts what was mounted and rethrows. */
export async function setupChrootMounts(ops: MountOps, root: string): Promise<void> {
  const r = path.resolve(root);
  try {
    for (const step of chrootMountPlan(r)) {
      await ensurePlainDir(r, step.target);
      for (const cmd of step.commands) await ops.mount(cmd);
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
 * that: the caller must then NOT delete the tree (rm -r through a bound /dev
 * would delete the host's device nodes).
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
