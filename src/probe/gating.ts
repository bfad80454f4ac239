import type { CheckResult, IsolationResults } from '../results/isolation.js';
import type { GateOptions, RunResults } from '../results/types.js';

/**
 * Environments whose contradictions are regressions of this project: our own
 * container engine and our VM. The chroot's contradictions are findings about
 * chroot itself, and runc/bwrap are peers we only compare with. `bench
 * verify --require` narrows or widens this per run.
 */
export const GATING_ENVS: readonly string[] = ['container', 'vm'];

export function isGating(env: string, required: readonly string[] = GATING_ENVS): boolean {
  return required.includes(env);
}

export interface GateVerdict {
  ok: boolean;
  /** Everything that fails the gate: contradictions first, then untested required environments. */
  failures: string[];
  /** "network@container: expected ..., observed ..." per contradiction in a required environment. */
  contradictions: string[];
  /** "container: skipped: needs root" per required environment that was not (or could not be) tested. */
  untested: string[];
  /** The required environments this verdict held to their expectations. */
  required: readonly string[];
}

/** The gate a results file was judged with: the one `bench verify` recorded, else the default (skips allowed, as before the option existed). */
export function gateOptionsOf(r: Pick<RunResults, 'options'>): GateOptions {
  return r.options?.gate ?? { require: [...GATING_ENVS], allowSkip: true };
}

/**
 * Non-zero exit material: a required environment contradicted its
 * expectation, failed to be probed, or — unless skips are allowed — was
 * skipped or not run at all. A gate that tested nothing does not pass.
 */
export function gate(iso: IsolationResults, opts: GateOptions = { require: [...GATING_ENVS], allowSkip: true }): GateVerdict {
  const contradictions: string[] = [];
  const untested: string[] = [];
  for (const c of iso.checks as CheckResult[]) {
    if (isGating(c.env, opts.require) && c.outcome === 'contradicts') contradictions.push(`${c.check}@${c.env}: expected ${c.expected}; observed ${c.observed}`);
  }
  for (const name of opts.require) {
    const e = iso.envs.find((x) => x.env === name);
    if (e?.status === 'failed') untested.push(`${name}: the isolation probe failed to run: ${e.reason ?? 'unknown reason'}`);
    else if (opts.allowSkip) continue;
    else if (!e) untested.push(`${name}: required but not run (not selected with --env)`);
    else if (e.status === 'skipped') untested.push(`${name}: required but skipped: ${e.reason ?? 'not available here'}`);
  }
  const failures = [...contradictions, ...untested];
  return { ok: failures.length === 0, failures, contradictions, untested, required: opts.require };
}
