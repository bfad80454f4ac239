import type { HomePaths } from '../core/home.js';
import { describeError } from '../core/errors.js';
import { gcAll } from './gc-all.js';

/**
 * START-OF-RUN SWEEP. `bench run` calls this before anything else so
 * leftovers of a crashed earlier run in this home (QEMU processes, stopped
 * containers, chroot binds, their cgroups) neither distort nor block this
 * one. It is the same call as `bench gc` and only ever touches this home's
 * objects. A failing sweep is a warning, not a reason to skip measuring.
 */
export async function startOfRunSweep(home: HomePaths, warn: (line: string) => void): Promise<void> {
  try {
    const r = await gcAll(home);
    for (const e of r.errors) warn(`start-of-run gc: ${e}`);
    const swept = r.vms.killed.length + r.engine.containers.length + r.engine.groups.length + r.runs.removed.length + r.runs.killed.length + r.runs.volumes.length;
    if (swept > 0) warn(`start-of-run gc removed leftovers of an earlier run: ${r.vms.killed.length} QEMU process(es), ${r.engine.containers.length + r.engine.groups.length} container set(s), ${r.runs.removed.length} run dir(s), ${r.runs.killed.length} helper process(es), ${r.runs.volumes.length} volume(s)`);
  } catch (err) {
    warn(`start-of-run gc failed (continuing): ${describeError(err).message}`);
  }
}
