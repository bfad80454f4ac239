import { readdir, rm, stat, unlink, rmdir } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { detachLoopsUnder } from '../probe/escape-sentinels.js';
import type { HomePaths } from '../core/home.js';
import { OWNER_FILE, ownerIsAlive, readOwnerFile, writeOwnerFile } from '../core/process-owner.js';
import { mountsUnder } from '../engine/rootfs/mounts.js';
import { LEDGER_FILE, readLedger, type LedgerEntry } from '../core/run-ledger.js';
import { killIfStillOurs } from '../core/owned-process.js';
import { volumeDir, volumeUsers } from '../engine/volumes/index.js';

/** Volumes the volumes phase creates; one of a dead run is swept. */
export const RUN_VOLUME_PREFIX = 'isobench-run-';

const run = promisify(execFile);

/** A run dir without an owner file younger than this may be mid-creation. */
const UNOWNED_GRACE_MS = 60_000;

export interface GcRunsReport {
  removed: string[];
  unmounted: string[];
  /** Helper processes (network peers, servers) of dead runs killed: pid + argv. */
  killed: string[];
  /** isobench-run-* volumes of dead runs removed. */
  volumes: string[];
  /** Temp files named in dead runs' ledgers removed (e.g. results.json.tmp-PID in --out). */
  temps: string[];
  /** Dirs left alone, with why (owner alive, or a mount that would not go). */
  kept: string[];
}

/** Marks <home.runs>/<runId> as owned by this process; `bench gc` leaves it alone while we live. */
export async function claimRunDir(home: HomePaths, runId: string): Promise<string> {
  const dir = path.join(home.runs, runId);
  await writeOwnerFile(dir);
  return dir;
}

/**
 * Removes the claim and the dir if the environments left it empty. The
 * ledger goes too when everything was cleaned up (clean); otherwise it stays
 * for gc, which takes the unowned dir over.
 */
export async function releaseRunDir(home: HomePaths, runId: string, clean = true): Promise<void> {
  const dir = path.join(home.runs, runId);
  if (clean) await unlink(path.join(dir, LEDGER_FILE)).catch(() => {});
  await unlink(path.join(dir, OWNER_FILE)).catch(() => {});
  await rmdir(dir).catch(() => {});
}

/**
 * Sweeps run dirs of harnesses that died (SIGKILL, power loss): chroot trees
 * with /proc, /dev, /sys still bound, host copies, scratch. Mounts go first,
 * each made rslave before its unmount so that no unmount can propagate to the
 * host's own /dev or /sys (the bind came from a shared mount). A dir is
 * deleted only when no mount is left under it: a recursive delete that
 * crossed into a bind of /dev would destroy the host.
 */
export async function gcRuns(home: HomePaths): Promise<GcRunsReport> {
  const report: GcRunsReport = { removed: [], unmounted: [], killed: [], volumes: [], temps: [], kept: [] };
  let names: string[];
  try {
    names = (await readdir(home.runs, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    names = [];
  }
  const liveVolumes = new Set<string>();
  for (const name of names) {
    const dir = path.join(home.runs, name);
    const owner = await readOwnerFile(dir);
    const ledger = readLedger(dir);
    if (owner && (await ownerIsAlive(owner))) {
      for (const e of ledger) if (e.kind === 'volume') liveVolumes.add(e.name);
      report.kept.push(`${dir} (run in progress, pid ${owner.harnessPid})`);
      continue;
    }
    if (!owner) {
      const st = await stat(dir).catch(() => null);
      if (st && Date.now() - st.mtimeMs < UNOWNED_GRACE_MS) {
        for (const e of ledger) if (e.kind === 'volume') liveVolumes.add(e.name);
        report.kept.push(`${dir} (no owner yet, too recent)`);
        continue;
      }
    }
    await undoLedger(ledger, report);
    // Shallowest first for rslave (children inherit it), deepest first for unmounting.
    for (const m of [...mountsUnder(dir)].reverse()) await run('mount', ['--make-rslave', m]).catch(() => {});
    for (const m of mountsUnder(dir)) {
      try {
        await run('umount', [m]);
      } catch {
        await run('umount', ['-l', m]).catch(() => {});
      }
      if (!mountsUnder(m).includes(m)) report.unmounted.push(m);
    }
    // The isolation phase's sentinel loop device holds its backing file in the run dir.
    await detachLoopsUnder(dir);
    const left = mountsUnder(dir);
    if (left.length > 0) { report.kept.push(`${dir} (still mounted: ${left.join(', ')})`); continue; }
    await rm(dir, { recursive: true, force: true });
    report.removed.push(dir);
  }
  await sweepRunVolumes(home, liveVolumes, report);
  return report;
}

/** Kills the dead run's recorded helpers (only those whose pid still has the recorded start time) and removes its temp files. */
async function undoLedger(ledger: LedgerEntry[], report: GcRunsReport): Promise<void> {
  for (const e of ledger) {
    if (e.kind === 'process' && killIfStillOurs(e.pid, e.start)) report.killed.push(`${e.pid} ${e.argv.join(' ')}`);
  }
  for (const e of ledger) {
    if (e.kind !== 'temp') continue;
    const st = await stat(e.path).catch(() => null);
    if (!st?.isFile()) continue;
    await unlink(e.path).catch(() => {});
    report.temps.push(e.path);
  }
}

/**
 * isobench-run-* volumes are scratch of the volumes phase: one that no live
 * run recorded and no container uses is a leftover of a killed run (also of
 * runs from before the ledger existed).
 */
async function sweepRunVolumes(home: HomePaths, live: Set<string>, report: GcRunsReport): Promise<void> {
  let names: string[];
  try { names = await readdir(home.volumes); } catch { return; }
  for (const n of names) {
    if (!n.startsWith(RUN_VOLUME_PREFIX) || live.has(n)) continue;
    if ((await volumeUsers(home, n)).length > 0) { report.kept.push(`volume ${n} (used by a container)`); continue; }
    const dir = volumeDir(home, n);
    if (mountsUnder(dir).length > 0) { report.kept.push(`volume ${n} (still mounted)`); continue; }
    await rm(dir, { recursive: true, force: true });
    report.volumes.push(n);
  }
}
