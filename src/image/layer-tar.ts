import crypto from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import tar from 'tar-stream';
import { ConfigError } from '../core/errors.js';
import type { FileSpec } from './recipe/types.js';

/** A file of a layer with its bytes loaded, ready to be written into the tar. */
export interface LayerEntry {
  /** Relative to the image root, no leading slash. */
  name: string;
  type: 'file' | 'dir' | 'symlink';
  mode: number;
  data?: Buffer;
  target?: string;
}

/**
 * Loads a layer's file list: reads sources, adds missing parent directories
 * (0755), keeps the last spec per path, sorts by byte order (a parent always
 * sorts before its children).
 */
export async function materialize(specs: FileSpec[]): Promise<LayerEntry[]> {
  const byName = new Map<string, LayerEntry>();
  for (const s of specs) {
    const name = path.posix.normalize(s.path).replace(/^\/+/, '').replace(/\/+$/, '');
    if (name === '' || name.startsWith('..')) throw new ConfigError('IMAGE_BAD_RECIPE', `recipe path ${JSON.stringify(s.path)} is not inside the image`);
    let data: Buffer | undefined;
    if (s.type === 'file') {
      data = s.content !== undefined ? Buffer.from(s.content) : s.source !== undefined ? await fsp.readFile(s.source) : Buffer.alloc(0);
    }
    if (s.type === 'symlink' && !s.target) throw new ConfigError('IMAGE_BAD_RECIPE', `recipe symlink ${s.path} has no target`);
    byName.set(name, { name, type: s.type, mode: s.mode ?? (s.type === 'symlink' ? 0o777 : 0o755), data, target: s.target });
  }
  for (const name of [...byName.keys()]) {
    for (let dir = path.posix.dirname(name); dir !== '.'; dir = path.posix.dirname(dir)) {
      if (!byName.has(dir)) byName.set(dir, { name: dir, type: 'dir', mode: 0o755 });
    }
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** What decides a layer's bytes: hashed to skip rebuilding an unchanged image. */
export function entriesFingerprint(entries: LayerEntry[]): string {
  const h = crypto.createHash('sha256');
  for (const e of entries) {
    h.update(JSON.stringify([e.name, e.type, e.mode, e.target ?? null, e.data ? crypto.createHash('sha256').update(e.data).digest('hex') : null]));
    h.update('\n');
  }
  return h.digest('hex');
}

const EPOCH = new Date(0);

/**
 * Deterministic tar: sorted entries, mtime 0 (SOURCE_DATE_EPOCH=0 style),
 * uid/gid 0 with empty user/group names, so equal inputs give equal bytes.
 */
export async function writeLayerTar(entries: LayerEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const collecting = (async () => { for await (const c of pack) chunks.push(c as Buffer); })();
  for (const e of entries) {
    const common = { mtime: EPOCH, uid: 0, gid: 0, uname: '', gname: '' };
    await new Promise<void>((resolve, reject) => {
      const cb = (err?: Error | null) => (err ? reject(err) : resolve());
      if (e.type === 'dir') pack.entry({ ...common, name: `${e.name}/`, type: 'directory', mode: e.mode }, cb);
      else if (e.type === 'symlink') pack.entry({ ...common, name: e.name, type: 'symlink', linkname: e.target, mode: 0o777 }, cb);
      else pack.entry({ ...common, name: e.name, type: 'file', mode: e.mode, size: e.data!.length }, e.data!, cb);
    });
  }
  pack.finalize();
  await collecting;
  return Buffer.concat(chunks);
}
