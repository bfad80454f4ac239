import path from 'node:path';
import crypto from 'node:crypto';

/**
 * Where isobench keeps state. One home = one store, one set of containers,
 * one cgroup parent and one gc scope: two homes on one host never touch each
 * other's objects (tests rely on this to run beside a user's real home).
 */
export interface HomePaths {
  root: string;
  /** OCI image layout: oci-layout, index.json, blobs/sha256/<hex>. */
  store: string;
  /** Extracted layers, one directory per layer digest, shared read-only. */
  snapshots: string;
  /** Per-container state.json, upper/ and work/ dirs. */
  containers: string;
  volumes: string;
  /** Per-run scratch (chroot trees, VM artifacts, sentinels); swept by gc. */
  runs: string;
  /** Cached derived artifacts (guest kernel, initramfs). */
  cache: string;
  /** Short stable id of this home, used to name host-global objects (cgroups, bridges, netns). */
  tag: string;
}

export const DEFAULT_HOME = '/var/lib/isobench';

export function resolveHome(explicit?: string, env: NodeJS.ProcessEnv = process.env): HomePaths {
  const root = path.resolve(explicit ?? env.ISOBENCH_HOME ?? DEFAULT_HOME);
  const tag = crypto.createHash('sha256').update(root).digest('hex').slice(0, 8);
  return {
    root,
    store: path.join(root, 'store'),
    snapshots: path.join(root, 'snapshots'),
    containers: path.join(root, 'containers'),
    volumes: path.join(root, 'volumes'),
    runs: path.join(root, 'runs'),
    cache: path.join(root, 'cache'),
    tag,
  };
}
