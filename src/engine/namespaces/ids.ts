import { readlinkSync } from 'node:fs';
import type { NamespaceName } from '../spec/defaults.js';

/** readlink /proc/<pid>/ns/<name> ("pid:[4026531836]"), or null when unreadable. */
export function namespaceId(pid: number | 'self', ns: NamespaceName): string | null {
  try {
    return readlinkSync(`/proc/${pid}/ns/${ns}`);
  } catch {
    return null;
  }
}

export function namespaceIds(pid: number | 'self', names: readonly NamespaceName[]): Record<string, string | null> {
  return Object.fromEntries(names.map((n) => [n, namespaceId(pid, n)]));
}
