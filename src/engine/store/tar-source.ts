import fs from 'node:fs';
import fsp from 'node:fs/promises';
import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import tar from 'tar-stream';

/** An archive's first two bytes: enough to tell gzip (1f 8b) from a plain tar. */
export async function readHead(file: string): Promise<Buffer> {
  const fh = await fsp.open(file, 'r');
  try {
    const buf = Buffer.alloc(2);
    await fh.read(buf, 0, 2, 0);
    return buf;
  } finally {
    await fh.close();
  }
}

/**
 * The archive's tar entries, gunzipped on the way when `head` (from readHead)
 * says gzip. `feeding` rejects with the read or gunzip error, which also
 * destroys `extract` so a loop over its entries stops instead of hanging.
 */
export function openTar(tarPath: string, head: Buffer): { extract: tar.Extract; feeding: Promise<void> } {
  let source: Readable = fs.createReadStream(tarPath);
  if (head[0] === 0x1f && head[1] === 0x8b) source = source.pipe(zlib.createGunzip());
  const extract = tar.extract();
  const feeding = pipeline(source, extract).catch((e: unknown) => { extract.destroy(e as Error); throw e; });
  return { extract, feeding };
}
