import fsp from 'node:fs/promises';
import path from 'node:path';
import { LayerError } from './errors.js';

/**
 * Splits a tar entry name into path components relative to the snapshot
 * root. Absolute names and ".." components are refused outright (containerd
 * and docker strip or reject them; rejecting is the honest choice for an
 * image we are about to run). "./" prefixes and "." components are dropped;
 * an empty result means the root itself.
 */
export function entryComponents(raw: string, what = 'name', entry = raw): string[] {
  if (raw.includes('\0')) throw new LayerError('LAYER_UNSAFE_ENTRY', `${what} contains a NUL byte`, { entry });
  if (raw.startsWith('/')) throw new LayerError('LAYER_UNSAFE_ENTRY', `absolute ${what} would write outside the snapshot`, { entry });
  const parts = raw.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new LayerError('LAYER_UNSAFE_ENTRY', `".." in the ${what} would write outside the snapshot`, { entry });
  return parts;
}

/**
 * Walks the parent components of an entry under `root` with lstat, never
 * following a symlink: a parent that is a symlink means the write would land
 * wherever the link points (the classic breakout), so it is refused. Missing
 * parents are created (0755, root) when `create` is set. Directories already
 * checked are cached; the extractor drops cache entries it replaces.
 */
export class ParentWalker {
  private readonly known = new Set<string>(['']);

  constructor(private readonly root: string) {}

  async ensure(parts: string[], entry: string, create: boolean): Promise<string> {
    let rel = '';
    for (const part of parts) {
      rel = rel === '' ? part : `${rel}/${part}`;
      if (this.known.has(rel)) continue;
      const full = path.join(this.root, rel);
      let st;
      try {
        st = await fsp.lstat(full);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        if (!create) throw new LayerError('LAYER_BAD_ENTRY', `parent directory ${rel} does not exist`, { entry });
        await fsp.mkdir(full, { mode: 0o755 });
        this.known.add(rel);
        continue;
      }
      if (st.isSymbolicLink()) {
        throw new LayerError('LAYER_UNSAFE_ENTRY', `its path goes through the symlink ${rel}: writing through it could land outside the snapshot`, { entry });
      }
      if (!st.isDirectory()) throw new LayerError('LAYER_BAD_ENTRY', `parent ${rel} is not a directory`, { entry });
      this.known.add(rel);
    }
    return path.join(this.root, ...parts);
  }

  /** `rel` (and everything below it) was removed or replaced: check it again next time. */
  forget(rel: string): void {
    for (const k of this.known) if (k === rel || k.startsWith(`${rel}/`)) this.known.delete(k);
  }

  remember(rel: string): void {
    this.known.add(rel);
  }
}

/** Does a symlink stored at `linkRel` with `target` resolve (lexically) outside the root? */
export function symlinkEscapes(linkRel: string, target: string): boolean {
  if (target.startsWith('/')) return true;
  const depth = linkRel.split('/').length - 1;
  let level = depth;
  for (const p of target.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') {
      level -= 1;
      if (level < 0) return true;
    } else level += 1;
  }
  return false;
}

/**
 * True when every component of `rel` under `root` exists and none is a
 * symlink (the last one may be anything `lastOk` accepts). Deferred work
 * (directory metadata, whiteout marks) re-checks with this at the end of a
 * layer, because a later entry may have replaced a directory by a symlink and
 * chmod/utimes/setxattr would follow it.
 */
export async function isContained(root: string, rel: string): Promise<boolean> {
  let cur = root;
  const parts = rel === '' ? [] : rel.split('/');
  for (const [i, part] of parts.entries()) {
    cur = path.join(cur, part);
    const st = await fsp.lstat(cur).catch(() => undefined);
    if (!st || st.isSymbolicLink()) return false;
    if (i < parts.length - 1 && !st.isDirectory()) return false;
  }
  return true;
}
