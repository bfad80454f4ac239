import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { OciStore } from '../store/store.js';
import type { Descriptor } from '../store/oci-types.js';
import { DigestMismatchError } from '../store/errors.js';
import { isDigest, sha256Digest } from '../store/digest.js';
import type { ImageRef } from '../store/image-ref.js';
import { RegistryError } from './errors.js';
import { MAX_CONFIG_BYTES, MAX_MANIFEST_BYTES, readLimited } from './limits.js';
import { RegistryClient, responseError, type ClientOptions } from './client.js';
import { formatRemoteReference, parseRemoteReference, type RemoteReference } from './reference.js';
import { INDEX_TYPES, MANIFEST_ACCEPT, MANIFEST_TYPES, documentMediaType, hostPlatform } from './media.js';

export interface PullOptions extends ClientOptions {
  /** Local name to tag. Default: the full remote reference (host:port/name:tag), as docker does. */
  tagAs?: string;
  progress?: (line: string) => void;
}

export interface PullResult {
  reference: string;
  localName: string;
  manifestDigest: string;
  mediaType: string;
  /** Blobs downloaded now / already in the store (shared layers are stored once). */
  fetched: string[];
  present: string[];
  bytesFetched: number;
  image: ImageRef;
}


interface ManifestDoc {
  mediaType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: (Descriptor & { platform?: { os?: string; architecture?: string } })[];
}

async function getManifest(client: RegistryClient, reference: string): Promise<{ bytes: Buffer; digest: string; mediaType: string; doc: ManifestDoc }> {
  const res = await client.request(`manifests/${reference}`, { headers: { accept: MANIFEST_ACCEPT.join(', ') } });
  if (res.status !== 200) throw await responseError(res, `getting manifest ${client.registry}/${client.repository}:${reference}`);
  const bytes = await readLimited(res, MAX_MANIFEST_BYTES, `manifest ${client.registry}/${client.repository}:${reference}`);
  const digest = sha256Digest(bytes);
  // Pinned by digest: the bytes must hash to it. By tag: the registry's own digest header must agree.
  const expected = isDigest(reference) ? reference : res.headers.get('docker-content-digest');
  if (expected && expected !== digest) {
    throw new RegistryError('REGISTRY_DIGEST_MISMATCH', `manifest ${client.repository}:${reference} from ${client.registry} hashes to ${digest}, expected ${expected}`, {
      hint: 'the registry or something between us altered the manifest; do not use this image',
    });
  }
  let doc: ManifestDoc;
  try {
    doc = JSON.parse(bytes.toString('utf8')) as ManifestDoc;
  } catch (cause) {
    throw new RegistryError('REGISTRY_PROTOCOL', `manifest ${reference} is not JSON`, { cause });
  }
  return { bytes, digest, mediaType: documentMediaType(doc, res.headers.get('content-type')), doc };
}

/**
 * Passes the body through and fails as soon as more bytes arrive than the
 * descriptor announced (a hostile server cannot fill the disk). Throwing out
 * of the loop cancels the HTTP body.
 */
async function* sizeLimited(body: AsyncIterable<Uint8Array>, digest: string, size: number): AsyncGenerator<Uint8Array> {
  let seen = 0;
  for await (const chunk of body) {
    seen += chunk.length;
    if (seen > size) throw new RegistryError('REGISTRY_PROTOCOL', `blob ${digest} is longer than its descriptor's ${size} bytes`);
    yield chunk;
  }
}

async function fetchBlob(client: RegistryClient, store: OciStore, d: Descriptor): Promise<number> {
  const res = await client.request(`blobs/${d.digest}`);
  if (res.status !== 200 || !res.body) throw await responseError(res, `getting blob ${d.digest}`);
  const declared = res.headers.get('content-length');
  if (declared !== null && Number(declared) !== d.size) {
    await res.body.cancel().catch(() => undefined);
    throw new RegistryError('REGISTRY_PROTOCOL', `blob ${d.digest} is announced as ${declared} bytes, its descriptor says ${d.size}; nothing was stored`);
  }
  const body = Readable.from(sizeLimited(res.body as unknown as WebReadableStream<Uint8Array>, d.digest, d.size));
  try {
    // putBlob hashes while it writes into ingest/ and renames only when the digest matches.
    const info = await store.putBlob(body, d.digest);
    return info.size;
  } catch (err) {
    if (err instanceof DigestMismatchError) {
      throw new RegistryError('REGISTRY_DIGEST_MISMATCH', `blob ${d.digest} from ${client.registry}/${client.repository} is corrupt (received bytes hash to ${err.actual}); nothing was stored`, {
        cause: err,
        hint: 'the registry holds damaged data or something altered it in transit; re-push the image from a good copy',
      });
    }
    throw err;
  }
}

function pickPlatform(doc: ManifestDoc, ref: RemoteReference): Descriptor {
  const want = hostPlatform();
  const m = (doc.manifests ?? []).find((x) => MANIFEST_TYPES.has(x.mediaType) && x.platform?.os === want.os && x.platform?.architecture === want.architecture);
  if (!m || !isDigest(m.digest)) {
    throw new RegistryError('REGISTRY_UNSUPPORTED', `${formatRemoteReference(ref)} has no manifest for ${want.os}/${want.architecture}`);
  }
  return m;
}

/**
 * Pulls `remote` into the store: manifest (resolving an index to this
 * host's platform), then every blob the store lacks, each streamed through
 * the store's digest check; the manifest is stored and tagged last, so a
 * failed pull never leaves a name pointing at missing blobs. On failure the
 * blobs this pull added are removed again (unless something else uses them).
 */
export async function pull(store: OciStore, remote: string, opts: PullOptions = {}): Promise<PullResult> {
  const ref = parseRemoteReference(remote);
  const client = new RegistryClient(ref.registry, ref.repository, 'pull', opts);
  let m = await getManifest(client, ref.reference);
  if (INDEX_TYPES.has(m.mediaType)) m = await getManifest(client, pickPlatform(m.doc, ref).digest);
  if (!MANIFEST_TYPES.has(m.mediaType) || !m.doc.config || !Array.isArray(m.doc.layers)) {
    throw new RegistryError('REGISTRY_UNSUPPORTED', `${formatRemoteReference(ref)} has media type ${m.mediaType}; only OCI or Docker schema 2 image manifests can be stored`);
  }
  const wanted = [m.doc.config, ...m.doc.layers];
  for (const d of wanted) {
    if (!isDigest(d.digest) || !Number.isSafeInteger(d.size) || d.size < 0) {
      throw new RegistryError('REGISTRY_PROTOCOL', `manifest ${m.digest} has a bad descriptor ${JSON.stringify(d)}`);
    }
  }
  if (m.doc.config.size > MAX_CONFIG_BYTES) {
    throw new RegistryError('REGISTRY_TOO_LARGE', `${formatRemoteReference(ref)} has a ${m.doc.config.size}-byte image config, over the ${MAX_CONFIG_BYTES}-byte limit; nothing was fetched`, {
      hint: 'an image config is JSON of a few KiB; this image is malformed or hostile',
    });
  }
  const fetched: string[] = [];
  const present: string[] = [];
  let bytesFetched = 0;
  try {
    for (const d of wanted) {
      if (present.includes(d.digest) || fetched.includes(d.digest)) continue;
      if (await store.hasBlob(d.digest)) {
        present.push(d.digest);
        continue;
      }
      bytesFetched += await fetchBlob(client, store, d);
      fetched.push(d.digest);
      opts.progress?.(`blob ${d.digest.slice(7, 19)} pulled (${d.size} bytes)`);
    }
    await store.putBlob(m.bytes, m.digest);
  } catch (err) {
    await dropUnreferenced(store, fetched);
    throw err;
  }
  const localName = opts.tagAs ?? formatRemoteReference(ref);
  await store.tag(localName, m.digest);
  return {
    reference: formatRemoteReference(ref),
    localName,
    manifestDigest: m.digest,
    mediaType: m.mediaType,
    fetched,
    present,
    bytesFetched,
    image: await store.resolve(localName),
  };
}

async function dropUnreferenced(store: OciStore, digests: string[]): Promise<void> {
  if (digests.length === 0) return;
  const used = await store.reachableFrom((await store.readIndex()).manifests.map((d) => d.digest));
  for (const d of digests) if (!used.has(d)) await store.blobs.remove(d);
}
