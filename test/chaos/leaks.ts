import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { resolveHome } from '../../src/core/home.js';
import { processStartTime } from '../../src/core/process-owner.js';
import { readLedger, type LedgerEntry } from '../../src/core/run-ledger.js';
import { mountsUnder } from '../../src/engine/rootfs/mounts.js';
import { tempWriterPid } from '../../src/measure/gc-temps.js';
import { RUN_VOLUME_PREFIX } from '../../src/measure/gc-runs.js';

/** What one home left behind on the host, by kind (each a list, so a failure names the objects). */
export interface Leaks {
  mounts: string[];
  cgroups: string[];
  veths: string[];
  netns: string[];
  listeners: string[];
  processes: string[];
  volumes: string[];
  temps: string[];
  runDirs: string[];
}

export const LEAK_KINDS: (keyof Leaks)[] = ['mounts', 'cgroups', 'veths', 'netns', 'listeners', 'processes', 'volumes', 'temps', 'runDirs'];

const lines = (argv: string[]): string[] => {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
  return (r.stdout ?? '').split('\n').filter((l) => l.trim());
};

/** Every helper process any run dir of this home recorded (read before gc deletes the ledgers). */
export function recordedProcesses(homeDir: string): Extract<LedgerEntry, { kind: 'process' }>[] {
  const runs = path.join(homeDir, 'runs');
  if (!existsSync(runs)) return [];
  return readdirSync(runs).flatMap((d) => readLedger(path.join(runs, d))).filter((e): e is Extract<LedgerEntry, { kind: 'process' }> => e.kind === 'process');
}

function tempsUnder(dir: string, depth = 0): string[] {
  if (depth > 5 || !existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (tempWriterPid(name, dir) !== undefined) { out.push(p); continue; }
    const st = lstatSync(p);
    if (st.isDirectory() && mountsUnder(p).length === 0 && !name.startsWith('sha256')) out.push(...tempsUnder(p, depth + 1));
  }
  return out;
}

/**
 * Looks for everything of this home on the host: mounts under it, its cgroup
 * parent in every hierarchy, its veths/bridge and netns (named by its tag),
 * processes whose command line names the home or that a run recorded (pid +
 * start time still matching), listening sockets of those processes, run
 * volumes, temp files of dead writers (home and outDirs), run dirs.
 */
export function findLeaks(homeDir: string, outDirs: string[], recorded: Extract<LedgerEntry, { kind: 'process' }>[]): Leaks {
  const home = resolveHome(homeDir);
  const tag = home.tag;
  const cgroups: string[] = [];
  for (const ctl of existsSync('/sys/fs/cgroup') ? readdirSync('/sys/fs/cgroup') : []) {
    const p = path.join('/sys/fs/cgroup', ctl, `isobench-${tag}`);
    if (existsSync(p)) cgroups.push(p);
  }
  if (existsSync(`/sys/fs/cgroup/isobench-${tag}`)) cgroups.push(`/sys/fs/cgroup/isobench-${tag}`);
  const veths = lines(['ip', '-o', 'link', 'show']).filter((l) => l.includes(`iv${tag}`) || l.includes(`ip${tag}`) || l.includes(`ib-${tag}`)).map((l) => l.split(':')[1]!.trim());
  const netns = lines(['ip', 'netns', 'list']).filter((l) => l.includes(`isobench-${tag}-`));
  const pids = new Set<number>();
  const processes: string[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    let cmd = '';
    try { cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ').trim(); } catch { continue; }
    if (cmd && cmd.includes(home.root) && processStartTime(Number(d)) !== undefined) { pids.add(Number(d)); processes.push(`${d} ${cmd.slice(0, 120)}`); }
  }
  for (const r of recorded) {
    if (!pids.has(r.pid) && processStartTime(r.pid) === r.start) { pids.add(r.pid); processes.push(`${r.pid} ${r.argv.join(' ').slice(0, 120)}`); }
  }
  const listeners = lines(['ss', '-Hltnp']).filter((l) => [...pids].some((p) => l.includes(`pid=${p},`)));
  const volumes = existsSync(home.volumes) ? readdirSync(home.volumes).filter((n) => n.startsWith(RUN_VOLUME_PREFIX)) : [];
  const temps = [...tempsUnder(home.root), ...outDirs.flatMap((o) => tempsUnder(o))];
  const runDirs = existsSync(home.runs) ? readdirSync(home.runs) : [];
  return { mounts: mountsUnder(home.root), cgroups, veths, netns, listeners, processes, volumes, temps, runDirs };
}

export const countLeaks = (l: Leaks): Record<keyof Leaks, number> =>
  Object.fromEntries(LEAK_KINDS.map((k) => [k, l[k].length])) as Record<keyof Leaks, number>;
