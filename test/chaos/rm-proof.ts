import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseMountInfo, writableOutsideViews, type MountEntry } from '../../src/core/mount-views.js';
import { mountsUnder } from '../../src/engine/rootfs/mounts.js';
import { safeRemoveTree } from '../helpers/safe-rm.js';

const inside = (p: string, dir: string): boolean => dir === '/' || p === dir || p.startsWith(`${dir}/`);

function mount(args: string[]): void {
  const r = spawnSync('mount', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mount ${args.join(' ')}: ${r.stderr}`);
}

/** True when some mount outside `home` shows the same filesystem at a root containing m's: m is a view of a host path. */
function viewsOutside(m: MountEntry, all: MountEntry[], home: string): boolean {
  return all.some((o) => !inside(o.mountPoint, home) && o.dev === m.dev && inside(m.root, o.root)
    && !inside(path.join(o.mountPoint, path.relative(o.root, m.root)), home));
}

export interface RmProof {
  /** Mounts of the home replicated in the copy. */
  replicated: number;
  /** Of those, views of a host path (replaced by a sentinel, same ro/rw flag). */
  sentinels: number;
  /** Canary files of sentinels that `rm -rf <copy>` deleted: must be empty. */
  destroyed: string[];
}

/**
 * `rm -rf <home>` after a crash, played against SENTINELS instead of the
 * host: the mount layout under `home` is replicated under `scratch/copy`,
 * where every mount that is a view of a path outside the home becomes a bind
 * of a sentinel dir we own (with the same read-only flag), and every other
 * mount a fresh tmpfs. Then a plain `rm -rf` of the copy runs, and we count
 * the sentinels' canary files it destroyed. Cleans up after itself (mounts
 * first). `forceRw` turns every sentinel bind read-write: the layout of the
 * old chroot (a rw bind of /dev), used as the negative control.
 */
export async function rmProof(home: string, scratch: string, opts: { forceRw?: boolean; extraHostBind?: boolean } = {}): Promise<RmProof> {
  const all = parseMountInfo(readFileSync('/proc/self/mountinfo', 'utf8'));
  const under = all.filter((m) => inside(m.mountPoint, home));
  const copy = path.join(scratch, 'copy');
  const sentinels: string[] = [];
  mkdirSync(copy, { recursive: true });
  try {
    let i = 0;
    const layout: { rel: string; view: boolean; readOnly: boolean }[] = under.map((m) => ({ rel: path.relative(home, m.mountPoint), view: viewsOutside(m, all, home), readOnly: m.readOnly }));
    if (opts.extraHostBind) layout.push({ rel: 'runs/x/chroot/root/dev', view: true, readOnly: false });
    for (const m of layout) {
      const target = path.join(copy, m.rel);
      mkdirSync(target, { recursive: true });
      if (m.view) {
        const s = path.join(scratch, `sentinel-${i++}`);
        mkdirSync(s, { recursive: true });
        writeFileSync(path.join(s, 'canary'), 'must survive rm -rf of the copy\n');
        sentinels.push(s);
        mount(['--bind', s, target]);
        mount(['--make-private', target]);
        if (m.readOnly && !opts.forceRw) mount(['-o', 'remount,bind,ro', target]);
      } else {
        mount(['-t', 'tmpfs', '-o', 'size=1m', 'chaos-copy', target]);
        writeFileSync(path.join(target, 'scratch'), 'x');
      }
    }
    // What a user does to a state dir: no gc, no reset.
    spawnSync('rm', ['-rf', copy]);
    const destroyed = sentinels.map((s) => path.join(s, 'canary')).filter((c) => !existsSync(c));
    return { replicated: layout.length, sentinels: sentinels.length, destroyed };
  } finally {
    for (const m of mountsUnder(copy)) spawnSync('umount', ['-l', m]);
    await safeRemoveTree(scratch);
  }
}

export { writableOutsideViews };
