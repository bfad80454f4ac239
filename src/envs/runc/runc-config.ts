import {
  MASKED_PATHS, READONLY_PATHS, DEFAULT_CAPABILITIES, CPU_PERIOD_US, ociSeccomp, type ContainerLimits,
} from '../../engine/index.js';

export interface RuncConfigInput {
  rootfs: string;
  argv: string[];
  env: string[];
  hostname: string;
  /** cgroupsPath: "/isobench-<tag>/<id>" (absolute: under each hierarchy root, like our engine). */
  cgroupsPath: string;
  limits: ContainerLimits;
  /** Join this network namespace (a veth on the engine bridge) instead of a new, empty one. */
  netnsPath?: string;
}

/**
 * An OCI runtime config doing what our engine does: the same namespaces,
 * mounts, masked and read-only paths, the same 14 capabilities, no_new_privs.
 * runc adds its default devices (the same six) and its default device
 * allow-list, and brings up lo itself; the seccomp section is our engine's
 * default policy, so both are compared with the same filter.
 */
export function runcConfig(i: RuncConfigInput): Record<string, unknown> {
  const caps = [...DEFAULT_CAPABILITIES];
  const resources: Record<string, unknown> = {};
  if (i.limits.memoryBytes !== undefined) resources.memory = { limit: i.limits.memoryBytes };
  if (i.limits.pids !== undefined) resources.pids = { limit: i.limits.pids };
  if (i.limits.cpus !== undefined) resources.cpu = { quota: Math.round(i.limits.cpus * CPU_PERIOD_US), period: CPU_PERIOD_US };
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: false,
      user: { uid: 0, gid: 0 },
      args: i.argv,
      env: i.env,
      cwd: '/',
      capabilities: { bounding: caps, effective: caps, permitted: caps },
      noNewPrivileges: true,
    },
    root: { path: i.rootfs, readonly: false },
    hostname: i.hostname,
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
      { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
      { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620'] },
      { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    ],
    linux: {
      cgroupsPath: i.cgroupsPath,
      resources,
      namespaces: [{ type: 'pid' }, i.netnsPath ? { type: 'network', path: i.netnsPath } : { type: 'network' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, { type: 'cgroup' }],
      maskedPaths: [...MASKED_PATHS],
      readonlyPaths: [...READONLY_PATHS],
      seccomp: ociSeccomp(),
    },
  };
}
