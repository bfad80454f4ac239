import path from 'node:path';
import { ConfigError } from '../core/errors.js';
import { STOCK_KERNEL_KEYWORDS } from '../envs/vm/kernel.js';
import { createEnvironments, environmentNames, unknownEnvironments, type Environment, type EnvContext } from '../envs/index.js';

/** Options shared by the commands that run environments (`bench run`, `bench verify`). */

/** Every environment of the table, in report order. */
export function allEnvironments(ctx: EnvContext): Environment[] {
  return createEnvironments(ctx);
}


/** Help text of --env: the table's names (the CLI uses env-help.ts, which avoids loading the table). */
export function envOptionHelp(): string {
  return `comma-separated environments (${environmentNames().join(',')}); default: all`;
}

/** --env a,b: validated names, or undefined for all. */
export function envList(v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const names = [...new Set(v.split(',').map((s) => s.trim()).filter(Boolean))];
  const unknown = unknownEnvironments(names);
  if (names.length === 0 || unknown.length > 0) {
    throw new ConfigError('ENV_UNKNOWN', `--env: unknown environment ${unknown.map((u) => `"${u}"`).join(', ') || '(empty list)'}`, { hint: `valid: ${environmentNames().join(', ')}` });
  }
  return names;
}

/** --reprobe or ISOBENCH_REPROBE=1: EnvContext.reprobe. */
export { reprobeRequested } from '../envs/verdict-cache.js';

/** --vm-kernel / --vm-accel. */
export function vmOptions(opts: { vmKernel?: string; vmAccel?: string }): { kernel?: string; accel?: 'auto' | 'kvm' | 'tcg' } {
  const accel = opts.vmAccel ?? 'auto';
  if (accel !== 'auto' && accel !== 'kvm' && accel !== 'tcg') throw new ConfigError('OPTION_INVALID', `--vm-accel: expected auto, kvm or tcg, got "${accel}"`);
  // "debian"/"stock" is a keyword (the distribution kernel), anything else a path.
  const keyword = opts.vmKernel !== undefined && (STOCK_KERNEL_KEYWORDS as readonly string[]).includes(opts.vmKernel);
  return { ...(opts.vmKernel ? { kernel: keyword ? opts.vmKernel : path.resolve(opts.vmKernel) } : {}), accel };
}
