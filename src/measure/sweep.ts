import type { HomePaths } from '../core/home.js';
import { describeError } from '../core/errors.js';

/**
 * START-OF-RUN SWEEP HOOK. `bench run` calls this before anything else so
 * leftovers of a crashed earlier run in this home (stopped containers, their
 * mounts and cgroups) do not distort or block this one. The engine's gc
 * (src/engine/gc, the same call as `bench gc`) does the work; it only ever
 * touches this home's objects. A failing sweep is a warning, not a reason
 * to skip measuring.
 */
export async function startOfRunSweep(home: HomePaths, warn: (line: string) => void): Promise<void> {
  let gc: ((home: HomePaths) => Promise<unknown>) | undefined;
  try {
    const spec = '../engine/gc/index.js';
    gc = ((await import(spec)) as { gcHome?: (home: HomePaths) => Promise<unknown> }).gcHome;
  } catch {
    return; // no engine in this build: nothing of it can be left over
  }
  if (!gc) return;
  try {
    await gc(home);
  } catch (err) {
    warn(`start-of-run gc failed (continuing): ${describeError(err).message}`);
  }
}
