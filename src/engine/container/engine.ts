import path from 'node:path';
import { existsSync } from 'node:fs';
import type { HomePaths } from '../../core/home.js';
import { NATIVE_DIR } from '../../core/version.js';
import { HostRequirementError } from '../../core/errors.js';
import type { CgroupManager } from '../cgroups/types.js';
import { detectCgroups, cgroupParent } from '../cgroups/detect.js';

/** What every lifecycle verb needs: the home, the shim and the cgroup manager. */
export interface Engine {
  home: HomePaths;
  nativeDir: string;
  cgroups: CgroupManager;
  /** isobench-<tag>: this home's cgroup parent. */
  cgroupParent: string;
}

export interface EngineOptions {
  nativeDir?: string;
  cgroups?: CgroupManager;
}

export function openEngine(home: HomePaths, opts: EngineOptions = {}): Engine {
  return {
    home,
    nativeDir: opts.nativeDir ?? NATIVE_DIR,
    cgroups: opts.cgroups ?? detectCgroups(),
    cgroupParent: cgroupParent(home.tag),
  };
}

export function shimPath(engine: Pick<Engine, 'nativeDir'>): string {
  const p = path.join(engine.nativeDir, 'isobench-nsexec');
  if (!existsSync(p)) throw new HostRequirementError('NSEXEC_MISSING', `the engine's spawn shim ${p} is missing`, { hint: 'run `npm run build` (builds src/native)' });
  return p;
}

export function requireRoot(): void {
  if (process.getuid?.() !== 0) throw new HostRequirementError('NOT_ROOT', 'the container engine needs root (namespaces, mounts, cgroups)', { hint: 'run as root' });
}
