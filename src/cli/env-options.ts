import path from 'node:path';
import { ConfigError } from '../core/errors.js';
import { STOCK_KERNEL_KEYWORDS } from '../envs/vm/kernel.js';
import { ALL_ENV_NAMES, createEnvironments, type Environment, type EnvContext } from '../envs/index.js';
import type { EnvKind } from '../results/types.js';

/** Options shared by the commands that run environments (`bench run`, `bench verify`). */

const KIND_OF: Record<string, EnvKind> = { host: 'host', chroot: 'chroot', container: 'container', runc: 'container', bwrap: 'container', docker: 'container', gvisor: 'container', nspawn: 'container', vm: 'vm' };

/** Stands in for a backend this build does not have, so reports still list it, as skipped. */
function notBuilt(name: string): Environment {
  const reason = `the ${name} backend is not part of this isobench build yet`;
  const fail = (): never => { throw new ConfigError('ENV_NOT_BUILT', reason); };
  return { name, kind: KIND_OF[name] ?? 'container', available: async () => ({ ok: false, reason }), prepare: fail, start: fail, wait: fail, cleanup: async () => {} };
}

/** Every environment in report order: the registered backends, stand-ins for missing ones. */
export function allEnvironments(ctx: EnvContext): Environment[] {
  const registered = createEnvironments(ctx);
  const environments = ALL_ENV_NAMES.map((n) => registered.find((e) => e.name === n) ?? notBuilt(n));
  for (const e of registered) if (!environments.includes(e)) environments.push(e);
  return environments;
}

/** --env a,b: validated names, or undefined for all. */
export function envList(v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const names = [...new Set(v.split(',').map((s) => s.trim()).filter(Boolean))];
  const unknown = names.filter((n) => !(ALL_ENV_NAMES as readonly string[]).includes(n));
  if (names.length === 0 || unknown.length > 0) {
    throw new ConfigError('ENV_UNKNOWN', `--env: unknown environment ${unknown.map((u) => `"${u}"`).join(', ') || '(empty list)'}`, { hint: `valid: ${ALL_ENV_NAMES.join(', ')}` });
  }
  return names;
}

/** --vm-kernel / --vm-accel. */
export function vmOptions(opts: { vmKernel?: string; vmAccel?: string }): { kernel?: string; accel?: 'auto' | 'kvm' | 'tcg' } {
  const accel = opts.vmAccel ?? 'auto';
  if (accel !== 'auto' && accel !== 'kvm' && accel !== 'tcg') throw new ConfigError('OPTION_INVALID', `--vm-accel: expected auto, kvm or tcg, got "${accel}"`);
  // "debian"/"stock" is a keyword (the distribution kernel), anything else a path.
  const keyword = opts.vmKernel !== undefined && (STOCK_KERNEL_KEYWORDS as readonly string[]).includes(opts.vmKernel);
  return { ...(opts.vmKernel ? { kernel: keyword ? opts.vmKernel : path.resolve(opts.vmKernel) } : {}), accel };
}
