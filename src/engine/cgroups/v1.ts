import path from 'node:path';
import type { ContainerLimits } from '../spec/container-spec.js';
import type { HostOps } from './host-ops.js';
import { type CgroupManager, type CgroupPlan, type CgroupStats, type ConfinementOptions, CPU_PERIOD_US } from './types.js';
import { rmdirRetry, parsePids, keyedValue } from './remove.js';
import { DEVICE_ALLOW_LIST, deviceRuleText } from './devices.js';

/** What a v1 host offers beyond the three limit controllers. */
export interface V1Extras {
  /** Every v1 hierarchy (named ones too): the container gets its own cgroup in each. */
  joinRoots?: string[];
  /** The devices controller's mount point: deny all, then the allow-list. */
  devices?: string;
  /** The cpuset hierarchy and the root's CPUs and memory nodes, copied down (a new cpuset has none). */
  cpuset?: { root: string; cpus: string; mems: string };
}

/**
 * cgroup v1: one hierarchy per controller. The limits go to memory, pids and
 * cpu; the container also gets its own cgroup in every other hierarchy
 * (joined per thread through `tasks`, which costs no RCU grace period), so
 * that a cgroupfs mounted inside its cgroup namespace shows its own cgroup,
 * never the host's root, and the devices controller confines it.
 */
export class CgroupV1 implements CgroupManager {
  readonly version = 1 as const;

  /**
   * mounts: controller -> mount point (from /proc/self/mountinfo).
   * sweepRoots: every v1 hierarchy; removal and listing look in all of them
   * because peers such as runc join (and leave dirs in) every hierarchy.
   */
  constructor(private readonly ops: HostOps, private readonly mounts: { memory: string; pids: string; cpu: string }, private readonly sweepRoots: string[] = [], private readonly extras: V1Extras = {}) {}

  private roots(confine: ConfinementOptions = {}): string[] {
    const limitRoots = [this.mounts.memory, this.mounts.pids, this.mounts.cpu];
    if (confine.allHierarchies === false) return [...new Set([...limitRoots, ...(confine.devices !== false && this.extras.devices ? [this.extras.devices] : [])])];
    const joins = (this.extras.joinRoots ?? []).filter((r) => r !== this.extras.devices || confine.devices !== false);
    return [...new Set([...limitRoots, ...(confine.devices !== false && this.extras.devices ? [this.extras.devices] : []), ...joins])];
  }

  private allRoots(): string[] {
    return [...new Set([...this.roots(), ...this.sweepRoots])];
  }

  dirs(parent: string, name: string, confine: ConfinementOptions = {}): string[] {
    return this.roots(confine).map((r) => path.join(r, parent, name));
  }

  /**
   * "tasks", not "cgroup.procs": moving the current thread by itself lets the
   * kernel skip the global threadgroup rwsem, whose write side waits for an
   * RCU grace period (measured here: 5.6 ms median -> 0.16 ms for the three
   * hierarchies). The init is single-threaded at that point, so moving the
   * thread moves the process.
   */
  joinFiles(parent: string, name: string, confine: ConfinementOptions = {}): string[] {
    return this.dirs(parent, name, confine).map((d) => path.join(d, 'tasks'));
  }

  plan(parent: string, name: string, limits: ContainerLimits, confine: ConfinementOptions = {}): CgroupPlan {
    const writes: CgroupPlan['writes'] = [];
    const mem = path.join(this.mounts.memory, parent, name);
    const pids = path.join(this.mounts.pids, parent, name);
    const cpu = path.join(this.mounts.cpu, parent, name);
    if (limits.memoryBytes !== undefined) writes.push({ file: path.join(mem, 'memory.limit_in_bytes'), value: String(limits.memoryBytes) });
    if (limits.pids !== undefined) writes.push({ file: path.join(pids, 'pids.max'), value: String(limits.pids) });
    if (limits.cpus !== undefined) {
      writes.push({ file: path.join(cpu, 'cpu.cfs_period_us'), value: String(CPU_PERIOD_US) });
      writes.push({ file: path.join(cpu, 'cpu.cfs_quota_us'), value: String(Math.round(limits.cpus * CPU_PERIOD_US)) });
    }
    const cs = this.extras.cpuset;
    if (cs && this.roots(confine).includes(cs.root)) {
      // Parent first: a child's cpus and mems must be a subset of its parent's (empty when made).
      for (const dir of [path.join(cs.root, parent), path.join(cs.root, parent, name)]) {
        writes.push({ file: path.join(dir, 'cpuset.cpus'), value: cs.cpus }, { file: path.join(dir, 'cpuset.mems'), value: cs.mems });
      }
    }
    if (this.extras.devices && confine.devices !== false) {
      const dev = path.join(this.extras.devices, parent, name);
      writes.push({ file: path.join(dev, 'devices.deny'), value: 'a' });
      for (const r of DEVICE_ALLOW_LIST) writes.push({ file: path.join(dev, 'devices.allow'), value: deviceRuleText(r) });
    }
    return { dirs: this.dirs(parent, name, confine), joinFiles: this.joinFiles(parent, name, confine), writes };
  }

  // The controllers' hierarchies are independent: their directories go concurrently (a container start waits for this with --rm).
  async remove(parent: string, name: string): Promise<string[]> {
    const dirs = this.allRoots().map((r) => path.join(r, parent, name));
    const gone = await Promise.all(dirs.map((d) => rmdirRetry(this.ops, d)));
    return dirs.filter((_, i) => gone[i]);
  }

  async list(parent: string): Promise<string[]> {
    const names = new Set<string>();
    for (const r of this.allRoots()) for (const n of await this.ops.listDirs(path.join(r, parent))) names.add(n);
    return [...names].sort();
  }

  async removeParentIfEmpty(parent: string): Promise<void> {
    await Promise.all(this.allRoots().map(async (r) => {
      const dir = path.join(r, parent);
      if (!(await this.ops.exists(dir))) return;
      if ((await this.ops.listDirs(dir)).length === 0) await rmdirRetry(this.ops, dir, 5).catch(() => false);
    }));
  }

  async pids(parent: string, name: string): Promise<number[]> {
    const all = new Set<number>();
    for (const r of this.allRoots()) {
      const text = await this.ops.readFile(path.join(r, parent, name, 'cgroup.procs')).catch(() => '');
      for (const p of parsePids(text)) all.add(p);
    }
    return [...all];
  }

  async stats(parent: string, name: string): Promise<CgroupStats> {
    const mem = path.join(this.mounts.memory, parent, name);
    const oom = await this.ops.readFile(path.join(mem, 'memory.oom_control')).catch(() => '');
    const limit = await this.ops.readFile(path.join(mem, 'memory.limit_in_bytes')).catch(() => '');
    const n = Number(limit.trim());
    // v1 reports "unlimited" as a huge page-aligned number.
    return { oomKills: keyedValue(oom, 'oom_kill'), memoryLimitBytes: limit && n < 2 ** 62 ? n : null };
  }
}
