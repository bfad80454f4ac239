import { existsSync } from 'node:fs';
import type { HomePaths } from '../core/home.js';
import { describeError } from '../core/errors.js';
import { gcHome, type GcReport } from '../engine/gc/index.js';
import { gcVms, type GcVmsReport } from '../envs/vm/gc.js';
import { stopDaemonOf } from '../envs/docker/daemon.js';
import { removeNspawnLeftovers } from '../envs/nspawn/nspawn-env.js';
import { openStore } from '../engine/store/index.js';
import { gcRuns, type GcRunsReport } from './gc-runs.js';
import { gcCgroupSentinels } from '../probe/escape-sentinels.js';
import { gcTemps } from './gc-temps.js';
import { RUN_LOCK_FILE, runLockHolder } from './run-lock.js';
import { unlink } from 'node:fs/promises';
import path from 'node:path';

export interface FullGcReport {
  vms: GcVmsReport;
  /** Our dockerd (and its containerd, shims) left by a crashed run; nspawn's per-machine dirs. */
  runtimes: string[];
  engine: GcReport;
  runs: GcRunsReport;
  /** Unreferenced store blobs removed. */
  blobs: string[];
  /** Temp files of dead writers removed from the home. */
  temps: string[];
  /** Steps that failed; the others still ran. */
  errors: string[];
}

/**
 * Everything `bench gc` and the start-of-run sweep remove, for ONE home, in
 * dependency order: QEMU processes of dead harnesses first (they hold files
 * in run dirs), then containers (mounts, cgroups, rw layers, network), then
 * whole run dirs of dead harnesses (their recorded helper processes, temp
 * files and volumes, chroot mounts, host copies), temp files of dead
 * writers anywhere in the home, then store blobs no image references. Each step is independent: one failing does not
 * stop the rest.
 */
export async function gcAll(home: HomePaths): Promise<FullGcReport> {
  const errors: string[] = [];
  const step = async <T>(name: string, fn: () => Promise<T>, empty: T): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      errors.push(`${name}: ${describeError(err).message}`);
      return empty;
    }
  };
  const vms = await step('vms', () => gcVms(home), { killed: [], removedDirs: [], kept: [] });
  const runtimes = [
    ...(await step('docker', () => stopDaemonOf(home, { onlyIfOwnerGone: true }), [] as string[])),
    ...(await step('nspawn', () => removeNspawnLeftovers(home.tag), [] as string[])),
  ];
  const engine = await step('containers', () => gcHome(home), { containers: [], groups: [], cgroups: [], unmounted: [], kept: [] });
  // Empty sentinel cgroups of dead harnesses (their names carry the harness pid).
  await step('cgroup sentinels', () => gcCgroupSentinels(), [] as string[]);
  const runs = await step('runs', () => gcRuns(home), { removed: [], unmounted: [], killed: [], volumes: [], temps: [], kept: [] });
  const temps = await step('temps', () => gcTemps(home), [] as string[]);
  // A run lock whose holder died (SIGKILL) is a leftover too.
  await step('lock', async () => { if (existsSync(path.join(home.root, RUN_LOCK_FILE)) && !(await runLockHolder(home))) await unlink(path.join(home.root, RUN_LOCK_FILE)); }, undefined);
  const blobs = existsSync(home.store) ? await step('store', async () => (await openStore(home.store)).gc(), [] as string[]) : [];
  return { vms, runtimes, engine, runs, blobs, temps, errors };
}
