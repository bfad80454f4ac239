import { readFileSync } from 'node:fs';
import path from 'node:path';

/** One line of /proc/self/mountinfo, the fields this module needs. */
export interface MountEntry {
  /** major:minor of the mounted filesystem (same value = same superblock). */
  dev: string;
  /** Path inside that filesystem that is mounted here ("/" for a whole fs). */
  root: string;
  mountPoint: string;
  readOnly: boolean;
  fsType: string;
}

function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

export function parseMountInfo(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    const sep = f.indexOf('-');
    if (f.length < 7 || sep < 6) continue;
    out.push({
      dev: f[2]!,
      root: unescape(f[3]!),
      mountPoint: unescape(f[4]!),
      readOnly: f[5]!.split(',').includes('ro'),
      fsType: f[sep + 1] ?? '',
    });
  }
  return out;
}

const inside = (p: string, dir: string): boolean => dir === '/' || p === dir || p.startsWith(`${dir}/`);

/**
 * Mounts under `dir` that are WRITABLE VIEWS OF A PATH OUTSIDE IT: the
 * thing that makes `rm -rf dir` dangerous. A mount is such a view when it is
 * read-write and some mount outside `dir` shows the same filesystem (same
 * major:minor) at a root that contains this mount's root, i.e. the files
 * under the mount are also reachable through a host path that is not in
 * `dir`. A fresh tmpfs, a new devpts instance or an overlay has a device of
 * its own and is not a view of anything; a bind of a directory inside `dir`
 * onto itself is a view of `dir` only. Read-only mounts cannot be deleted
 * through. Each result names the mount point and the outside path it exposes.
 */
export function writableOutsideViews(dir: string, entries: MountEntry[] = parseMountInfo(readFileSync('/proc/self/mountinfo', 'utf8'))): { mountPoint: string; exposes: string }[] {
  const d = path.resolve(dir);
  const under = entries.filter((e) => inside(e.mountPoint, d));
  const outside = entries.filter((e) => !inside(e.mountPoint, d));
  const found: { mountPoint: string; exposes: string }[] = [];
  for (const m of under) {
    if (m.readOnly) continue;
    for (const o of outside) {
      if (o.dev !== m.dev || !inside(m.root, o.root)) continue;
      const exposes = path.join(o.mountPoint, path.relative(o.root, m.root));
      if (!inside(exposes, d)) { found.push({ mountPoint: m.mountPoint, exposes }); break; }
    }
  }
  return found;
}
