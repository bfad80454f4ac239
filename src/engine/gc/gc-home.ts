import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { HomePaths } from '../../core/home.js';
import { openEngine, type EngineOptions } from '../container/engine.js';
import { removeContainerResources } from '../container/delete.js';
import { gcNetwork } from '../network/gc.js';
import { listContainerIds, readRawState, loadState, readOwner, ownerAlive } from '../state/store.js';
import { unmountUnder } from '../rootfs/mounts.js';
import { deleteRuncLeftovers, deleteRuntimeLeftovers } from './runc-leftovers.js';
import { detectCgroups, CgroupError } from '../cgroups/detect.js';
import { NoCgroups } from '../cgroups/none.js';
import type { CgroupManager } from '../cgroups/types.js';

function detectOrNone(): CgroupManager {
  try {
    return detectCgroups();
  } catch (e) {
    if (e instanceof CgroupError) return new NoCgroups();
    throw e;
  }
}

export interface GcReport {
  /** Containers (CLI) whose process was gone and were removed. */
  containers: string[];
  /** Container groups whose owner process was gone and were removed. */
  groups: string[];
  /** Orphan cgroup names removed from isobench-<tag>. */
  cgroups: string[];
  /** Mount points unmounted. */
  unmounted: string[];
  /** Things left alone because a live process still uses them. */
  kept: string[];
}

/** A dir with neither state.json nor owner.json younger than this may be mid-creation. */
const UNCLAIMED_GRACE_MS = 60_000;

/**
 * Removes everything of THIS home's containers whose process is gone:
 * leftover mounts, cgroups, rw layers (upper/work), state; then cgroups under
 * this home's parent (isobench-<tag>) that no live container claims and that
 * hold no process. Live containers are never touched. `bench run` calls this
 * at start; `bench gc` is the same call.
 */
export async function gcHome(home: HomePaths, opts: EngineOptions = {}): Promise<GcReport> {
  // A host without cgroups can still have container dirs and mounts to clean.
  const engine = openEngine(home, { ...opts, cgroups: opts.cgroups ?? detectOrNone() });
  const report: GcReport = { containers: [], groups: [], cgroups: [], unmounted: [], kept: [] };
  const liveNames = new Set<string>();
  const livePrefixes: string[] = [];

  for (const id of await listContainerIds(home)) {
    const dir = path.join(home.containers, id);
    if (await readRawState(home, id)) {
      const s = await loadState(home, id);
      if (s.status === 'stopped') {
        const r = await removeContainerResources(engine, s);
        report.unmounted.push(...r.unmounted);
        report.containers.push(id);
      } else {
        liveNames.add(s.cgroup.name);
        report.kept.push(id);
      }
      continue;
    }
    const owner = await readOwner(home, id);
    if (owner) {
      if (ownerAlive(owner)) {
        livePrefixes.push(owner.cgroupPrefix);
        report.kept.push(id);
        continue;
      }
      for (const root of owner.runcRoots) await deleteRuncLeftovers(root);
      for (const r of owner.runtimeRoots ?? []) await deleteRuntimeLeftovers(r);
      report.unmounted.push(...(await unmountUnder(dir)));
      await fs.rm(dir, { recursive: true, force: true });
      report.groups.push(id);
      continue;
    }
    const st = await fs.stat(dir).catch(() => null);
    if (st && Date.now() - st.mtimeMs > UNCLAIMED_GRACE_MS) {
      report.unmounted.push(...(await unmountUnder(dir)));
      await fs.rm(dir, { recursive: true, force: true });
      report.containers.push(id);
    }
  }

  for (const name of await engine.cgroups.list(engine.cgroupParent)) {
    if (liveNames.has(name) || livePrefixes.some((p) => name.startsWith(p))) continue;
    const pids = await engine.cgroups.pids(engine.cgroupParent, name);
    if (pids.length > 0) {
      report.kept.push(`cgroup ${name} (pids ${pids.join(',')})`);
      continue;
    }
    await engine.cgroups.remove(engine.cgroupParent, name);
    report.cgroups.push(name);
  }
  await engine.cgroups.removeParentIfEmpty(engine.cgroupParent);
  await gcNetwork(home); // netns/veth/leases of containers that are gone, then the bridge if unused
  return report;
}
