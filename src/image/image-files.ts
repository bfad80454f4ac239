/**
 * What an image holds, read from its layer tars without unpacking them: used
 * to refuse a `shell:` command on an image with no /bin/sh before anything
 * runs. Whiteouts are applied and symlinks (also of parent directories, as in
 * a merged-/usr image where /bin -> usr/bin) are followed inside the image.
 */
import path from 'node:path';
import zlib from 'node:zlib';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { OciStore } from '../engine/store/index.js';
import type { ImageRef } from './types.js';

interface Node { type: string; link?: string }

async function sniffGzip(source: Readable): Promise<Readable> {
  const out = new PassThrough();
  let first = true;
  const gunzip = zlib.createGunzip();
  return new Promise((resolve, reject) => {
    source.once('error', reject);
    source.on('data', (chunk: Buffer) => {
      if (first) {
        first = false;
        source.pause();
        const gz = chunk[0] === 0x1f && chunk[1] === 0x8b;
        const target = gz ? gunzip : out;
        if (gz) gunzip.pipe(out);
        target.write(chunk);
        source.removeAllListeners('data');
        source.pipe(target);
        source.resume();
        resolve(out);
      }
    });
    source.once('end', () => { if (first) { out.end(); resolve(out); } });
  });
}

/** Every path of the flattened image with its type (file, directory, symlink, link...). */
export async function imageTree(image: ImageRef): Promise<Map<string, Node>> {
  const store = new OciStore(image.storeRoot);
  const tree = new Map<string, Node>();
  for (const layer of image.layers) {
    const plain = await sniffGzip(await store.getBlob(layer.digest));
    const extract = tar.extract();
    const feeding = pipeline(plain, extract);
    for await (const entry of extract) {
      const h = entry.header;
      const p = path.posix.join('/', h.name).replace(/\/+$/, '') || '/';
      const base = path.posix.basename(p);
      const dir = path.posix.dirname(p);
      if (base === '.wh..wh..opq') {
        for (const k of [...tree.keys()]) if (k.startsWith(`${dir === '/' ? '' : dir}/`)) tree.delete(k);
      } else if (base.startsWith('.wh.')) {
        const gone = path.posix.join(dir, base.slice(4));
        for (const k of [...tree.keys()]) if (k === gone || k.startsWith(`${gone}/`)) tree.delete(k);
      } else {
        tree.set(p, { type: h.type ?? 'file', ...(h.linkname ? { link: h.linkname } : {}) });
      }
      entry.resume();
    }
    await feeding;
  }
  return tree;
}

/** Resolves `p` inside the tree, following symlinks as the kernel would with the image as root. */
export function resolveInTree(tree: Map<string, Node>, p: string): { path: string; node: Node } | undefined {
  let todo = p.split('/').filter(Boolean);
  let cur = '/';
  for (let hops = 0; todo.length > 0; ) {
    const part = todo.shift()!;
    if (part === '.') continue;
    if (part === '..') { cur = path.posix.dirname(cur); continue; }
    const next = path.posix.join(cur, part);
    const node = tree.get(next);
    if (!node) return undefined;
    if (node.type === 'symlink' && node.link !== undefined) {
      if (++hops > 40) return undefined;
      const target = node.link.startsWith('/') ? node.link : path.posix.join(cur, node.link);
      todo = [...target.split('/').filter(Boolean), ...todo];
      cur = '/';
      continue;
    }
    cur = next;
  }
  const node = tree.get(cur);
  return node ? { path: cur, node } : undefined;
}

/** True when `p` exists in the image as a file, a hard link or (after following symlinks) one of those. */
export async function imageHasFile(image: ImageRef, p: string): Promise<boolean> {
  const r = resolveInTree(await imageTree(image), p);
  return r !== undefined && (r.node.type === 'file' || r.node.type === 'link' || r.node.type === 'contiguous-file');
}
