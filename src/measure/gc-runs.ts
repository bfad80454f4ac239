import { readdir, rm, stat, unlink, rmdir } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { detachLoopsUnder } from '../probe/escape-sentinels.js';
import type { HomePaths } from '../core/home.js';
import { OWNER_FILE, ownerIsAlive, readOwnerFile, writeOwnerFile } from '../core/process-owner.js';
import { mountsUnder } from '../engine/rootfs/mounts.js';

const run = promisify(execFile);

/** A run dir without an owner file younger than this may be mid-creation. */
const UNOWNED_GRACE_MS = 60_000;

export interface GcRunsReport {
  removed: string[];
  unmounted: string[];
  /** Dirs left alone, with why (owner alive, or a mount that would not go). */
  kept: string[];
}

/** Marks <home.runs>/<runId> as owned by this process; `bench gc` leaves it alone while we live. */
export async function claimRunDir(home: HomePaths, runId: string): Promise<string> {
  const dir = path.join(home.runs, runId);
  await writeOwnerFile(dir);
  return dir;
}

/** Removes the claim and the dir if the environments left it empty. */
export async function releaseRunDir(home: HomePaths, runId: string): Promise<void> {
  const dir = path.join(home.runs, runId);
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
  const report: GcRunsReport = { removed: [], unmounted: [], kept: [] };
  let names: string[];
  try {
    names = (await readdir(home.runs, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return report;
  }
  for (const name of names) {
    const dir = path.join(home.runs, name);
    const owner = await readOwnerFile(dir);
    if (owner && (await ownerIsAlive(owner))) { report.kept.push(`${dir} (run in progress, pid ${owner.harnessPid})`); continue; }
    if (!owner) {
      const st = await stat(dir).catch(() => null);
      if (st && Date.now() - st.mtimeMs < UNOWNED_GRACE_MS) { report.kept.push(`${dir} (no owner yet, too recent)`); continue; }
    }
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
  return report;
}
