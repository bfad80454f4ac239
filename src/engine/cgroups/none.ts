import type { CgroupManager, CgroupPlan, CgroupStats } from './types.js';

/**
 * For hosts without usable cgroups, where only clean-up runs (gc): there is
 * nothing to remove, so every operation is empty. Never used to start
 * containers (openEngine detects real cgroups and fails with a hint).
 */
export class NoCgroups implements CgroupManager {
  readonly version = 2 as const;
  dirs(): string[] { return []; }
  joinFiles(): string[] { return []; }
  plan(): CgroupPlan { return { dirs: [], joinFiles: [], writes: [] }; }
  async remove(): Promise<string[]> { return []; }
  async list(): Promise<string[]> { return []; }
  async removeParentIfEmpty(): Promise<void> {}
  async pids(): Promise<number[]> { return []; }
  async stats(): Promise<CgroupStats> { return { oomKills: 0, memoryLimitBytes: null }; }
}
