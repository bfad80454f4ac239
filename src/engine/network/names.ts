import crypto from 'node:crypto';
import path from 'node:path';
import type { HomePaths } from '../../core/home.js';

/**
 * Host-global names carry the home's tag so one home's gc never touches
 * another's (interface names are limited to 15 characters by the kernel).
 */
export function bridgeName(tag: string): string {
  return `ib-${tag}`; // 11 chars
}

/** Host end of a container's veth: "iv" + tag + 5 hex of the id = 15 chars. */
export function vethHostName(tag: string, id: string): string {
  return `iv${tag}${crypto.createHash('sha256').update(id).digest('hex').slice(0, 5)}`;
}

export function vethPrefix(tag: string): string {
  return `iv${tag}`;
}

/** Temporary name of the container end before it is moved and renamed eth0. */
export function vethPeerTempName(tag: string, id: string): string {
  return `ip${tag}${crypto.createHash('sha256').update(id).digest('hex').slice(0, 5)}`;
}

export function netnsName(tag: string, id: string): string {
  return `isobench-${tag}-${id}`;
}

export function netnsPrefix(tag: string): string {
  return `isobench-${tag}-`;
}

/** Where `ip netns add` puts the namespace handle (the shim opens it with --netns). */
export const NETNS_DIR = '/run/netns';

export function netnsPath(tag: string, id: string): string {
  return path.join(NETNS_DIR, netnsName(tag, id));
}

/** Per-home network state: subnet choice, leases, per-container records. */
export function networkDir(home: HomePaths): string {
  return path.join(home.root, 'network');
}
