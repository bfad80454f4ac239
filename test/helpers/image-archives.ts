/**
 * Test helper: small image archives written by hand (no isobench code), in
 * the layouts users bring: a `docker save` archive (Docker's legacy layout)
 * and a layer tar from a list of files.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';

export interface FileEntry { name: string; data?: string | Buffer; mode?: number; type?: 'file' | 'directory' | 'symlink'; linkname?: string }

export async function tarBuffer(entries: FileEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => { chunks.push(c as Buffer); });
  const ended = new Promise<void>((res) => pack.on('end', () => res()));
  for (const e of entries) {
    await new Promise<void>((res, rej) => {
      const header = { name: e.name, mode: e.mode ?? (e.type === 'directory' ? 0o755 : 0o644), type: e.type ?? 'file', mtime: new Date(0), uid: 0, gid: 0, ...(e.linkname ? { linkname: e.linkname } : {}) };
      if (e.type === 'directory' || e.type === 'symlink') pack.entry(header, (err) => (err ? rej(err) : res()));
      else pack.entry(header, typeof e.data === 'string' ? Buffer.from(e.data) : (e.data ?? Buffer.alloc(0)), (err) => (err ? rej(err) : res()));
    });
  }
  pack.finalize();
  await ended;
  return Buffer.concat(chunks);
}

const sha = (b: Buffer): string => crypto.createHash('sha256').update(b).digest('hex');

/**
 * A `docker save` archive as Docker 20.10 writes it: <id>/layer.tar,
 * <id>/json, <id>/VERSION, <config-hex>.json, manifest.json, repositories.
 * With dedupLastLayer, the last layer is a symlink to the first one's tar
 * (Docker does that for identical layers).
 */
export async function writeDockerSave(file: string, o: { layers: Buffer[]; repoTag?: string; architecture?: string; config?: Record<string, unknown>; dedupLastLayer?: boolean }): Promise<{ imageId: string; diffIds: string[] }> {
  const diffIds = o.layers.map((l) => `sha256:${sha(l)}`);
  const config = Buffer.from(JSON.stringify({
    architecture: o.architecture ?? 'amd64', os: 'linux',
    config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], ...(o.config ?? {}) },
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: o.layers.map((_, i) => ({ created_by: `layer ${i}` })),
  }));
  const configHex = sha(config);
  const pack = tar.pack();
  const writing = pipeline(pack, fs.createWriteStream(file));
  const add = (name: string, data: Buffer | string, extra: Partial<tar.Header> = {}): Promise<void> => new Promise((res, rej) => {
    pack.entry({ name, mtime: new Date(0), ...extra }, typeof data === 'string' ? Buffer.from(data) : data, (e) => (e ? rej(e) : res()));
  });
  const ids = o.layers.map((l, i) => sha(Buffer.concat([Buffer.from(String(i)), l])));
  for (const [i, l] of o.layers.entries()) {
    const id = ids[i]!;
    await add(`${id}/`, '', { type: 'directory' });
    await add(`${id}/VERSION`, '1.0');
    await add(`${id}/json`, JSON.stringify({ id }));
    if (o.dedupLastLayer && i === o.layers.length - 1 && i > 0) await add(`${id}/layer.tar`, '', { type: 'symlink', linkname: `../${ids[0]}/layer.tar` });
    else await add(`${id}/layer.tar`, l);
  }
  await add(`${configHex}.json`, config);
  await add('manifest.json', JSON.stringify([{ Config: `${configHex}.json`, RepoTags: o.repoTag ? [o.repoTag] : null, Layers: ids.map((id) => `${id}/layer.tar`) }]));
  if (o.repoTag) {
    const [repo, tag] = o.repoTag.split(':');
    await add('repositories', JSON.stringify({ [repo!]: { [tag!]: ids.at(-1) } }));
  }
  pack.finalize();
  await writing;
  return { imageId: `sha256:${configHex}`, diffIds };
}
