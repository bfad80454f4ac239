import { existsSync } from 'node:fs';
import type { HomePaths } from '../core/home.js';
import { describeError } from '../core/errors.js';
import { gcHome, type GcReport } from '../engine/gc/index.js';
import { gcVms, type GcVmsReport } from '../envs/vm/gc.js';
import { openStore } from '../engine/store/index.js';
import { gcRuns, type GcRunsReport } from './gc-runs.js';
import { gcCgroupSentinels } from '../probe/escape-sentinels.js';

export interface FullGcReport {
  vms: GcVmsReport;
  engine: GcReport;
  runs: GcRunsReport;
  /** Unreferenced store blobs removed. */
  blobs: string[];
  /** Steps that failed; the others still ran. */
  errors: string[];
}

/**
 * Everything `bench gc` and the start-of-run sweep remove, for ONE home, in
 * dependency order: QEMU processes of dead harnesses first (they hold files
 * in run dirs), then containers (mounts, cgroups, rw layers, network), then
 * whole run dirs of dead harnesses (chroot binds, host copies), then store
 * blobs no image references. Each step is independent: one failing does not
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
  const engine = await step('containers', () => gcHome(home), { containers: [], groups: [], cgroups: [], unmounted: [], kept: [] });
  const runs = await step('runs', () => gcRuns(home), { removed: [], unmounted: [], kept: [] });
  // Empty sentinel cgroups of dead harnesses (their names carry the harness pid).
  await step('cgroup sentinels', () => gcCgroupSentinels(), [] as string[]);
  const blobs = existsSync(home.store) ? await step('store', async () => (await openStore(home.store)).gc(), [] as string[]) : [];
  return { vms, engine, runs, blobs, errors };
}
