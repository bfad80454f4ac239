/**
 * The devices a container may use: everything else is refused (deny all,
 * then allow). The list is runc's default allow-list (libcontainer's
 * AllowedDevices) without /dev/net/tun: mknod of any node is allowed (`m`),
 * opening is allowed only for the nodes a minimal /dev holds. Used by the
 * v1 devices controller and by the v2 BPF device program alike.
 */
export interface DeviceRule {
  type: 'c' | 'b';
  /** null = any. */
  major: number | null;
  minor: number | null;
  access: string;
}

export const DEVICE_ALLOW_LIST: readonly DeviceRule[] = [
  { type: 'c', major: null, minor: null, access: 'm' },
  { type: 'b', major: null, minor: null, access: 'm' },
  { type: 'c', major: 1, minor: 3, access: 'rwm' },    // null
  { type: 'c', major: 1, minor: 5, access: 'rwm' },    // zero
  { type: 'c', major: 1, minor: 7, access: 'rwm' },    // full
  { type: 'c', major: 1, minor: 8, access: 'rwm' },    // random
  { type: 'c', major: 1, minor: 9, access: 'rwm' },    // urandom
  { type: 'c', major: 5, minor: 0, access: 'rwm' },    // tty
  { type: 'c', major: 5, minor: 1, access: 'rwm' },    // console
  { type: 'c', major: 5, minor: 2, access: 'rwm' },    // ptmx
  { type: 'c', major: 136, minor: null, access: 'rwm' }, // pts/*
];

/** "c 1:3 rwm", "c *:* m": the v1 devices.allow syntax. */
export function deviceRuleText(r: DeviceRule): string {
  return `${r.type} ${r.major ?? '*'}:${r.minor ?? '*'} ${r.access}`;
}
