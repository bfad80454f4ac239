import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PassThrough } from 'node:stream';
import tar from 'tar-stream';
import type { ImageRef } from './image-ref.js';
import type { OciStore } from './store.js';
import { StoreError } from './errors.js';
import { ConfigError } from '../../core/errors.js';
import { isDigest } from './digest.js';
import { normalizeRef } from './reference.js';
import { MEDIA_TYPES, OCI_LAYOUT, REF_NAME_ANNOTATION, type Descriptor, type OciIndex } from './oci-types.js';
import { parseIndex, parseManifest } from './documents.js';
import { openTar, readHead } from './tar-source.js';

const FIXED_MTIME = new Date(0);
const MAX_JSON = 4 * 1024 * 1024;

/**
 * Writes `name` as an OCI archive: a tar of an image layout holding just that
 * image (oci-layout, index.json, its blobs). Entries are sorted with fixed
 * mtimes so the same image always gives the same archive bytes. Every blob is
 * verified as it is copied. Written to a temp file and renamed into place.
 */
export async function exportArchive(store: OciStore, name: string, tarPath: string): Promise<{ digest: string; blobs: number; bytes: number }> {
  const desc = await store.lookup(name);
  const manifest = parseManifest(await store.readBlob(desc.digest), desc.digest);
  const ref = isDigest(name) ? undefined : normalizeRef(name);
  const index: OciIndex = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.index,
    manifests: [{ mediaType: desc.mediaType, digest: desc.digest, size: desc.size, ...(ref ? { annotations: { [REF_NAME_ANNOTATION]: ref } } : {}) }],
  };
  const blobs = [...new Set([desc.digest, manifest.config.digest, ...manifest.layers.map((l) => l.digest)])].sort();

  const out = path.resolve(tarPath);
  const tmp = `${out}.${process.pid}.tmp`;
  const pack = tar.pack();
  const writing = pipeline(pack, fs.createWriteStream(tmp, { mode: 0o644 }));
  let bytes = 0;
  try {
    const dir = (n: string) => new Promise<void>((res, rej) => pack.entry({ name: n, type: 'directory', mode: 0o755, mtime: FIXED_MTIME, uid: 0, gid: 0 }, (e) => (e ? rej(e) : res())));
    const file = (n: string, data: Buffer) => new Promise<void>((res, rej) => pack.entry({ name: n, mode: 0o644, mtime: FIXED_MTIME, uid: 0, gid: 0 }, data, (e) => (e ? rej(e) : res())));
    await dir('blobs/');
    await dir('blobs/sha256/');
    for (const d of blobs) {
      const { stream, size } = await store.blobs.open(d);
      bytes += size;
      await new Promise<void>((res, rej) => {
        const entry = pack.entry({ name: `blobs/sha256/${d.slice(7)}`, size, mode: 0o644, mtime: FIXED_MTIME, uid: 0, gid: 0 }, (e) => (e ? rej(e) : res()));
        stream.on('error', (e) => { entry.destroy(e); rej(e); });
        stream.pipe(entry);
      });
    }
    await file('index.json', Buffer.from(JSON.stringify(index)));
    await file('oci-layout', Buffer.from(JSON.stringify(OCI_LAYOUT)));
    pack.finalize();
    await writing;
    await fsp.rename(tmp, out);
  } catch (err) {
    pack.destroy();
    await writing.catch(() => undefined);
    await fsp.rm(tmp, { force: true });
    throw err;
  }
  return { digest: desc.digest, blobs: blobs.length, bytes };
}

function invalid(tarPath: string, what: string, cause?: unknown): StoreError {
  return new StoreError('STORE_ARCHIVE_INVALID', `${tarPath}: ${what}`, {
    cause,
    hint: 'the archive is corrupt or not an OCI archive (bench image export / skopeo oci-archive); nothing was imported',
  });
}

async function readSmall(entry: AsyncIterable<unknown>, limit: number, what: string, tarPath: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of entry) {
    n += (c as Buffer).length;
    if (n > limit) throw invalid(tarPath, `${what} is larger than ${limit} bytes`);
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Imports every named image of an OCI archive. Blob entries are written by
 * digest only (never by the entry's path) and verified on write; the index
 * is checked for completeness (every manifest, config and layer present with
 * the declared size) before any name is tagged. On any failure the blobs this
 * import added are deleted again: nothing is half-imported.
 * `name` overrides the name of a single-image archive (required when the
 * archive carries no org.opencontainers.image.ref.name).
 */
export async function importArchive(store: OciStore, tarPath: string, opts: { name?: string } = {}): Promise<ImageRef[]> {
  const added: string[] = [];
  // Opened (and its absence reported) before any stream exists: a read stream's open error would have no listener yet.
  const head = await readHead(tarPath).catch((e: NodeJS.ErrnoException) => {
    throw new ConfigError('ARCHIVE_UNREADABLE', `cannot open ${tarPath}: ${e.code ?? e.message}`, { hint: e.code === 'ENOENT' ? 'no such file: check the path of the archive' : 'check the path and its permissions' });
  });
  try {
    let layout: Buffer | undefined;
    let indexBuf: Buffer | undefined;
    const { extract, feeding } = openTar(tarPath, head);
    try {
      for await (const entry of extract) {
        const h = entry.header;
        const name = h.name.replace(/^(\.\/)+/, '');
        if (h.type === 'directory' && ['', 'blobs/', 'blobs/sha256/', 'blobs', 'blobs/sha256'].includes(name)) {
          entry.resume();
          continue;
        }
        if (h.type !== 'file' && h.type !== 'contiguous-file') throw invalid(tarPath, `unexpected ${h.type} entry ${JSON.stringify(h.name)}`);
        if (name === 'oci-layout') layout = await readSmall(entry, 4096, 'oci-layout', tarPath);
        else if (name === 'index.json') indexBuf = await readSmall(entry, MAX_JSON, 'index.json', tarPath);
        else if (/^blobs\/sha256\/[0-9a-f]{64}$/.test(name)) {
          const digest = `sha256:${name.slice(13)}`;
          const had = await store.hasBlob(digest);
          // putBlob hashes while writing and refuses bytes that do not match the entry's name.
          await store.putBlob(entry.pipe(new PassThrough()), digest).catch((e: unknown) => {
            throw invalid(tarPath, (e as Error).message, e);
          });
          if (!had) added.push(digest);
        } else if (name === 'manifest.json' || name === 'repositories') {
          entry.resume(); // docker-save metadata some tools add beside the layout: not needed
        } else {
          throw invalid(tarPath, `unexpected entry ${JSON.stringify(h.name)} (an OCI archive holds oci-layout, index.json and blobs/sha256/<hex>)`);
        }
      }
    } catch (err) {
      // The entry loop's error says what is wrong; the feeding side then only reports "premature close".
      extract.destroy();
      await feeding.catch(() => undefined);
      throw err;
    }
    await feeding.catch((e: unknown) => { throw invalid(tarPath, `unreadable tar: ${(e as Error).message}`, e); });
    if (!layout) throw invalid(tarPath, 'no oci-layout file');
    let layoutVersion: unknown;
    try { layoutVersion = (JSON.parse(layout.toString('utf8')) as { imageLayoutVersion?: unknown }).imageLayoutVersion; } catch { /* reported below */ }
    if (layoutVersion !== OCI_LAYOUT.imageLayoutVersion) throw invalid(tarPath, `unsupported oci-layout ${layout.toString('utf8').slice(0, 80)}`);
    if (!indexBuf) throw invalid(tarPath, 'no index.json');
    let index: OciIndex;
    try { index = parseIndex(indexBuf, 'index.json'); } catch (e) { throw invalid(tarPath, (e as Error).message, e); }
    if (index.manifests.length === 0) throw invalid(tarPath, 'index.json lists no image');
    if (opts.name !== undefined && index.manifests.length !== 1) throw invalid(tarPath, `--name given but the archive holds ${index.manifests.length} images`);

    const toTag: { ref: string; desc: Descriptor }[] = [];
    for (const desc of index.manifests) {
      await checkComplete(store, desc, tarPath);
      const annotated = desc.annotations?.[REF_NAME_ANNOTATION];
      const ref = opts.name ?? annotated;
      if (ref === undefined) throw invalid(tarPath, `image ${desc.digest} has no ${REF_NAME_ANNOTATION}; give it a name (--name)`);
      toTag.push({ ref: normalizeRef(ref), desc });
    }
    const refs: ImageRef[] = [];
    for (const t of toTag) {
      await store.tag(t.ref, t.desc.digest);
      refs.push(await store.resolve(t.ref));
    }
    return refs;
  } catch (err) {
    for (const d of added) await store.blobs.remove(d);
    if (err instanceof StoreError) throw err;
    throw invalid(tarPath, (err as Error).message, err);
  }
}

/** Every blob the manifest needs is in the store, verified, with the declared size. */
async function checkComplete(store: OciStore, desc: Descriptor, tarPath: string): Promise<void> {
  const need = async (d: Descriptor, what: string) => {
    if (!(await store.hasBlob(d.digest))) throw invalid(tarPath, `${what} ${d.digest} is missing from the archive`);
    const size = await store.verifyBlob(d.digest);
    if (size !== d.size) throw invalid(tarPath, `${what} ${d.digest} is ${size} bytes, its descriptor says ${d.size}`);
  };
  await need(desc, 'manifest');
  const manifest = parseManifest(await store.readBlob(desc.digest), desc.digest);
  await need(manifest.config, 'config');
  for (const l of manifest.layers) await need(l, 'layer');
}
