/** The isolation checks (docs/ARCHITECTURE.md, "Isolation checks"), in the order the probe prints them. */
export const CHECK_NAMES = [
  'namespaces', 'kernel', 'hypervisor', 'processes', 'root', 'network', 'hostname', 'ipc',
  'mounts', 'chroot-escape', 'privileges', 'masked-paths', 'devices', 'syscalls', 'cgroup-escape', 'host-binary',
  'memory-limit',
] as const;

export type CheckName = (typeof CHECK_NAMES)[number];

export function isCheckName(s: string): s is CheckName {
  return (CHECK_NAMES as readonly string[]).includes(s);
}
