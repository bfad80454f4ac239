import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { DigestMismatchError, StoreError } from './errors.js';
import { digestOfHash, parseDigest, sha256Digest, type Digest } from './digest.js';

export type BlobInput = Buffer | Uint8Array | Readable | AsyncIterable<Uint8Array>;

export interface BlobInfo {
  digest: Digest;
  size: number;
}

/**
 * Content-addressed blob files under <root>/blobs/sha256/<hex>. Writes go to
 * <root>/ingest/<random> (same filesystem) while hashing, are fsynced and only
 * then renamed into place: a reader never sees a partial blob, and two writers
 * of the same content just rename identical bytes over each other.
 */
export class BlobFiles {
  constructor(readonly root: string) {}

  pathOf(digest: string): string {
    return path.join(this.root, 'blobs', 'sha256', parseDigest(digest).hex);
  }

  private ingestDir(): string {
    return path.join(this.root, 'ingest');
  }

  async has(digest: string): Promise<boolean> {
    try {
      return (await fsp.stat(this.pathOf(digest))).isFile();
    } catch {
      return false;
    }
  }

  async size(digest: string): Promise<number> {
    try {
      return (await fsp.stat(this.pathOf(digest))).size;
    } catch (err) {
      throw notFound(digest, err);
    }
  }

  async put(input: BlobInput, expected?: string): Promise<BlobInfo> {
    if (expected !== undefined) parseDigest(expected);
    if (Buffer.isBuffer(input) || input instanceof Uint8Array) {
      const buf = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
      const digest = sha256Digest(buf);
      if (expected !== undefined && expected !== digest) throw new DigestMismatchError(expected, digest, 'the data given');
      // Already stored and intact: nothing to write. A damaged copy is rewritten (writing heals).
      if (await this.has(digest)) {
        try {
          await this.verify(digest);
          return { digest, size: buf.length };
        } catch { /* fall through and replace it */ }
      }
      return this.ingest(Readable.from([buf]), expected ?? digest);
    }
    return this.ingest(input instanceof Readable ? input : Readable.from(input), expected);
  }

  private async ingest(source: Readable, expected: string | undefined): Promise<BlobInfo> {
    await fsp.mkdir(this.ingestDir(), { recursive: true });
    await fsp.mkdir(path.join(this.root, 'blobs', 'sha256'), { recursive: true });
    const tmp = path.join(this.ingestDir(), `${process.pid}-${crypto.randomBytes(8).toString('hex')}`);
    const hash = crypto.createHash('sha256');
    let size = 0;
    try {
      const fh = await fsp.open(tmp, 'wx', 0o644);
      try {
        // Plain write loop: pipeline() into a FileHandle stream with autoClose
        // off never settles, and we must fsync before closing anyway.
        for await (const chunk of source) {
          const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
          hash.update(buf);
          size += buf.length;
          let off = 0;
          while (off < buf.length) off += (await fh.write(buf, off, buf.length - off)).bytesWritten;
        }
        await fh.sync();
      } finally {
        await fh.close();
      }
      const digest = digestOfHash(hash);
      if (expected !== undefined && digest !== expected) throw new DigestMismatchError(expected, digest, 'the data received');
      await fsp.rename(tmp, this.pathOf(digest));
      return { digest, size };
    } catch (err) {
      await fsp.rm(tmp, { force: true });
      throw err;
    }
  }

  /** Hashes the stored file; throws DigestMismatchError naming the digest if it was altered. */
  async verify(digest: string): Promise<number> {
    const file = this.pathOf(digest);
    const hash = crypto.createHash('sha256');
    let size = 0;
    try {
      for await (const chunk of fs.createReadStream(file)) {
        hash.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
    } catch (err) {
      throw notFound(digest, err);
    }
    const actual = digestOfHash(hash);
    if (actual !== digest) throw new DigestMismatchError(digest, actual, file);
    return size;
  }

  /** Whole blob in memory, verified before it is returned (manifests, configs, index). */
  async read(digest: string): Promise<Buffer> {
    const file = this.pathOf(digest);
    let buf: Buffer;
    try {
      buf = await fsp.readFile(file);
    } catch (err) {
      throw notFound(digest, err);
    }
    const actual = sha256Digest(buf);
    if (actual !== digest) throw new DigestMismatchError(digest, actual, file);
    return buf;
  }

  /**
   * A stream of a blob (layers). The file is hashed in full first, so a
   * corrupt blob fails here before any byte is handed out; the stream hashes
   * again in flight and errors before 'end' if the file changed in between.
   */
  async open(digest: string): Promise<{ stream: Readable; size: number }> {
    const size = await this.verify(digest);
    const file = this.pathOf(digest);
    return { stream: fs.createReadStream(file).pipe(verifyingTransform(digest, file)), size };
  }

  async remove(digest: string): Promise<void> {
    await fsp.rm(this.pathOf(digest), { force: true });
  }

  async list(): Promise<Digest[]> {
    let names: string[];
    try {
      names = await fsp.readdir(path.join(this.root, 'blobs', 'sha256'));
    } catch {
      return [];
    }
    return names.filter((n) => /^[0-9a-f]{64}$/.test(n)).map((n) => `sha256:${n}` as Digest);
  }
}

/** Passes bytes through and fails the stream at the end if they do not hash to `digest`. */
export function verifyingTransform(digest: string, where: string): Transform {
  const hash = crypto.createHash('sha256');
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      hash.update(chunk);
      cb(null, chunk);
    },
    flush(cb: TransformCallback) {
      const actual = digestOfHash(hash);
      cb(actual === digest ? null : new DigestMismatchError(digest, actual, where));
    },
  });
}

function notFound(digest: string, cause: unknown): StoreError {
  if ((cause as NodeJS.ErrnoException)?.code === 'ENOENT') {
    return new StoreError('STORE_BLOB_NOT_FOUND', `blob ${digest} is not in the store`, {
      cause,
      hint: 'build, import or pull the image again',
    });
  }
  return new StoreError('STORE_INVALID_LAYOUT', `cannot read blob ${digest}: ${(cause as Error).message}`, { cause });
}
