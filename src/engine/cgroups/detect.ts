import { BenchError } from '../../core/errors.js';
import type { HostOps } from './host-ops.js';
import { realHostOps } from './host-ops.js';
import type { CgroupManager } from './types.js';
import { CgroupV1 } from './v1.js';
import { CgroupV2 } from './v2.js';

export class CgroupError extends BenchError {}

interface CgroupMount { type: 'cgroup' | 'cgroup2'; mountPoint: string; options: string[] }

/** cgroup mounts from /proc/self/mountinfo ("... - cgroup cgroup rw,memory"). */
export function parseCgroupMounts(mountinfo: string): CgroupMount[] {
  const out: CgroupMount[] = [];
  for (const line of mountinfo.split('\n')) {
    const [pre, post] = line.split(' - ');
    if (!pre || !post) continue;
    const [fstype, , superOpts] = post.split(' ');
    if (fstype !== 'cgroup' && fstype !== 'cgroup2') continue;
    const mountPoint = pre.split(' ')[4];
    if (!mountPoint) continue;
    out.push({ type: fstype, mountPoint: mountPoint.replace(/\\040/g, ' '), options: (superOpts ?? '').split(',') });
  }
  return out;
}

/**
 * v1 when the memory, pids and cpu controllers are mounted as v1 hierarchies
 * (pure v1 or hybrid, like this project's CI host); v2 when the unified tree
 * is the only one that carries controllers.
 */
export function detectCgroups(ops: HostOps = realHostOps): CgroupManager {
  const mounts = parseCgroupMounts(ops.mountinfo());
  const v1 = (ctrl: string): string | undefined => mounts.find((m) => m.type === 'cgroup' && m.options.includes(ctrl))?.mountPoint;
  const memory = v1('memory');
  const pids = v1('pids');
  const cpu = v1('cpu');
  // Hybrid: the unified tree is swept too (runc creates its dirs there as well).
  if (memory && pids && cpu) {
    const joinRoots = [...new Set(mounts.filter((m) => m.type === 'cgroup').map((m) => m.mountPoint))];
    const devices = v1('devices');
    const cpusetRoot = v1('cpuset');
    const cpuset = cpusetRoot ? readCpuset(ops, cpusetRoot) : undefined;
    return new CgroupV1(ops, { memory, pids, cpu }, mounts.map((m) => m.mountPoint), {
      joinRoots: joinRoots.filter((r) => r !== cpusetRoot || cpuset),
      ...(devices ? { devices } : {}),
      ...(cpuset ? { cpuset } : {}),
    });
  }
  const unified = mounts.find((m) => m.type === 'cgroup2');
  if (unified) return new CgroupV2(ops, unified.mountPoint);
  throw new CgroupError('CGROUPS_MISSING', 'no usable cgroup hierarchy: need v1 memory+pids+cpu or a cgroup2 mount', { hint: 'mount cgroup2 on /sys/fs/cgroup (or the v1 controllers)' });
}

/** The root cpuset's CPUs and memory nodes (undefined when unreadable: the cpuset hierarchy is then not joined). */
function readCpuset(ops: HostOps, root: string): { root: string; cpus: string; mems: string } | undefined {
  const cpus = ops.readFileSync?.(`${root}/cpuset.effective_cpus`)?.trim();
  const mems = ops.readFileSync?.(`${root}/cpuset.effective_mems`)?.trim();
  return cpus && mems ? { root, cpus, mems } : undefined;
}

/** The cgroup parent of one home: isobench-<tag>. */
export function cgroupParent(tag: string): string {
  return `isobench-${tag}`;
}
