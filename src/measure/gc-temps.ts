import { lstat, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { HomePaths } from '../core/home.js';
import { processStartTime } from '../core/process-owner.js';
import { mountsUnder } from '../engine/rootfs/mounts.js';

/**
 * Names of the half-written files the tool makes next to their final name
 * (write to temp, fsync, rename), each carrying the writer's pid:
 *   NAME.<pid>.tmp, NAME.<pid>.<ms>.tmp   (store, cache, container state)
 *   NAME.tmp-<pid>                        (results.json)
 *   .tmp-<digest>-<pid>-<rand>            (layer snapshots being extracted)
 *   store/ingest/<pid>-<rand>             (a blob being downloaded or written)
 */
const TEMP_PATTERNS: readonly RegExp[] = [
  /\.(\d+)(?:\.\d+)?\.tmp$/,
  /\.tmp-(\d+)$/,
  /^\.tmp-[0-9a-z]+-(\d+)-[0-9a-f]+$/,
];

/** The writer pid a temp name carries, or undefined when the name is not one of ours. */
export function tempWriterPid(name: string, parentDir = ''): number | undefined {
  if (path.basename(parentDir) === 'ingest') {
    const m = /^(\d+)-[0-9a-f]{16}$/.exec(name);
    if (m) return Number(m[1]);
  }
  for (const re of TEMP_PATTERNS) {
    const m = re.exec(name);
    if (m) return Number(m[1]);
  }
  return undefined;
}

/** How deep under the home temp files are looked for (cache/vm/vmlinux/x.tmp is 4). */
const MAX_DEPTH = 4;

/**
 * Removes temp files and dirs under the home whose writer is gone (a
 * process killed between write and rename leaves them: a 40 MB vmlinux.tmp,
 * a half-extracted layer). A temp whose pid is alive may be mid-write and
 * is kept. Never descends into a mount point, a symlink or the runs dir
 * (run dirs are gcRuns' business); never deletes a dir with a mount under it.
 */
export async function gcTemps(home: HomePaths): Promise<string[]> {
  const removed: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    let entries;
    try { entries = await readdir(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (p === home.runs) continue;
      const pid = tempWriterPid(e.name, dir);
      if (pid !== undefined && (e.isFile() || e.isDirectory())) {
        if (processStartTime(pid) !== undefined) continue;
        if (mountsUnder(p).length > 0) continue;
        await rm(p, { recursive: true, force: true });
        removed.push(p);
        continue;
      }
      if (!e.isDirectory() || depth >= MAX_DEPTH) continue;
      const st = await lstat(p).catch(() => null);
      if (!st?.isDirectory() || mountsUnder(p).includes(p)) continue;
      await walk(p, depth + 1);
    }
  };
  await walk(home.root, 1);
  return removed;
}
