import { describe, it, expect } from 'vitest';
import { mkdtemp, rm, mkdir, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setupChrootMounts, teardownChrootMounts, parseMountPoints, mountsUnder, type MountOps } from '../../../src/envs/chroot/index.js';

/** Records calls and keeps a mount table like the kernel would (for what the plan does). */
class FakeMounts implements MountOps {
  calls: string[] = [];
  table: string[] = [];
  failMountOn?: string;
  busy = new Set<string>();
  stuck = new Set<string>();

  async mount(args: string[]) {
    this.calls.push(`mount ${args.join(' ')}`);
    const target = args[args.length - 1]!;
    if (this.failMountOn && target === this.failMountOn && !args[0]!.startsWith('--make')) throw new Error(`cannot mount ${target}`);
    if (!args[0]!.startsWith('--make') && !args.includes('remount,bind,ro')) this.table.push(target);
  }
  async umount(target: string, opts: { lazy?: boolean } = {}) {
    this.calls.push(`umount${opts.lazy ? ' -l' : ''} ${target}`);
    if (this.stuck.has(target)) throw new Error('stuck');
    if (!opts.lazy && this.busy.has(target)) throw new Error('busy');
    const i = this.table.lastIndexOf(target);
    if (i >= 0) this.table.splice(i, 1);
  }
  async mountsUnder(dir: string) {
    return mountsUnder(this.table, dir);
  }
  async mknod(file: string, type: 'c' | 'b', major: number, minor: number, mode: number) {
    this.calls.push(`mknod ${file} ${type} ${major}:${minor} ${mode.toString(8)}`);
  }
}

async function tempRoot() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'isobench-mounts-'));
  return { root: path.join(dir, 'root'), dispose: () => rm(dir, { recursive: true, force: true }) };
}

describe('chroot mount logic (recording fake)', () => {
  it('binds the tree privately, then a read-only proc, a /dev of its own, a read-only sys, recording each first; unmounts in reverse', async () => {
    const { root, dispose } = await tempRoot();
    try {
      await mkdir(root);
      const ops = new FakeMounts();
      const recorded: string[] = [];
      await setupChrootMounts(ops, root, (e) => {
        if (e.kind === 'mount') {
          recorded.push(e.target);
          // Recorded BEFORE the mount exists.
          expect(ops.table).not.toContain(e.target);
        }
      });
      expect(ops.calls.filter((c) => c.startsWith('mount'))).toEqual([
        `mount --bind ${root} ${root}`,
        `mount --make-private ${root}`,
        `mount -t proc -o ro,nosuid,nodev,noexec proc ${root}/proc`,
        `mount -t tmpfs -o nosuid,strictatime,mode=755,size=65536k isobench-dev ${root}/dev`,
        `mount -t devpts -o nosuid,noexec,newinstance,ptmxmode=0666,mode=0620 devpts ${root}/dev/pts`,
        `mount -t tmpfs -o nosuid,nodev,noexec,mode=1777,size=65536k shm ${root}/dev/shm`,
        `mount -t sysfs -o ro,nosuid,nodev,noexec sysfs ${root}/sys`,
      ]);
      // Never a bind of a host path other than the tree itself.
      expect(ops.calls.some((c) => / --bind \/(dev|sys|proc) /.test(c))).toBe(false);
      expect(ops.calls.filter((c) => c.startsWith('mknod')).map((c) => c.split(' ')[1])).toEqual(
        ['null', 'zero', 'full', 'random', 'urandom', 'tty'].map((n) => `${root}/dev/${n}`));
      expect(recorded).toEqual([root, `${root}/proc`, `${root}/dev`, `${root}/dev/pts`, `${root}/dev/shm`, `${root}/sys`]);
      ops.calls = [];
      await teardownChrootMounts(ops, root);
      expect(ops.calls).toEqual([`umount ${root}/sys`, `umount ${root}/dev/shm`, `umount ${root}/dev/pts`, `umount ${root}/dev`, `umount ${root}/proc`, `umount ${root}`]);
      expect(ops.table).toEqual([]);
    } finally {
      await dispose();
    }
  });

  it('falls back to a lazy detach for a busy mount', async () => {
    const { root, dispose } = await tempRoot();
    try {
      await mkdir(root);
      const ops = new FakeMounts();
      await setupChrootMounts(ops, root);
      ops.busy.add(`${root}/dev`);
      ops.calls = [];
      await teardownChrootMounts(ops, root);
      expect(ops.calls).toContain(`umount -l ${root}/dev`);
      expect(ops.table).toEqual([]);
    } finally {
      await dispose();
    }
  });

  it('throws (so the caller will not delete the tree) when something stays mounted', async () => {
    const { root, dispose } = await tempRoot();
    try {
      await mkdir(root);
      const ops = new FakeMounts();
      await setupChrootMounts(ops, root);
      ops.stuck.add(`${root}/dev`);
      await expect(teardownChrootMounts(ops, root)).rejects.toMatchObject({ code: 'CHROOT_MOUNTS_LEFT' });
    } finally {
      await dispose();
    }
  });

  it('rolls back what it mounted when a later mount fails', async () => {
    const { root, dispose } = await tempRoot();
    try {
      await mkdir(root);
      const ops = new FakeMounts();
      ops.failMountOn = `${root}/dev`;
      await expect(setupChrootMounts(ops, root)).rejects.toThrow('cannot mount');
      expect(ops.table).toEqual([]);
      expect(ops.calls.slice(-2)).toEqual([`umount ${root}/proc`, `umount ${root}`]);
    } finally {
      await dispose();
    }
  });

  it('refuses to mount through a symlink the image planted', async () => {
    const { root, dispose } = await tempRoot();
    try {
      await mkdir(root);
      await mkdir(path.join(root, '..', 'elsewhere'));
      await symlink('../elsewhere', path.join(root, 'dev'));
      const ops = new FakeMounts();
      await expect(setupChrootMounts(ops, root)).rejects.toMatchObject({ code: 'CHROOT_UNSAFE_MOUNTPOINT' });
      expect(ops.calls.some((c) => c.includes('/dev /') || c.endsWith('elsewhere'))).toBe(false);
      expect(ops.table).toEqual([]);
    } finally {
      await dispose();
    }
  });
});

describe('mountinfo parsing', () => {
  it('reads mount points with octal escapes and orders those under a dir deepest first', () => {
    const text = [
      '22 1 8:1 / / rw shared:1 - ext4 /dev/sda1 rw',
      '30 22 0:5 / /a/b\\040c rw - tmpfs tmpfs rw',
      '31 30 0:6 / /a/b\\040c/proc rw - proc proc rw',
      '32 22 0:7 / /a/bx rw - tmpfs tmpfs rw',
    ].join('\n');
    const points = parseMountPoints(text);
    expect(points).toEqual(['/', '/a/b c', '/a/b c/proc', '/a/bx']);
    expect(mountsUnder(points, '/a/b c')).toEqual(['/a/b c/proc', '/a/b c']);
  });
});
