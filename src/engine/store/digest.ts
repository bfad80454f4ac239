import crypto from 'node:crypto';
import { StoreError } from './errors.js';

/** "sha256:<64 lowercase hex>": the only algorithm this store writes or accepts. */
export type Digest = `sha256:${string}`;

const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;

export function isDigest(s: unknown): s is Digest {
  return typeof s === 'string' && DIGEST_RE.test(s);
}

/** Validates a digest string; the hex part is what names files, so nothing else may pass. */
export function parseDigest(s: string): { algorithm: 'sha256'; hex: string; digest: Digest } {
  if (!isDigest(s)) {
    throw new StoreError('STORE_BAD_DIGEST', `not a sha256 digest: ${JSON.stringify(s)}`, {
      hint: 'digests look like sha256:<64 lowercase hex characters>',
    });
  }
  return { algorithm: 'sha256', hex: s.slice(7), digest: s };
}

export function sha256Digest(data: Buffer | string): Digest {
  return `sha256:${crypto.createHash('sha256').update(data).digest('hex')}`;
}

export function digestOfHash(hash: crypto.Hash): Digest {
  return `sha256:${hash.digest('hex')}`;
}
