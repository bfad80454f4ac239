import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { ImageRef } from './image-ref.js';
import { BlobFiles, type BlobInfo, type BlobInput } from './blobs.js';
import { StoreError } from './errors.js';
import { isDigest, parseDigest, type Digest } from './digest.js';
import { withFileLock } from './lock.js';
import { normalizeRef } from './reference.js';
import {
  MEDIA_TYPES, OCI_LAYOUT, REF_NAME_ANNOTATION,
  type Descriptor, type OciImageConfig, type OciIndex, type OciManifest,
} from './oci-types.js';
import { toImageRef, parseManifest, parseConfig, parseIndex } from './documents.js';
import { compareStrings } from '../../core/compare.js';

export interface StoredImage {
  name: string;
  digest: Digest;
  /** Size of the manifest blob. */
  manifestSize: number;
}

/**
 * An OCI image layout on disk (oci-layout, index.json, blobs/sha256/<hex>).
 * Every byte handed out is verified against its digest; index.json changes
 * are serialized by a lock file and written by atomic rename.
 */
export class OciStore {
  readonly blobs: BlobFiles;

  constructor(readonly root: string) {
    this.blobs = new BlobFiles(root);
  }

  private get indexPath(): string {
    return path.join(this.root, 'index.json');
  }

  /** Creates the layout if missing; refuses a directory holding another layout version. */
  async init(): Promise<void> {
    await fsp.mkdir(path.join(this.root, 'blobs', 'sha256'), { recursive: true });
    const layoutFile = path.join(this.root, 'oci-layout');
    try {
      const layout = JSON.parse(await fsp.readFile(layoutFile, 'utf8')) as { imageLayoutVersion?: unknown };
      if (layout.imageLayoutVersion !== OCI_LAYOUT.imageLayoutVersion) {
        throw new StoreError('STORE_INVALID_LAYOUT', `${layoutFile}: unsupported imageLayoutVersion ${String(layout.imageLayoutVersion)}`);
      }
    } catch (err) {
      if (err instanceof StoreError) throw err;
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new StoreError('STORE_INVALID_LAYOUT', `${layoutFile} is unreadable: ${(err as Error).message}`, { cause: err });
      }
      await writeAtomic(layoutFile, JSON.stringify(OCI_LAYOUT));
    }
    try {
      await fsp.access(this.indexPath);
    } catch {
      await withFileLock(this.indexPath + '.lock', async () => {
        try {
          await fsp.access(this.indexPath);
        } catch {
          await writeAtomic(this.indexPath, JSON.stringify(emptyIndex()));
        }
      });
    }
  }

  // ---- blobs -------------------------------------------------------------

  putBlob(input: BlobInput, expectedDigest?: string): Promise<BlobInfo> {
    return this.blobs.put(input, expectedDigest);
  }

  /** Verified stream of a blob (see BlobFiles.open). */
  async getBlob(digest: string): Promise<Readable> {
    return (await this.blobs.open(digest)).stream;
  }

  readBlob(digest: string): Promise<Buffer> {
    return this.blobs.read(digest);
  }

  hasBlob(digest: string): Promise<boolean> {
    return this.blobs.has(digest);
  }

  verifyBlob(digest: string): Promise<number> {
    return this.blobs.verify(digest);
  }

  blobPath(digest: string): string {
    return this.blobs.pathOf(digest);
  }

  /** Stores a JSON document exactly as serialized here (the digest covers these bytes). */
  async putJson(doc: unknown, mediaType: string): Promise<Descriptor> {
    const info = await this.putBlob(Buffer.from(JSON.stringify(doc)));
    return { mediaType, digest: info.digest, size: info.size };
  }

  putManifest(manifest: OciManifest): Promise<Descriptor> {
    return this.putJson(manifest, manifest.mediaType ?? MEDIA_TYPES.manifest);
  }

  putConfig(config: OciImageConfig): Promise<Descriptor> {
    return this.putJson(config, MEDIA_TYPES.config);
  }

  async readManifest(digest: string): Promise<OciManifest> {
    return parseManifest(await this.readBlob(digest), digest);
  }

  async readConfig(digest: string): Promise<OciImageConfig> {
    return parseConfig(await this.readBlob(digest), digest);
  }

  // ---- index / names -----------------------------------------------------

  async readIndex(): Promise<OciIndex> {
    let text: string;
    try {
      text = await fsp.readFile(this.indexPath, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyIndex();
      throw new StoreError('STORE_INVALID_LAYOUT', `cannot read ${this.indexPath}: ${(err as Error).message}`, { cause: err });
    }
    return parseIndex(Buffer.from(text), this.indexPath);
  }

  /** Points `name` (name[:tag]) at a manifest already in the store, replacing any previous target. */
  async tag(name: string, manifestDigest: string): Promise<Descriptor> {
    const ref = normalizeRef(name);
    parseDigest(manifestDigest);
    const buf = await this.readBlob(manifestDigest);
    const manifest = parseManifest(buf, manifestDigest);
    const desc: Descriptor = {
      mediaType: manifest.mediaType ?? MEDIA_TYPES.manifest,
      digest: manifestDigest,
      size: buf.length,
      annotations: { [REF_NAME_ANNOTATION]: ref },
    };
    await this.updateIndex((index) => {
      index.manifests = index.manifests.filter((d) => d.annotations?.[REF_NAME_ANNOTATION] !== ref);
      index.manifests.push(desc);
    });
    return desc;
  }

  /** Removes the name; returns the manifest digest it pointed to, or undefined if unknown. */
  async untag(name: string): Promise<string | undefined> {
    const ref = normalizeRef(name);
    let found: string | undefined;
    await this.updateIndex((index) => {
      const keep: Descriptor[] = [];
      for (const d of index.manifests) {
        if (d.annotations?.[REF_NAME_ANNOTATION] === ref) found = d.digest;
        else keep.push(d);
      }
      index.manifests = keep;
    });
    return found;
  }

  async list(): Promise<StoredImage[]> {
    const index = await this.readIndex();
    const out: StoredImage[] = [];
    for (const d of index.manifests) {
      const name = d.annotations?.[REF_NAME_ANNOTATION];
      if (name !== undefined && isDigest(d.digest)) out.push({ name, digest: d.digest, manifestSize: d.size });
    }
    return out.sort((a, b) => compareStrings(a.name, b.name));
  }

  /** The manifest descriptor `name` points to (or a digest given directly). */
  async lookup(name: string): Promise<Descriptor> {
    if (isDigest(name)) {
      const size = await this.blobs.size(name);
      return { mediaType: MEDIA_TYPES.manifest, digest: name, size };
    }
    const ref = normalizeRef(name);
    const index = await this.readIndex();
    const d = index.manifests.find((m) => m.annotations?.[REF_NAME_ANNOTATION] === ref);
    if (!d) {
      throw new StoreError('STORE_IMAGE_NOT_FOUND', `no image ${ref} in the store at ${this.root}`, {
        hint: 'list images with `bench image ls`; build, import or pull it first',
      });
    }
    return d;
  }

  /** Name (or manifest digest) -> ImageRef, reading and verifying manifest and config. */
  async resolve(name: string): Promise<ImageRef> {
    const desc = await this.lookup(name);
    const manifest = await this.readManifest(desc.digest);
    const config = await this.readConfig(manifest.config.digest);
    const display = isDigest(name) ? name : normalizeRef(name);
    return toImageRef(display, desc.digest, manifest, config, this.root);
  }

  /** Untags `name` and deletes the blobs only it referenced. */
  async remove(name: string): Promise<{ manifest: string; removedBlobs: string[] }> {
    const manifestDigest = await this.untag(name);
    if (manifestDigest === undefined) {
      throw new StoreError('STORE_IMAGE_NOT_FOUND', `no image ${normalizeRef(name)} in the store at ${this.root}`, {
        hint: 'list images with `bench image ls`',
      });
    }
    const own = await this.reachableFrom([manifestDigest]);
    const kept = await this.reachableFrom((await this.readIndex()).manifests.map((d) => d.digest));
    const removed: string[] = [];
    for (const d of own) {
      if (!kept.has(d)) {
        await this.blobs.remove(d);
        removed.push(d);
      }
    }
    return { manifest: manifestDigest, removedBlobs: removed };
  }

  /**
   * Deletes blobs no index entry reaches, and stale ingest files. Blobs
   * younger than graceMs are kept: another process may be between writing
   * its layers and tagging the manifest.
   */
  async gc(opts: { graceMs?: number } = {}): Promise<string[]> {
    const graceMs = opts.graceMs ?? 10 * 60_000;
    const now = Date.now();
    const kept = await this.reachableFrom((await this.readIndex()).manifests.map((d) => d.digest));
    const removed: string[] = [];
    for (const d of await this.blobs.list()) {
      if (kept.has(d)) continue;
      const st = await fsp.stat(this.blobs.pathOf(d)).catch(() => undefined);
      if (!st || now - st.mtimeMs < graceMs) continue;
      await this.blobs.remove(d);
      removed.push(d);
    }
    const ingest = path.join(this.root, 'ingest');
    for (const f of await fsp.readdir(ingest).catch(() => [] as string[])) {
      const st = await fsp.stat(path.join(ingest, f)).catch(() => undefined);
      if (st && now - st.mtimeMs >= Math.max(graceMs, 60_000)) await fsp.rm(path.join(ingest, f), { force: true });
    }
    return removed;
  }

  /** OCI archive of one image (see archive.ts). */
  exportArchive(name: string, tarPath: string): Promise<{ digest: string; blobs: number; bytes: number }> {
    return import('./archive.js').then((m) => m.exportArchive(this, name, tarPath));
  }

  /** Imports an OCI archive, verifying every blob; all or nothing (see archive.ts). */
  importArchive(tarPath: string, opts: { name?: string } = {}): Promise<ImageRef[]> {
    // The tar code loads only for archives: `bench ctr run` resolves images without it.
    return import('./archive.js').then((m) => m.importArchive(this, tarPath, opts));
  }

  /** Digests of every blob reachable from these manifests/indexes (missing blobs are skipped). */
  async reachableFrom(roots: string[]): Promise<Set<string>> {
    const seen = new Set<string>();
    const queue = [...roots];
    while (queue.length > 0) {
      const d = queue.pop()!;
      if (seen.has(d) || !isDigest(d)) continue;
      seen.add(d);
      let doc: { mediaType?: string; config?: Descriptor; layers?: Descriptor[]; manifests?: Descriptor[] };
      try {
        doc = JSON.parse((await this.readBlob(d)).toString('utf8')) as typeof doc;
      } catch {
        continue; // missing or corrupt: keep what we can reach, gc must not abort
      }
      if (doc.config) seen.add(doc.config.digest);
      for (const l of doc.layers ?? []) seen.add(l.digest);
      for (const m of doc.manifests ?? []) queue.push(m.digest);
    }
    return seen;
  }

  private async updateIndex(mutate: (index: OciIndex) => void): Promise<void> {
    await withFileLock(this.indexPath + '.lock', async () => {
      const index = await this.readIndex();
      mutate(index);
      index.manifests.sort((a, b) =>
        compareStrings(a.annotations?.[REF_NAME_ANNOTATION] ?? a.digest, b.annotations?.[REF_NAME_ANNOTATION] ?? b.digest));
      await writeAtomic(this.indexPath, JSON.stringify(index, null, 2) + '\n');
    });
  }
}

export function emptyIndex(): OciIndex {
  return { schemaVersion: 2, mediaType: MEDIA_TYPES.index, manifests: [] };
}

async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await fsp.writeFile(tmp, text);
    await fsp.rename(tmp, file);
  } catch (err) {
    // Disk full mid-write: no partial temp stays in the store.
    await fsp.rm(tmp, { force: true }).catch(() => {});
    throw err;
  }
}

/** Opens (creating if needed) the OCI layout at `root`. */
export async function openStore(root: string): Promise<OciStore> {
  const store = new OciStore(path.resolve(root));
  await store.init();
  return store;
}
