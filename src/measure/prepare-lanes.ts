import type { Environment } from '../envs/types.js';

/**
 * Runs `fn` (an environment's untimed prepare) for every environment: the
 * ones whose prepare() touches only their own dirs and processes
 * (Environment.independentPrepare: the host's and the chroot's unpack, the VM's
 * disk or initramfs, Docker's daemon and load) each in a lane of its own, beside
 * one sequential chain of the others, which share the engine's snapshots,
 * cgroup parent and groups. Nothing is timed while this runs. `fn` must not
 * throw (it records its own failures).
 */
export async function prepareInLanes(envs: readonly Environment[], fn: (env: Environment) => Promise<void>): Promise<void> {
  const alone = envs.filter((e) => e.independentPrepare === true);
  const chain = envs.filter((e) => e.independentPrepare !== true);
  await Promise.all([
    ...alone.map((e) => fn(e)),
    (async () => { for (const e of chain) await fn(e); })(),
  ]);
}
