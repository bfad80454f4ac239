import { RegistryError } from './errors.js';
import { responseError, type RegistryClient } from './client.js';

export type UploadMode = 'monolithic' | 'chunked';

/** Default chunk of a chunked upload: small enough to show several PATCHes on our layers, big enough not to crawl. */
export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

/** HEAD /v2/<name>/blobs/<digest>: true when the registry already has it (so we skip the upload). */
export async function blobExists(client: RegistryClient, digest: string): Promise<boolean> {
  const res = await client.request(`blobs/${digest}`, { method: 'HEAD' });
  await res.body?.cancel();
  if (res.status === 200) return true;
  if (res.status === 404) return false;
  throw new RegistryError('REGISTRY_PROTOCOL', `HEAD blob ${digest} on ${client.registry}: HTTP ${res.status}`, { status: res.status });
}

async function startUpload(client: RegistryClient): Promise<string> {
  const res = await client.request('blobs/uploads/', { method: 'POST', headers: { 'content-length': '0' } });
  if (res.status !== 202) throw await responseError(res, `starting a blob upload to ${client.registry}/${client.repository}`);
  await res.body?.cancel();
  return location(res, client);
}

function location(res: Response, client: RegistryClient): string {
  const loc = res.headers.get('location');
  if (!loc) throw new RegistryError('REGISTRY_PROTOCOL', `${client.registry} answered an upload step without a Location header`);
  return loc;
}

function withDigest(client: RegistryClient, loc: string, digest: string): URL {
  const url = client.url(loc);
  url.searchParams.set('digest', digest);
  return url;
}

/**
 * Uploads one blob. Monolithic: POST (open a session) then one PUT
 * ?digest= with the whole body. Chunked: POST, PATCH per chunk with
 * Content-Range (each answer moves the Location), then an empty PUT
 * ?digest= to commit. The registry checks the digest on commit.
 */
export async function uploadBlob(client: RegistryClient, digest: string, data: Buffer, mode: UploadMode, chunkBytes = DEFAULT_CHUNK_BYTES): Promise<{ chunks: number }> {
  let loc = await startUpload(client);
  let chunks = 0;
  if (mode === 'chunked') {
    for (let off = 0; off < data.length; off += chunkBytes) {
      const part = data.subarray(off, Math.min(off + chunkBytes, data.length));
      const res = await client.request(client.url(loc), {
        method: 'PATCH',
        headers: {
          'content-type': 'application/octet-stream',
          'content-length': String(part.length),
          // distribution expects "<first>-<last>" (inclusive), without a "bytes " unit.
          'content-range': `${off}-${off + part.length - 1}`,
        },
        body: part,
      });
      if (res.status !== 202) throw await responseError(res, `uploading chunk ${chunks} of ${digest}`);
      await res.body?.cancel();
      loc = location(res, client);
      chunks++;
    }
    const res = await client.request(withDigest(client, loc, digest), { method: 'PUT', headers: { 'content-length': '0' } });
    if (res.status !== 201) throw await responseError(res, `committing chunked upload of ${digest}`);
    await res.body?.cancel();
  } else {
    const res = await client.request(withDigest(client, loc, digest), {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(data.length) },
      body: data,
    });
    if (res.status !== 201) throw await responseError(res, `uploading blob ${digest}`);
    await res.body?.cancel();
    chunks = 1;
  }
  return { chunks };
}
