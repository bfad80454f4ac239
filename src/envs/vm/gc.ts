import { readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { HomePaths } from '../../core/home.js';
import { ownerIsAlive, readOwnerFile, writeOwnerFile, type ProcessOwner } from '../../core/process-owner.js';

/**
 * Every VM gets a directory <home.runs>/<runId>/vm/vm-<n>/ holding
 *   owner.json  the harness process (pid + start time) that launched it
 *   qemu.pid    written by QEMU itself (-pidfile), removed by QEMU on a clean exit
 * The timer QEMU runs under dies with the harness and QEMU dies with the
 * timer (PR_SET_PDEATHSIG on both), so normally nothing survives; gcVms is
 * the second line for what does (a harness killed between spawns, a timer
 * killed by hand). It kills a QEMU only when its pidfile lies in this home,
 * /proc/<pid>/cmdline still names that very pidfile (PID reuse cannot match)
 * and the owning harness is gone. Never by process name.
 */
export const VM_DIR_PREFIX = 'vm-';

/** Who launched a VM: the harness pid + its start time (src/core/process-owner). */
export type VmOwner = ProcessOwner;

export interface GcVmsReport {
  killed: { pid: number; dir: string }[];
  removedDirs: string[];
  kept: string[];
}

export { ownerRecord } from '../../core/process-owner.js';

export async function writeOwner(vmDir: string, owner: VmOwner): Promise<void> {
  await writeOwnerFile(vmDir, owner);
}

async function ownerAlive(vmDir: string): Promise<boolean> {
  const o = await readOwnerFile(vmDir);
  return o !== undefined && (await ownerIsAlive(o));
}

/** The QEMU pid from vmDir/qemu.pid if that process still is that QEMU. */
export async function liveQemuPid(vmDir: string): Promise<number | undefined> {
  const pidfile = path.join(vmDir, 'qemu.pid');
  let pid: number;
  try { pid = Number((await readFile(pidfile, 'utf8')).trim()); } catch { return undefined; }
  if (!Number.isInteger(pid) || pid <= 1) return undefined;
  try {
    const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    const at = argv.indexOf('-pidfile');
    return at >= 0 && argv[at + 1] === pidfile ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function waitGone(pid: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try { await readFile(`/proc/${pid}/stat`); } catch { return; }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Kills the QEMU of one VM dir (if it is still ours and alive) and removes the dir. */
export async function reapVmDir(vmDir: string, report: GcVmsReport): Promise<void> {
  const pid = await liveQemuPid(vmDir);
  if (pid !== undefined) {
    try { process.kill(pid, 'SIGKILL'); report.killed.push({ pid, dir: vmDir }); } catch { /* exited meanwhile */ }
    await waitGone(pid, 3000);
  }
  await rm(vmDir, { recursive: true, force: true });
  report.removedDirs.push(vmDir);
}

async function subdirs(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => path.join(dir, d.name));
  } catch {
    return [];
  }
}

/**
 * Sweeps this home's VM leftovers: for `bench gc` and the start-of-run sweep.
 * VMs whose harness is still running are kept (another run in this home).
 */
export async function gcVms(home: HomePaths): Promise<GcVmsReport> {
  const report: GcVmsReport = { killed: [], removedDirs: [], kept: [] };
  for (const run of await subdirs(home.runs)) {
    const vmRoot = path.join(run, 'vm');
    for (const vmDir of await subdirs(vmRoot)) {
      if (!path.basename(vmDir).startsWith(VM_DIR_PREFIX)) continue;
      if (await ownerAlive(vmDir)) { report.kept.push(vmDir); continue; }
      await reapVmDir(vmDir, report);
    }
    // The per-run vm dir goes once it holds no VM.
    try {
      if ((await readdir(vmRoot)).length === 0) await rm(vmRoot, { recursive: true, force: true });
    } catch { /* no vm dir in this run */ }
  }
  return report;
}
