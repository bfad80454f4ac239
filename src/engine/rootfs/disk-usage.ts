import { promises as fs } from 'node:fs';
import crypto from 'node:crypto';
import path from 'node:path';

/** Like `du -s -B1`: allocated bytes (st_blocks * 512) under dirs, hard links counted once. */
export async function diskUsage(dirs: string[]): Promise<number> {
  const seen = new Set<string>();
  let total = 0;
  const walk = async (p: string): Promise<void> => {
    const st = await fs.lstat(p).catch(() => null);
    if (!st) return;
    const key = `${st.dev}:${st.ino}`;
    if (seen.has(key)) return;
    seen.add(key);
    total += st.blocks * 512;
    if (st.isDirectory()) for (const e of await fs.readdir(p)) await walk(path.join(p, e));
  };
  for (const d of dirs) await walk(d);
  return total;
}

/** Regular files under dir, as paths relative to it. */
export async function regularFiles(dir: string): Promise<Array<{ rel: string; size: number }>> {
  const out: Array<{ rel: string; size: number }> = [];
  const walk = async (rel: string): Promise<void> => {
    const st = await fs.lstat(path.join(dir, rel)).catch(() => null);
    if (!st) return;
    if (st.isFile()) out.push({ rel, size: st.size });
    else if (st.isDirectory()) for (const e of await fs.readdir(path.join(dir, rel))) await walk(path.join(rel, e));
  };
  await walk('.');
  return out;
}

/**
 * sha256 over every entry under dir (path, type, mode, uid, gid, size, link
 * target, file content), in sorted order: equal hashes mean byte-identical trees.
 */
export async function treeHash(dir: string): Promise<string> {
  const h = crypto.createHash('sha256');
  const walk = async (rel: string): Promise<void> => {
    const p = path.join(dir, rel);
    const st = await fs.lstat(p);
    h.update(`${rel}\0${st.mode}\0${st.uid}\0${st.gid}\0${st.size}\0${st.rdev}\0`);
    if (st.isSymbolicLink()) h.update(await fs.readlink(p));
    else if (st.isFile()) h.update(await fs.readFile(p));
    else if (st.isDirectory()) for (const e of (await fs.readdir(p)).sort()) await walk(path.join(rel, e));
  };
  await walk('.');
  return h.digest('hex');
}
