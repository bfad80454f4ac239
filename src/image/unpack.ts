import fsp from 'node:fs/promises';
import path from 'node:path';
import type { HomePaths } from '../core/home.js';
import { NATIVE_DIR } from '../core/version.js';
import { BenchError } from '../core/errors.js';
import { OciStore, isDigest } from '../engine/store/index.js';
import { extractLayer } from '../engine/layers/index.js';
import type { ImageRef } from './types.js';

/**
 * The chroot presentation: every layer applied in order into one plain
 * directory with the same safe extractor as the snapshots, whiteouts applied
 * as deletions. Each layer blob is verified before its first byte is used and
 * its uncompressed tar checked against the config's diff_id. `destDir` must
 * be empty or absent (it is never merged into an existing tree).
 * `home` is unused today: the image names its own store; kept for symmetry
 * with ensureSnapshots and for a future per-home unpack cache.
 */
export async function unpackImage(home: HomePaths, image: ImageRef, destDir: string, opts: { nativeDir?: string } = {}): Promise<{ entries: number; bytes: number }> {
  void home;
  const dest = path.resolve(destDir);
  await fsp.mkdir(dest, { recursive: true });
  const existing = await fsp.readdir(dest);
  if (existing.length > 0) {
    throw new BenchError('IMAGE_UNPACK_NOT_EMPTY', `${dest} is not empty (${existing.slice(0, 3).join(', ')}…)`, {
      hint: 'unpack into a fresh directory',
    });
  }
  await fsp.chmod(dest, 0o755);
  const store = new OciStore(image.storeRoot);
  let entries = 0;
  let bytes = 0;
  for (const layer of image.layers) {
    const stream = await store.getBlob(layer.digest);
    const s = await extractLayer(stream, dest, {
      whiteouts: 'apply',
      expectDiffId: isDigest(layer.diffId) ? layer.diffId : undefined,
      nativeDir: opts.nativeDir ?? NATIVE_DIR,
    });
    entries += s.entries;
    bytes += s.bytes;
  }
  return { entries, bytes };
}
