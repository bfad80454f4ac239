import fsp from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';
import type { HomePaths } from '../../core/home.js';
import type { ImageLayerRef, ImageRef } from '../store/image-ref.js';
import { OciStore } from '../store/store.js';
import { isDigest } from '../store/digest.js';
import type { ExtractStats } from './extract.js';
import { LayerError } from './errors.js';

export interface SnapshotOptions {
  nativeDir?: string;
  log?: (line: string) => void;
}

/** Directory of one layer's snapshot: <snapshots>/<hex of diffId (or blob digest)>. */
export function snapshotDir(home: Pick<HomePaths, 'snapshots'>, layer: ImageLayerRef): string {
  const id = isDigest(layer.diffId) ? layer.diffId : layer.digest;
  return path.join(home.snapshots, id.slice('sha256:'.length));
}

/**
 * Extracts every layer of `image` once into its snapshot directory and
 * returns the directories TOP-MOST FIRST (overlayfs lowerdir order).
 * A snapshot is extracted into a temp dir next to it and renamed into place,
 * so the final name exists only when complete (that rename is the completion
 * marker; a sidecar <hex>.json records its provenance). Two processes racing
 * on one layer both extract; the loser's rename fails and it drops its copy.
 * Snapshots are shared by every container and never written after this.
 */
export async function ensureSnapshots(home: HomePaths, image: ImageRef, opts: SnapshotOptions = {}): Promise<string[]> {
  await fsp.mkdir(home.snapshots, { recursive: true, mode: 0o700 });
  const store = new OciStore(image.storeRoot);
  const dirs: string[] = [];
  for (const layer of image.layers) {
    const dir = snapshotDir(home, layer);
    if (!(await isDir(dir))) await extractSnapshot(store, layer, dir, opts);
    dirs.push(dir);
  }
  return topMostOnce(dirs.reverse());
}

/**
 * An image may carry one layer twice (a tool that adds the same layer on top
 * again; identical layers from two build steps). overlayfs refuses a lower dir
 * listed twice (ELOOP), and a layer's second application over the first adds
 * nothing: every file, whiteout and opaque dir it has is already there from
 * its top-most copy. So each dir stays once, where it is highest.
 */
export function topMostOnce(topFirst: readonly string[]): string[] {
  return [...new Set(topFirst)];
}

async function isDir(p: string): Promise<boolean> {
  return (await fsp.lstat(p).catch(() => undefined))?.isDirectory() ?? false;
}

async function extractSnapshot(store: OciStore, layer: ImageLayerRef, dir: string, opts: SnapshotOptions): Promise<void> {
  const tmp = `${path.dirname(dir)}/.tmp-${path.basename(dir).slice(0, 16)}-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  await fsp.mkdir(tmp, { mode: 0o755 });
  const t0 = performance.now();
  let stats: ExtractStats;
  try {
    // The tar code loads only when a layer is first extracted, not on every container start.
    const [stream, { extractLayer }] = await Promise.all([store.getBlob(layer.digest), import('./extract.js')]);
    stats = await extractLayer(stream, tmp, {
      whiteouts: 'overlay',
      expectDiffId: isDigest(layer.diffId) ? layer.diffId : undefined,
      nativeDir: opts.nativeDir,
    });
    await fsp.rename(tmp, dir);
  } catch (err) {
    await fsp.rm(tmp, { recursive: true, force: true });
    // Lost a race with another extractor of the same layer: theirs is complete.
    if (['ENOTEMPTY', 'EEXIST'].includes((err as NodeJS.ErrnoException).code ?? '') && (await isDir(dir))) return;
    if (err instanceof LayerError) throw err;
    throw err;
  }
  const ms = Math.round(performance.now() - t0);
  opts.log?.(`snapshot ${path.basename(dir).slice(0, 12)}: ${stats.entries} entries, ${stats.bytes} bytes in ${ms} ms`);
  const meta = { digest: layer.digest, diffId: stats.diffId, mediaType: layer.mediaType, size: layer.size, entries: stats.entries, bytes: stats.bytes, extractedAt: new Date().toISOString() };
  await fsp.writeFile(`${dir}.json`, JSON.stringify(meta, null, 2) + '\n');
}

/**
 * Removes snapshot directories whose layer is not in `keep` (diffIds or
 * digests) and that no live container stacks (`inUse`: absolute snapshot
 * dirs, e.g. the overlay lower dirs of running containers). Returns removed dirs.
 */
export async function pruneSnapshots(home: HomePaths, keep: Iterable<ImageLayerRef>, inUse: Iterable<string> = []): Promise<string[]> {
  const wanted = new Set([...keep].map((l) => path.basename(snapshotDir(home, l))));
  for (const d of inUse) if (path.dirname(path.resolve(d)) === path.resolve(home.snapshots)) wanted.add(path.basename(d));
  const removed: string[] = [];
  for (const name of await fsp.readdir(home.snapshots).catch(() => [] as string[])) {
    const base = name.endsWith('.json') ? name.slice(0, -5) : name;
    if (!/^[0-9a-f]{64}$/.test(base) || wanted.has(base)) continue;
    await fsp.rm(path.join(home.snapshots, name), { recursive: true, force: true });
    if (!name.endsWith('.json')) removed.push(path.join(home.snapshots, name));
  }
  return removed;
}
