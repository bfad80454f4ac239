import { mkdir, readFile, rename, rm, writeFile, mkdtemp, stat } from 'node:fs/promises';
import path from 'node:path';
import type { HomePaths } from '../../core/home.js';
import type { ImageRef } from '../types.js';
import { IMAGE_PATHS } from '../types.js';
import { BenchError } from '../../core/errors.js';
import { treeEntries, writeCpio, type CpioEntry } from './cpio.js';

/**
 * Bumped whenever what we add to the image's files changes (the /init link,
 * the mount points, /dev/console): part of the cache key next to the image
 * digest, so an old archive is never booted with a new layout.
 */
export const INITRAMFS_FORMAT = 1;

/** Writes the image's layers, in order, into an empty directory (src/image's unpackImage). */
export type UnpackInto = (image: ImageRef, destDir: string) => Promise<void>;

export interface Initramfs {
  path: string;
  sha256: string;
  size: number;
  imageDigest: string;
  /** True when this call found it in the cache. */
  cached: boolean;
}

interface Meta { sha256: string; size: number; imageDigest: string; format: number }

export function initramfsCacheDir(home: HomePaths): string {
  return path.join(home.cache, 'vm', 'initramfs');
}

/**
 * Entries added on top of the image so the kernel can run it as an initramfs:
 * the mount points the guest init uses, /dev/console (the kernel opens it for
 * PID 1's stdio before any devtmpfs exists) and /init -> the image's probe
 * (a symlink: the image's bytes stay the image's bytes).
 */
export function bootEntries(present: Set<string>): CpioEntry[] {
  const out: CpioEntry[] = [];
  for (const d of ['dev', 'proc', 'sys', 'tmp', 'root']) {
    if (!present.has(d)) out.push({ kind: 'dir', name: d, mode: d === 'tmp' ? 0o1777 : 0o755 });
  }
  if (!present.has('dev/console')) out.push({ kind: 'chardev', name: 'dev/console', mode: 0o600, major: 5, minor: 1 });
  if (!present.has('init')) out.push({ kind: 'symlink', name: 'init', target: IMAGE_PATHS.probe });
  return out;
}

/**
 * Unpacks the image into a scratch `.build-*` dir inside `dir` (so the
 * builder's results rename into `dir` on the same filesystem), runs
 * build(root, work) and removes the scratch whatever happens. Shared by the
 * initramfs and the base disk builders.
 */
export async function withUnpackedImage<T>(dir: string, image: ImageRef, unpack: UnpackInto, build: (root: string, work: string) => Promise<T>): Promise<T> {
  await mkdir(dir, { recursive: true });
  const work = await mkdtemp(path.join(dir, '.build-'));
  try {
    const root = path.join(work, 'root');
    await mkdir(root);
    await unpack(image, root);
    return await build(root, work);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * The image's layers flattened into one uncompressed newc cpio (compression
 * would make an emulated guest spend its boot decompressing), cached per
 * image digest and INITRAMFS_FORMAT. Untimed: called from prepare().
 */
export async function buildInitramfs(home: HomePaths, image: ImageRef, unpack: UnpackInto): Promise<Initramfs> {
  const dir = initramfsCacheDir(home);
  const hex = image.digest.replace(/^sha256:/, '');
  const file = path.join(dir, `${hex}-f${INITRAMFS_FORMAT}.cpio`);
  const metaFile = `${file}.json`;
  try {
    const meta = JSON.parse(await readFile(metaFile, 'utf8')) as Meta;
    const st = await stat(file);
    if (meta.imageDigest === image.digest && meta.format === INITRAMFS_FORMAT && st.size === meta.size) {
      return { path: file, sha256: meta.sha256, size: meta.size, imageDigest: image.digest, cached: true };
    }
  } catch { /* not cached yet */ }

  return withUnpackedImage(dir, image, unpack, async (root, work) => {
    const { entries, linkCounts } = await treeEntries(root);
    const names = new Set(entries.map((e) => e.name));
    if (!names.has(IMAGE_PATHS.probe.slice(1))) {
      throw new BenchError('VM_IMAGE_NO_PROBE', `the image ${image.name} (${image.digest}) has no ${IMAGE_PATHS.probe}, which the VM boots as /init`, { hint: 'rebuild the workload image (bench image build)' });
    }
    // Our additions first: mount points must exist before anything lands in them.
    const all = [...bootEntries(names).filter((e) => e.kind === 'dir'), ...entries, ...bootEntries(names).filter((e) => e.kind !== 'dir')];
    const tmp = path.join(work, 'initramfs.cpio');
    const { sha256, size } = await writeCpio(tmp, all, linkCounts);
    await rename(tmp, file);
    const meta: Meta = { sha256, size, imageDigest: image.digest, format: INITRAMFS_FORMAT };
    await writeFile(metaFile, JSON.stringify(meta, null, 2));
    return { path: file, sha256, size, imageDigest: image.digest, cached: false };
  });
}
