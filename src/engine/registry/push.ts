import type { OciStore } from '../store/store.js';
import type { Descriptor } from '../store/oci-types.js';
import { sha256Digest } from '../store/digest.js';
import { RegistryError } from './errors.js';
import { RegistryClient, responseError, type ClientOptions } from './client.js';
import { formatRemoteReference, parseRemoteReference } from './reference.js';
import { blobExists, uploadBlob, type UploadMode } from './upload.js';
import { INDEX_TYPES, documentMediaType } from './media.js';

export interface PushOptions extends ClientOptions {
  /** Blob upload style. Default 'monolithic'. */
  upload?: UploadMode;
  /** Chunk size of a chunked upload, bytes. Default 4 MiB. */
  chunkBytes?: number;
  progress?: (line: string) => void;
}

export interface PushedBlob {
  digest: string;
  size: number;
  /** The registry had it already (HEAD 200): not uploaded. */
  skipped: boolean;
  chunks: number;
}

export interface PushResult {
  reference: string;
  manifestDigest: string;
  mediaType: string;
  blobs: PushedBlob[];
  uploaded: number;
  skipped: number;
  bytesUploaded: number;
}

/**
 * Pushes the local image `localName` to `remote` (host[:port]/name[:tag]):
 * every config/layer blob the registry lacks (HEAD first), then the manifest
 * bytes exactly as stored, so the remote manifest digest equals the local one.
 */
export async function push(store: OciStore, localName: string, remote: string, opts: PushOptions = {}): Promise<PushResult> {
  const ref = parseRemoteReference(remote);
  if (ref.reference.startsWith('sha256:')) {
    throw new RegistryError('REGISTRY_BAD_REFERENCE', `cannot push to a digest reference (${remote})`, { hint: 'push to a tag: host:port/name:tag' });
  }
  const client = new RegistryClient(ref.registry, ref.repository, 'pull,push', opts);
  const desc = await store.lookup(localName);
  const bytes = await store.readBlob(desc.digest);
  const doc = JSON.parse(bytes.toString('utf8')) as { mediaType?: string; config?: Descriptor; layers?: Descriptor[]; manifests?: unknown };
  const mediaType = documentMediaType(doc, desc.mediaType);
  if (INDEX_TYPES.has(mediaType) || !doc.config || !Array.isArray(doc.layers)) {
    throw new RegistryError('REGISTRY_UNSUPPORTED', `${localName} is not a single-platform image manifest (${mediaType})`);
  }
  const blobs: PushedBlob[] = [];
  let bytesUploaded = 0;
  for (const d of [doc.config, ...doc.layers]) {
    if (await blobExists(client, d.digest)) {
      blobs.push({ digest: d.digest, size: d.size, skipped: true, chunks: 0 });
      opts.progress?.(`blob ${d.digest.slice(7, 19)} already on ${ref.registry}, skipped`);
      continue;
    }
    const data = await store.readBlob(d.digest); // verified: we never push corrupt bytes
    const { chunks } = await uploadBlob(client, d.digest, data, opts.upload ?? 'monolithic', opts.chunkBytes);
    bytesUploaded += data.length;
    blobs.push({ digest: d.digest, size: data.length, skipped: false, chunks });
    opts.progress?.(`blob ${d.digest.slice(7, 19)} uploaded (${data.length} bytes, ${chunks} request${chunks === 1 ? '' : 's'})`);
  }
  const res = await client.request(`manifests/${ref.reference}`, {
    method: 'PUT',
    headers: { 'content-type': mediaType, 'content-length': String(bytes.length) },
    body: bytes,
  });
  if (res.status !== 201) throw await responseError(res, `putting manifest ${formatRemoteReference(ref)}`);
  await res.body?.cancel();
  const manifestDigest = sha256Digest(bytes);
  const echoed = res.headers.get('docker-content-digest');
  if (echoed && echoed !== manifestDigest) {
    throw new RegistryError('REGISTRY_DIGEST_MISMATCH', `${ref.registry} stored manifest ${echoed}, we sent ${manifestDigest}`, {
      hint: 'the registry rewrote the manifest; it is not a plain OCI distribution registry',
    });
  }
  return {
    reference: formatRemoteReference(ref),
    manifestDigest,
    mediaType,
    blobs,
    uploaded: blobs.filter((b) => !b.skipped).length,
    skipped: blobs.filter((b) => b.skipped).length,
    bytesUploaded,
  };
}
