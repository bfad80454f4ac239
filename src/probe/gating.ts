import type { CheckResult, IsolationResults } from '../results/isolation.js';

/**
 * Environments whose contradictions are regressions of this project: our own
 * container engine and our VM. The chroot's contradictions are findings about
 * chroot itself, and runc/bwrap are peers we only compare with.
 */
export const GATING_ENVS: readonly string[] = ['container', 'vm'];

export function isGating(env: string): boolean {
  return GATING_ENVS.includes(env);
}

export interface GateVerdict {
  ok: boolean;
  /** "network@container: expected ..., observed ..." per failure. */
  failures: string[];
}

/** Non-zero exit material: a gating env contradicted its expectation, or could not be probed although available. */
export function gate(iso: IsolationResults): GateVerdict {
  const failures: string[] = [];
  for (const c of iso.checks as CheckResult[]) {
    if (isGating(c.env) && c.outcome === 'contradicts') failures.push(`${c.check}@${c.env}: expected ${c.expected}; observed ${c.observed}`);
  }
  for (const e of iso.envs) {
    if (isGating(e.env) && e.status === 'failed') failures.push(`${e.env}: the isolation probe failed to run: ${e.reason ?? 'unknown reason'}`);
  }
  return { ok: failures.length === 0, failures };
}
