import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { ImageRef } from './image-ref.js';
import type { OciStore } from './store.js';
import { StoreError } from './errors.js';
import { normalizeRef } from './reference.js';
import { MEDIA_TYPES, type Descriptor, type OciManifest } from './oci-types.js';
import { parseConfig } from './documents.js';
import { importArchive } from './archive.js';
import { openTar, readHead } from './tar-source.js';

/** The archive layouts `importImageArchive` understands, for error messages. */
export const SUPPORTED_ARCHIVES =
  'an OCI image layout archive (oci-layout + index.json + blobs/sha256/; `bench image export`, `podman save --format oci-archive`, `skopeo copy oci-archive:`) ' +
  'or a `docker save` archive (manifest.json + <id>/layer.tar + <id>.json), either plain or gzip-compressed';

export type ArchiveFormat = 'oci' | 'docker';

export interface ImportedArchive {
  images: ImageRef[];
  format: ArchiveFormat;
  /** docker save only: the Docker image ID (sha256 of the config) of each image, in the order of `images`. */
  dockerImageIds?: string[];
}

const MAX_JSON = 4 * 1024 * 1024;

function unsupported(tarPath: string, what: string, cause?: unknown): StoreError {
  return new StoreError('STORE_ARCHIVE_UNSUPPORTED', `${tarPath}: ${what}`, {
    cause,
    hint: `supported: ${SUPPORTED_ARCHIVES}; nothing was imported`,
  });
}

function invalid(tarPath: string, what: string, cause?: unknown): StoreError {
  return new StoreError('STORE_ARCHIVE_INVALID', `${tarPath}: ${what}`, {
    cause,
    hint: 'the docker save archive is corrupt or incomplete; save it again (docker save -o FILE IMAGE); nothing was imported',
  });
}

const clean = (n: string): string => n.replace(/^(\.\/)+/, '').replace(/\/+$/, '');

/** Which layout an archive has, from its entry names alone (one pass, bodies skipped). */
export async function sniffArchive(tarPath: string): Promise<ArchiveFormat> {
  let st: fs.Stats;
  try {
    st = await fsp.stat(tarPath);
  } catch (err) {
    throw new StoreError('STORE_ARCHIVE_MISSING', `${tarPath}: no such file`, { cause: err, hint: 'give the path of an image archive, a name in the store, or a registry reference' });
  }
  if (!st.isFile()) throw unsupported(tarPath, 'not a regular file');
  const names = new Set<string>();
  const { extract, feeding } = openTar(tarPath, await readHead(tarPath));
  try {
    for await (const entry of extract) {
      names.add(clean(entry.header.name));
      entry.resume();
    }
    await feeding;
  } catch (err) {
    extract.destroy();
    await feeding.catch(() => undefined);
    throw unsupported(tarPath, `not a tar archive (${(err as Error).message})`, err);
  }
  if (names.has('oci-layout') && names.has('index.json')) return 'oci';
  if (names.has('manifest.json')) return 'docker';
  const sample = [...names].slice(0, 5).map((n) => JSON.stringify(n)).join(', ');
  throw unsupported(tarPath, `unsupported archive layout (no oci-layout/index.json and no manifest.json; first entries: ${sample || 'none'})`);
}

/** Imports an OCI or a docker save archive, whichever it is. */
export async function importImageArchive(store: OciStore, tarPath: string, opts: { name?: string } = {}): Promise<ImportedArchive> {
  const format = await sniffArchive(tarPath);
  if (format === 'oci') return { format, images: await importArchive(store, tarPath, opts) };
  return importDockerArchive(store, tarPath, opts);
}

interface DockerManifestEntry { Config: string; RepoTags?: string[] | null; Layers: string[] }

/**
 * Converts a `docker save` archive (Docker's legacy layout) to OCI in the
 * store. The layer tars are stored byte for byte as uncompressed OCI layers
 * (so their digests equal the config's diff_ids and nothing of the user's
 * layers is rewritten), the config is stored unchanged (its digest stays the
 * Docker image ID), and a new OCI manifest references both. Layer entries
 * may be symlinks to another layer's tar (docker dedups identical layers).
 */
export async function importDockerArchive(store: OciStore, tarPath: string, opts: { name?: string } = {}): Promise<ImportedArchive> {
  const added: string[] = [];
  const files = new Map<string, { digest: string; size: number }>();
  const links = new Map<string, string>();
  const small = new Map<string, Buffer>();
  const { extract, feeding } = openTar(tarPath, await readHead(tarPath));
  try {
    try {
      for await (const entry of extract) {
        const h = entry.header;
        const name = clean(h.name);
        if (h.type === 'symlink' && h.linkname) {
          links.set(name, path.posix.normalize(path.posix.join(path.posix.dirname(name), h.linkname)));
          entry.resume();
        } else if ((h.type === 'file' || h.type === 'contiguous-file') && name.endsWith('.tar')) {
          const info = await store.putBlob(entry.pipe(new PassThrough()));
          added.push(info.digest);
          files.set(name, { digest: info.digest, size: info.size });
        } else if ((h.type === 'file' || h.type === 'contiguous-file') && name.endsWith('.json') && (h.size ?? 0) <= MAX_JSON) {
          const chunks: Buffer[] = [];
          for await (const c of entry) chunks.push(c as Buffer);
          small.set(name, Buffer.concat(chunks));
        } else {
          entry.resume();
        }
      }
    } catch (err) {
      extract.destroy();
      await feeding.catch(() => undefined);
      throw err;
    }
    await feeding.catch((e: unknown) => { throw invalid(tarPath, `unreadable tar: ${(e as Error).message}`, e); });

    const manifestText = small.get('manifest.json');
    if (!manifestText) throw unsupported(tarPath, 'no manifest.json');
    let entries: DockerManifestEntry[];
    try {
      entries = JSON.parse(manifestText.toString('utf8')) as DockerManifestEntry[];
    } catch (e) {
      throw invalid(tarPath, `manifest.json is not JSON: ${(e as Error).message}`, e);
    }
    if (!Array.isArray(entries) || entries.length === 0) throw invalid(tarPath, 'manifest.json lists no image');
    if (opts.name !== undefined && entries.length !== 1) throw invalid(tarPath, `a name was given but the archive holds ${entries.length} images`);

    const resolveLayer = (p: string): { digest: string; size: number } | undefined => {
      let cur = clean(p);
      for (let i = 0; i < 16; i++) {
        const f = files.get(cur);
        if (f) return f;
        const next = links.get(cur);
        if (!next) return undefined;
        cur = next;
      }
      return undefined;
    };

    const toTag: { ref: string; digest: string; imageId: string }[] = [];
    for (const [i, e] of entries.entries()) {
      if (typeof e?.Config !== 'string' || !Array.isArray(e.Layers)) throw invalid(tarPath, `manifest.json entry ${i} has no Config or Layers`);
      const configBuf = small.get(clean(e.Config));
      if (!configBuf) throw invalid(tarPath, `the config ${e.Config} named by manifest.json is missing`);
      const configInfo = await store.putBlob(configBuf);
      added.push(configInfo.digest);
      const config = parseConfig(configBuf, configInfo.digest);
      const layers: Descriptor[] = [];
      for (const [j, lp] of e.Layers.entries()) {
        const l = resolveLayer(lp);
        if (!l) throw invalid(tarPath, `layer ${lp} named by manifest.json is missing`);
        // The layer tar is the uncompressed diff: its digest must be the config's diff_id.
        if (config.rootfs.diff_ids[j] !== l.digest) {
          throw invalid(tarPath, `layer ${lp} hashes to ${l.digest} but the config's diff_ids[${j}] is ${config.rootfs.diff_ids[j] ?? 'missing'}`);
        }
        layers.push({ mediaType: MEDIA_TYPES.layerTar, digest: l.digest, size: l.size });
      }
      if (layers.length !== config.rootfs.diff_ids.length) throw invalid(tarPath, `${layers.length} layers but ${config.rootfs.diff_ids.length} diff_ids in the config`);
      const manifest: OciManifest = {
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.manifest,
        // The Docker config is stored unchanged; OCI readers accept its JSON under the OCI media type.
        config: { mediaType: MEDIA_TYPES.config, digest: configInfo.digest, size: configInfo.size },
        layers,
        annotations: { 'org.isobench.source': 'docker-save', 'org.isobench.docker.image-id': configInfo.digest },
      };
      const desc = await store.putManifest(manifest);
      added.push(desc.digest);
      const tag = opts.name ?? e.RepoTags?.[0];
      if (!tag) throw invalid(tarPath, `image ${configInfo.digest} has no RepoTags; give it a name`);
      toTag.push({ ref: normalizeRef(tag), digest: desc.digest, imageId: configInfo.digest });
    }
    const images: ImageRef[] = [];
    for (const t of toTag) {
      await store.tag(t.ref, t.digest);
      images.push(await store.resolve(t.ref));
    }
    return { format: 'docker', images, dockerImageIds: toTag.map((t) => t.imageId) };
  } catch (err) {
    // Only blobs no image references yet are removed: a store gc would do the same.
    const keep = await store.reachableFrom((await store.list()).map((s) => s.digest)).catch(() => new Set<string>());
    for (const d of added) if (!keep.has(d)) await store.blobs.remove(d).catch(() => undefined);
    if (err instanceof StoreError) throw err;
    throw invalid(tarPath, (err as Error).message, err);
  }
}
