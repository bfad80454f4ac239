import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdir, readFile, rename, writeFile, stat, chmod, copyFile, readdir, lstat } from 'node:fs/promises';
import path from 'node:path';
import type { HomePaths } from '../../core/home.js';
import type { ImageRef } from '../types.js';
import { IMAGE_PATHS } from '../types.js';
import { BenchError, HostRequirementError } from '../../core/errors.js';
import { writeCpio, type CpioEntry } from './cpio.js';
import { bootEntries, withUnpackedImage, type UnpackInto } from './initramfs.js';

const run = promisify(execFile);

/**
 * The VM's version of "image + rw layer" (optional presentation): the image's
 * layers in one read-only ext4 base disk, cached per image digest, and per VM
 * a qcow2 overlay whose backing file is that disk (created in ~20 ms, copies
 * nothing). The guest boots a small initramfs (the image's probe as /init +
 * the virtio/ext4 modules of the guest kernel), mounts /dev/vda and makes it /.
 */
export const DISK_FORMAT = 2;

/** Free space in the base filesystem for what the guest writes (sparse on the host; the writes land in the overlay). */
export const DISK_FREE_MIB = 384;

/** Modules (paths under lib/modules/<ver>/kernel) in load order: virtio-mmio block device + ext4. */
export const DISK_MODULES = [
  'drivers/virtio/virtio_ring.ko',
  'drivers/virtio/virtio.ko',
  'drivers/virtio/virtio_mmio.ko',
  'drivers/block/virtio_blk.ko',
  'lib/crc16.ko',
  'crypto/crc32c_generic.ko', // ext4 asks the crypto API for crc32c at mount even without metadata_csum
  'fs/mbcache.ko',
  'fs/jbd2/jbd2.ko',
  'fs/ext4/ext4.ko',
];

export interface BaseDisk {
  path: string;
  /** The image's probe, copied out of the image for the boot initramfs. */
  probe: string;
  size: number;
  imageDigest: string;
  cached: boolean;
}

async function treeBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) {
    const p = path.join(dir, name);
    const st = await lstat(p);
    total += st.isDirectory() ? 4096 + (await treeBytes(p)) : Math.ceil(st.size / 4096) * 4096 + 256;
  }
  return total;
}

export async function buildBaseDisk(home: HomePaths, image: ImageRef, unpack: UnpackInto): Promise<BaseDisk> {
  const dir = path.join(home.cache, 'vm', 'disk');
  const hex = image.digest.replace(/^sha256:/, '');
  const file = path.join(dir, `${hex}-f${DISK_FORMAT}.ext4`);
  const probe = path.join(dir, `${hex}-f${DISK_FORMAT}.probe`);
  const metaFile = `${file}.json`;
  try {
    const meta = JSON.parse(await readFile(metaFile, 'utf8')) as { size: number; imageDigest: string };
    if (meta.imageDigest === image.digest && (await stat(file)).size === meta.size && (await stat(probe)).isFile()) {
      return { path: file, probe, size: meta.size, imageDigest: image.digest, cached: true };
    }
  } catch { /* build it */ }
  return withUnpackedImage(dir, image, unpack, async (root, work) => {
    for (const d of ['dev', 'proc', 'sys', 'tmp']) await mkdir(path.join(root, d), { recursive: true });
    await chmod(path.join(root, 'tmp'), 0o1777);
    try { await copyFile(path.join(root, IMAGE_PATHS.probe), path.join(work, 'probe')); } catch {
      throw new BenchError('VM_IMAGE_NO_PROBE', `the image ${image.digest} has no ${IMAGE_PATHS.probe}`, { hint: 'rebuild the workload image (bench image build)' });
    }
    // Room for the files plus what the storage workloads write (fio's file, sqlite, gzip's input).
    const mib = Math.ceil((await treeBytes(root)) * 1.2 / 1048576) + DISK_FREE_MIB;
    const tmp = path.join(work, 'base.ext4');
    try {
      // A journal, as a guest's root filesystem has: fsync in the guest then
      // costs what it costs on the host's ext4. Lazy init keeps the file
      // sparse (a fresh file reads as zeros). No metadata_csum: one module less.
      await run('mkfs.ext4', ['-q', '-F', '-L', 'isobench', '-O', '^metadata_csum', '-E', 'root_owner=0:0,lazy_itable_init=1,lazy_journal_init=1', '-d', root, tmp, `${mib}M`]);
    } catch (e) {
      throw new HostRequirementError('VM_MKFS_FAILED', `mkfs.ext4 could not build the VM base disk: ${(e as Error).message}`, { hint: 'apt-get install e2fsprogs' });
    }
    await chmod(tmp, 0o444);
    await rename(path.join(work, 'probe'), probe);
    await rename(tmp, file);
    const size = (await stat(file)).size;
    await writeFile(metaFile, JSON.stringify({ size, imageDigest: image.digest, format: DISK_FORMAT }, null, 2));
    return { path: file, probe, size, imageDigest: image.digest, cached: false };
  });
}

/** Where the guest kernel's modules are: next to the downloaded kernel, else the host's /lib/modules. */
export function moduleDirCandidates(kernelSource: string, version: string): string[] {
  const pkgRoot = path.dirname(path.dirname(kernelSource));
  return [path.join(pkgRoot, 'lib', 'modules', version, 'kernel'), path.join('/lib/modules', version, 'kernel')];
}

/**
 * The disk presentation's initramfs: the image's probe as /init and the
 * modules it loads, under /modules/ (none when the kernel has virtio-blk and
 * ext4 built in, as isobench's own kernel does). Cached per (probe, kernel version).
 */
export async function buildDiskInitramfs(home: HomePaths, disk: BaseDisk, kernelSource: string, kernelVersion: string, driversBuiltIn = false): Promise<{ path: string; modules: string[] }> {
  const hex = path.basename(disk.path).split('-')[0];
  const file = path.join(home.cache, 'vm', 'disk', `${hex}-${kernelVersion}${driversBuiltIn ? '-builtin' : ''}-boot.cpio`);
  const modules = driversBuiltIn ? [] : DISK_MODULES.map((m) => `/modules/${path.basename(m)}`);
  try { if ((await stat(file)).size > 0) return { path: file, modules }; } catch { /* build */ }
  const moduleEntries: CpioEntry[] = [];
  if (!driversBuiltIn) {
    let modDir: string | undefined;
    for (const c of moduleDirCandidates(kernelSource, kernelVersion)) {
      try { await stat(path.join(c, DISK_MODULES[0]!)); modDir = c; break; } catch { /* next */ }
    }
    if (!modDir) {
      throw new HostRequirementError('VM_NO_MODULES', `the disk presentation needs the guest kernel's virtio/ext4 modules (${kernelVersion}), found in none of ${moduleDirCandidates(kernelSource, kernelVersion).join(', ')}`, { hint: 'rerun scripts/setup.d/vm-kernel.sh (it unpacks them) or use the default initramfs presentation' });
    }
    moduleEntries.push({ kind: 'dir', name: 'modules', mode: 0o755 });
    for (const m of DISK_MODULES) moduleEntries.push({ kind: 'data', name: `modules/${path.basename(m)}`, mode: 0o644, data: await readFile(path.join(modDir, m)) });
  }
  const entries: CpioEntry[] = [
    ...bootEntries(new Set(['init'])).filter((e) => e.kind === 'dir'),
    { kind: 'data', name: 'init', mode: 0o755, data: await readFile(disk.probe) },
    ...moduleEntries,
    ...bootEntries(new Set(['init', 'dev', 'proc', 'sys', 'tmp', 'root'])),
  ];
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeCpio(tmp, entries, new Map());
  await rename(tmp, file);
  return { path: file, modules };
}

/** A per-VM copy-on-write layer over the read-only base disk. */
export async function createOverlay(qemuImg: string, base: string, dest: string): Promise<void> {
  try {
    await run(qemuImg, ['create', '-q', '-f', 'qcow2', '-F', 'raw', '-b', base, dest]);
  } catch (e) {
    throw new HostRequirementError('VM_QEMU_IMG_FAILED', `qemu-img could not create the VM's overlay: ${(e as Error).message}`, { hint: 'apt-get install qemu-utils' });
  }
}
