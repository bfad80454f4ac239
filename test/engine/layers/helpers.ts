import zlib from 'node:zlib';
import tar from 'tar-stream';
import type { Header } from 'tar-stream';

export type TarEntry = Partial<Header> & { name: string; data?: string | Buffer };

/** Builds a tar (optionally gzipped) in memory from raw headers: hostile names included. */
export async function makeTar(entries: TarEntry[], gzip = false): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => { for await (const c of pack) chunks.push(c as Buffer); })();
  for (const { data, ...h } of entries) {
    const body = data === undefined ? undefined : Buffer.from(data);
    await new Promise<void>((res, rej) => pack.entry({ ...h, mode: h.mode ?? 0o644, mtime: h.mtime ?? new Date(1_000_000_000), ...(body ? { size: body.length } : {}) }, body ?? Buffer.alloc(0), (e) => (e ? rej(e) : res())));
  }
  pack.finalize();
  await done;
  const buf = Buffer.concat(chunks);
  return gzip ? zlib.gzipSync(buf) : buf;
}
