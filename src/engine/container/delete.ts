import { promises as fs } from 'node:fs';
import type { Engine } from './engine.js';
import { loadState } from '../state/store.js';
import { assertCan } from '../state/guards.js';
import type { ContainerState } from '../state/types.js';
import { containerPaths } from '../rootfs/paths.js';
import { unmountUnder } from '../rootfs/mounts.js';
import { killContainer } from './kill.js';
import { waitContainer } from './wait.js';
import { detachNetwork } from '../network/attach.js';

export interface DeleteReport {
  id: string;
  unmounted: string[];
  cgroupsRemoved: string[];
}

/**
 * Removes everything of a stopped container: mounts left under its dir (none
 * normally: the overlay lives in the container's mount namespace and went
 * with it), its cgroups, its rw layer and its state.
 */
export async function removeContainerResources(engine: Engine, state: Pick<ContainerState, 'id' | 'cgroup'>): Promise<DeleteReport> {
  const paths = containerPaths(engine.home, state.id);
  // Nothing may stay mounted under the dir before it is removed (rm would follow a bind into the host).
  const unmounted = await unmountUnder(paths.dir);
  // The cgroup, the network and the files are independent of each other: removed concurrently (`ctr run --rm` waits for this).
  // All three run to the end before a failure of one is reported.
  const [cgroups, ...rest] = await Promise.allSettled([
    engine.cgroups.remove(state.cgroup.parent, state.cgroup.name),
    detachNetwork(engine.home, state.id), // bridge netns/veth/lease/proxies, if any
    fs.rm(paths.dir, { recursive: true, force: true }),
  ]);
  for (const r of [cgroups, ...rest]) if (r.status === 'rejected') throw r.reason;
  const cgroupsRemoved = (cgroups as PromiseFulfilledResult<string[]>).value;
  await engine.cgroups.removeParentIfEmpty(state.cgroup.parent);
  return { id: state.id, unmounted, cgroupsRemoved };
}

export async function deleteContainer(engine: Engine, id: string, opts: { force?: boolean } = {}): Promise<DeleteReport> {
  let s = await loadState(engine.home, id);
  if (s.status !== 'stopped' && opts.force) {
    await killContainer(engine, id, 'SIGKILL');
    s = await waitContainer(engine, id, 10_000);
  }
  assertCan('delete', id, s.status);
  return removeContainerResources(engine, s);
}
