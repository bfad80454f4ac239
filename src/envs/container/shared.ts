import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { EnvContext } from '../context.js';
import type { Limits } from '../types.js';
import type { HomePaths } from '../../core/home.js';
import type { ImageRef } from '../../image/types.js';
import { IMAGE_PATHS } from '../../image/types.js';
import { BenchError } from '../../core/errors.js';
import { loadEnsureSnapshots, type ContainerLimits } from '../../engine/index.js';

/** ensureSnapshots(home, image) -> layer dirs, top-most first; injectable for tests. */
export type SnapshotFn = (home: HomePaths, image: ImageRef) => Promise<string[]>;

export const defaultSnapshots: SnapshotFn = async (home, image) => (await loadEnsureSnapshots())(home, image);

/** Group ids become cgroup and runc container names: keep them short and plain. */
export function groupId(prefix: string, ctx: EnvContext): string {
  return `${prefix}-${ctx.runId}`.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 48);
}

export function containerLimits(l: Limits): ContainerLimits {
  const out: ContainerLimits = {};
  if (l.memoryMiB !== undefined) out.memoryBytes = Math.round(l.memoryMiB * 1024 * 1024);
  if (l.pids !== undefined) out.pids = l.pids;
  if (l.cpus !== undefined) out.cpus = l.cpus;
  return out;
}

/** The probe must be in the image: the ready marker comes from it. */
export function assertProbe(lowerDirs: string[]): void {
  if (!lowerDirs.some((d) => existsSync(path.join(d, IMAGE_PATHS.probe)))) {
    throw new BenchError('ENV_IMAGE_INCOMPLETE', `the image has no ${IMAGE_PATHS.probe}`, { hint: 'rebuild the workload image (bench image build)' });
  }
}

export function overlaySupported(): boolean {
  try {
    return /\toverlay$/m.test(readFileSync('/proc/filesystems', 'utf8'));
  } catch {
    return false;
  }
}

export function whichSync(bin: string): string | undefined {
  for (const dir of (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':')) {
    const p = path.join(dir, bin);
    if (existsSync(p)) return p;
  }
  return undefined;
}
