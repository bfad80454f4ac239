import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { WorkloadInvocation } from '../types.js';
import { IMAGE_PATHS } from '../../image/types.js';
import { BASE_ENV } from '../image-rootfs.js';
import { containerLimits } from '../container/shared.js';
import { runcConfig } from './runc-config.js';
import type { PeerRootfs } from './peer-rootfs.js';

/** Makes the bundle dir and writes its OCI runtime config (from runcConfig) as config.json. */
export async function writeBundle(dir: string, config: Record<string, unknown>): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'config.json'), JSON.stringify(config));
}

export interface RunBundleInput {
  readonly peer: PeerRootfs;
  /** The container id: the bundle's dir name and its cgroup's. */
  readonly id: string;
  /** The root the runtime is given (the prepared overlay). */
  readonly rootfs: string;
  readonly workload: WorkloadInvocation;
  /** Join this network namespace instead of a new, empty one. */
  readonly netnsPath?: string | undefined;
  /** The container's process instead of the probe's ready marker and the workload (a session's reader). */
  readonly process?: string[];
}

/**
 * One run's bundle under the peer group (`bundles/<id>`), as runc and runsc
 * get it: the probe's ready marker before the workload, the image's base
 * environment, a cgroup under the engine's parent with the scenario's
 * limits. Written before the timed spawn, as containerd does before calling
 * the runtime. Returns the bundle dir; the caller removes it when the run ends.
 */
export async function writeRunBundle(i: RunBundleInput): Promise<string> {
  const w = i.workload;
  const bundle = path.join(i.peer.group.dir, 'bundles', i.id);
  await writeBundle(bundle, runcConfig({
    ...(i.netnsPath ? { netnsPath: i.netnsPath } : {}),
    rootfs: i.rootfs,
    argv: i.process ?? [IMAGE_PATHS.probe, 'ready', w.token, '--', ...w.argv],
    env: Object.entries({ ...BASE_ENV, ...w.env }).map(([k, v]) => `${k}=${v}`),
    hostname: 'container',
    cgroupsPath: `/${i.peer.engine.cgroupParent}/${i.id}`,
    limits: containerLimits(w.limits),
  }));
  return bundle;
}
