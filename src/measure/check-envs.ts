import type { Availability, Environment } from '../envs/types.js';
import type { EnvironmentInfo } from '../results/types.js';
import { describeError } from '../core/errors.js';

/**
 * Asks every selected environment whether it can run here, all at once: the
 * checks are untimed and independent (each reads its own tools, and the slow
 * ones, the VM's KVM probe boot and gVisor's platform probe, are served from
 * the home's verdict cache after the first run on a boot), so the stage costs
 * the slowest check rather than their sum. Results keep the selection's order.
 */
export async function checkEnvironments(selected: readonly Environment[]): Promise<EnvironmentInfo[]> {
  const verdicts = await Promise.all(selected.map((env) => env.available().catch((err: unknown): Availability => ({ ok: false, reason: `availability check crashed: ${describeError(err).message}` }))));
  return selected.map((env, i) => environmentInfo(env, verdicts[i]!));
}

/** One environment's row of results.environments, from its availability verdict. */
export function environmentInfo(env: Environment, a: Availability): EnvironmentInfo {
  return {
    name: env.name,
    kind: env.kind,
    status: a.ok ? 'available' : 'skipped',
    ...(a.ok ? {} : { reason: a.reason ?? 'not available' }),
    ...(a.description ? { description: a.description } : {}),
    ...(a.version ? { version: a.version } : {}),
    ...(a.accelerator ? { accelerator: a.accelerator } : {}),
    ...(a.facts ? { facts: a.facts } : {}),
  };
}
