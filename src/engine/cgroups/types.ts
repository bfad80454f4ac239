import type { ContainerLimits } from '../spec/container-spec.js';
import type { DeviceRule } from './devices.js';

/** What the shim gets: dirs to create and join, and limit files to write (in order). */
export interface CgroupPlan {
  dirs: string[];
  /** Files the container init writes "0" (itself) to, joining its cgroups. */
  joinFiles: string[];
  writes: Array<{ file: string; value: string }>;
  /** cgroup v2: a device BPF program the shim builds from these rules and attaches to `dir` before the init joins it. */
  deviceProgram?: { dir: string; rules: DeviceRule[] };
}

/** How far the container is confined beyond its limits (both on by default; off only to test the checks). */
export interface ConfinementOptions {
  /** Deny every device but the allow-list (v1 devices controller; v2 BPF program). */
  devices?: boolean;
  /** Own cgroup in every hierarchy, not only the limit ones (v1). */
  allHierarchies?: boolean;
}

export interface CgroupStats {
  /** Times the kernel's OOM killer fired in this cgroup. */
  oomKills: number;
  memoryLimitBytes: number | null;
}

/**
 * One interface for cgroup v1 and v2 (youki's CgroupManager). A container's
 * cgroup is `<parent>/<name>` in every hierarchy, where parent is
 * `isobench-<home tag>` so one home's gc never touches another's.
 */
export interface CgroupManager {
  readonly version: 1 | 2;
  /** The per-container dirs (v1: one per controller hierarchy; v2: one). */
  dirs(parent: string, name: string): string[];
  /** What the init writes itself into (see the v1/v2 implementations for why they differ). */
  joinFiles(parent: string, name: string): string[];
  plan(parent: string, name: string, limits: ContainerLimits, confine?: ConfinementOptions): CgroupPlan;
  /** Removes the container's dirs (waits briefly for exiting tasks). Missing dirs are fine. */
  remove(parent: string, name: string): Promise<string[]>;
  /** Names of the container cgroups under parent (union over hierarchies). */
  list(parent: string): Promise<string[]>;
  /** Removes the parent dirs when they are empty. */
  removeParentIfEmpty(parent: string): Promise<void>;
  /** PIDs in the container cgroup (empty when gone). */
  pids(parent: string, name: string): Promise<number[]>;
  stats(parent: string, name: string): Promise<CgroupStats>;
}

export const CPU_PERIOD_US = 100_000;
