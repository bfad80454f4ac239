import type { ContainerSpec } from '../spec/container-spec.js';

export type ContainerStatus = 'created' | 'running' | 'stopped';

/** <home.containers>/<id>/state.json — what survives the CLI process. */
export interface ContainerState {
  version: 1;
  id: string;
  status: ContainerStatus;
  spec: ContainerSpec;
  /** The shim: parent of the container init; when it is gone the container is stopped. */
  shimPid: number | null;
  /** /proc/<pid>/stat start time of the shim, so a recycled pid is not mistaken for it. */
  shimStartTime: string | null;
  /** Host pid of the container's PID 1. */
  initPid: number | null;
  /** cgroup parent (isobench-<tag>) and name inside it. */
  cgroup: { parent: string; name: string; dirs: string[] };
  detached: boolean;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  exitCode: number | null;
}

/**
 * A group of short-lived containers owned by one long-lived process (the
 * harness's `container` arm, the runc/bwrap peers): <containers>/<id>/owner.json.
 * gc cleans the whole group once the owner is gone.
 */
export interface OwnerRecord {
  version: 1;
  id: string;
  ownerPid: number;
  ownerStartTime: string | null;
  purpose: string;
  /** cgroup names (inside the home's parent) that start with this prefix belong to the group. */
  cgroupPrefix: string;
  /** runc --root dirs to `runc delete -f` from on cleanup. */
  runcRoots: string[];
  /** State roots of other OCI runtimes (runsc) to force-delete from on cleanup; absent in older records. */
  runtimeRoots?: { runtime: 'runsc'; root: string }[];
  createdAt: string;
}
