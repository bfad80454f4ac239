/**
 * The engine's isolation defaults, taken from runc/crun/containerd
 * (docs/ARCHITECTURE.md, "Container engine defaults"). Every container gets these unless its options
 * say otherwise; the `container`, `runc` and `bwrap` arms all use them so the
 * three are compared doing the same work.
 */
export const NAMESPACES = ['pid', 'mnt', 'net', 'ipc', 'uts', 'cgroup'] as const;
export type NamespaceName = (typeof NAMESPACES)[number];

export const MASKED_PATHS: readonly string[] = [
  '/proc/acpi', '/proc/asound', '/proc/kcore', '/proc/keys', '/proc/latency_stats',
  '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/sys/firmware', '/proc/scsi',
];

export const READONLY_PATHS: readonly string[] = [
  '/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger',
];

/** Linux capability numbers (include/uapi/linux/capability.h). */
export const CAPABILITY_NUMBERS: Readonly<Record<string, number>> = {
  CAP_CHOWN: 0, CAP_DAC_OVERRIDE: 1, CAP_DAC_READ_SEARCH: 2, CAP_FOWNER: 3, CAP_FSETID: 4, CAP_KILL: 5,
  CAP_SETGID: 6, CAP_SETUID: 7, CAP_SETPCAP: 8, CAP_LINUX_IMMUTABLE: 9, CAP_NET_BIND_SERVICE: 10,
  CAP_NET_BROADCAST: 11, CAP_NET_ADMIN: 12, CAP_NET_RAW: 13, CAP_IPC_LOCK: 14, CAP_IPC_OWNER: 15,
  CAP_SYS_MODULE: 16, CAP_SYS_RAWIO: 17, CAP_SYS_CHROOT: 18, CAP_SYS_PTRACE: 19, CAP_SYS_PACCT: 20,
  CAP_SYS_ADMIN: 21, CAP_SYS_BOOT: 22, CAP_SYS_NICE: 23, CAP_SYS_RESOURCE: 24, CAP_SYS_TIME: 25,
  CAP_SYS_TTY_CONFIG: 26, CAP_MKNOD: 27, CAP_LEASE: 28, CAP_AUDIT_WRITE: 29, CAP_AUDIT_CONTROL: 30,
  CAP_SETFCAP: 31, CAP_MAC_OVERRIDE: 32, CAP_MAC_ADMIN: 33, CAP_SYSLOG: 34, CAP_WAKE_ALARM: 35,
  CAP_BLOCK_SUSPEND: 36, CAP_AUDIT_READ: 37, CAP_PERFMON: 38, CAP_BPF: 39, CAP_CHECKPOINT_RESTORE: 40,
};

/** containerd's default set (oci.defaultUnixCaps): 14 capabilities. */
export const DEFAULT_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

export interface DeviceSpec {
  /** Name under /dev. */
  name: string;
  type: 'c' | 'b';
  major: number;
  minor: number;
  /** Permission bits, e.g. 0o666. */
  mode: number;
}

/** The minimal /dev (plus pts, shm and the usual symlinks the shim always creates). */
export const DEFAULT_DEVICES: readonly DeviceSpec[] = [
  { name: 'null', type: 'c', major: 1, minor: 3, mode: 0o666 },
  { name: 'zero', type: 'c', major: 1, minor: 5, mode: 0o666 },
  { name: 'full', type: 'c', major: 1, minor: 7, mode: 0o666 },
  { name: 'random', type: 'c', major: 1, minor: 8, mode: 0o666 },
  { name: 'urandom', type: 'c', major: 1, minor: 9, mode: 0o666 },
  { name: 'tty', type: 'c', major: 5, minor: 0, mode: 0o666 },
];

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function capabilityNumber(name: string): number | undefined {
  const key = name.toUpperCase().startsWith('CAP_') ? name.toUpperCase() : `CAP_${name.toUpperCase()}`;
  return CAPABILITY_NUMBERS[key];
}

/** Capability names -> the CapEff bit mask as /proc/<pid>/status prints it. */
export function capabilityMask(names: readonly string[]): bigint {
  let mask = 0n;
  for (const n of names) {
    const num = capabilityNumber(n);
    if (num !== undefined) mask |= 1n << BigInt(num);
  }
  return mask;
}
