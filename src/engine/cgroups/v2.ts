import path from 'node:path';
import type { ContainerLimits } from '../spec/container-spec.js';
import type { HostOps } from './host-ops.js';
import { type CgroupManager, type CgroupPlan, type CgroupStats, type ConfinementOptions, CPU_PERIOD_US } from './types.js';
import { DEVICE_ALLOW_LIST } from './devices.js';
import { rmdirRetry, parsePids, keyedValue } from './remove.js';

/**
 * cgroup v2: one unified tree. Controllers must be enabled in the parent's
 * cgroup.subtree_control before a child can use them; the shim writes that
 * first (after creating the dirs), then the limits.
 */
export class CgroupV2 implements CgroupManager {
  readonly version = 2 as const;

  constructor(private readonly ops: HostOps, private readonly root: string) {}

  dirs(parent: string, name: string): string[] {
    return [path.join(this.root, parent, name)];
  }

  /** v2 has no per-thread move for domain cgroups; clone3(CLONE_INTO_CGROUP) would avoid the write altogether. */
  joinFiles(parent: string, name: string): string[] {
    return [path.join(this.root, parent, name, 'cgroup.procs')];
  }

  plan(parent: string, name: string, limits: ContainerLimits, confine: ConfinementOptions = {}): CgroupPlan {
    const dir = path.join(this.root, parent, name);
    const writes: CgroupPlan['writes'] = [];
    const controllers: string[] = [];
    if (limits.memoryBytes !== undefined) controllers.push('+memory');
    if (limits.pids !== undefined) controllers.push('+pids');
    if (limits.cpus !== undefined) controllers.push('+cpu');
    if (controllers.length > 0) writes.push({ file: path.join(this.root, parent, 'cgroup.subtree_control'), value: controllers.join(' ') });
    if (limits.memoryBytes !== undefined) {
      writes.push({ file: path.join(dir, 'memory.max'), value: String(limits.memoryBytes) });
      // Without this a v2 container would swap instead of being OOM-killed.
      writes.push({ file: path.join(dir, 'memory.swap.max'), value: '0' });
    }
    if (limits.pids !== undefined) writes.push({ file: path.join(dir, 'pids.max'), value: String(limits.pids) });
    if (limits.cpus !== undefined) writes.push({ file: path.join(dir, 'cpu.max'), value: `${Math.round(limits.cpus * CPU_PERIOD_US)} ${CPU_PERIOD_US}` });
    // No devices controller in v2: the same allow-list as a BPF program on the container's cgroup.
    const deviceProgram = confine.devices === false ? undefined : { dir, rules: DEVICE_ALLOW_LIST.map((r) => ({ ...r })) };
    return { dirs: [dir], joinFiles: this.joinFiles(parent, name), writes, ...(deviceProgram ? { deviceProgram } : {}) };
  }

  async remove(parent: string, name: string): Promise<string[]> {
    const dir = path.join(this.root, parent, name);
    return (await rmdirRetry(this.ops, dir)) ? [dir] : [];
  }

  async list(parent: string): Promise<string[]> {
    return (await this.ops.listDirs(path.join(this.root, parent))).sort();
  }

  async removeParentIfEmpty(parent: string): Promise<void> {
    const dir = path.join(this.root, parent);
    if (!(await this.ops.exists(dir))) return;
    if ((await this.ops.listDirs(dir)).length === 0) await rmdirRetry(this.ops, dir, 5).catch(() => false);
  }

  async pids(parent: string, name: string): Promise<number[]> {
    const text = await this.ops.readFile(path.join(this.root, parent, name, 'cgroup.procs')).catch(() => '');
    return parsePids(text);
  }

  async stats(parent: string, name: string): Promise<CgroupStats> {
    const dir = path.join(this.root, parent, name);
    const events = await this.ops.readFile(path.join(dir, 'memory.events')).catch(() => '');
    const max = (await this.ops.readFile(path.join(dir, 'memory.max')).catch(() => '')).trim();
    return { oomKills: keyedValue(events, 'oom_kill'), memoryLimitBytes: max && max !== 'max' ? Number(max) : null };
  }
}
