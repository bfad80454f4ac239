import { RegistryError } from './errors.js';

/** Manifests and indexes are a few KiB; a bigger answer is not one and must not fill memory. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** Error bodies are read only to quote the registry's message. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** Image configs are JSON of a few KiB (history grows them); more is an attack on memory. */
export const MAX_CONFIG_BYTES = 8 * 1024 * 1024;
/** Token endpoint answers: a JWT and some fields. */
export const MAX_TOKEN_BYTES = 1024 * 1024;
/** Hops followed before a redirect chain is called a loop. */
export const MAX_REDIRECTS = 5;

/**
 * Reads a response body into memory, at most `limit` bytes. The declared
 * Content-Length is checked first; without one (chunked transfer, or an
 * endless stream) the read stops and the body is cancelled as soon as the
 * count passes the limit, so memory never holds more than limit + one chunk.
 */
export async function readLimited(res: Response, limit: number, what: string): Promise<Buffer> {
  const declared = res.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) {
    await res.body?.cancel().catch(() => undefined);
    throw new RegistryError('REGISTRY_TOO_LARGE', `${what} declares ${declared} bytes, over the ${limit}-byte limit`, {
      hint: 'the server is not answering like a registry; check the reference and the registry',
    });
  }
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let seen = 0;
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      seen += value.length;
      if (seen > limit) {
        await reader.cancel().catch(() => undefined);
        throw new RegistryError('REGISTRY_TOO_LARGE', `${what} sent more than ${limit} bytes${declared === null ? ' (no Content-Length) ' : ' '}and was cut off`, {
          hint: 'the server is not answering like a registry; check the reference and the registry',
        });
      }
      chunks.push(Buffer.from(value.buffer, value.byteOffset, value.length));
    }
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks, seen);
}
