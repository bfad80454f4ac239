/**
 * Lookups over results.json for the renderers. The reader has parsed the
 * whole file against the schema, so optional parts are simply absent:
 * a report of a partial run renders what is there.
 */
import type { ClaimRow, EnvResult, EnvResultOk, IsolationResults, PortabilityEvidence, RunResults, Sample, ScenarioResult } from '../../results/types.js';

/** A fact's value as the generic facts table walks it (every fact schema fits this). */
export type FactValue = string | number | boolean | null | undefined | readonly FactValue[] | { readonly [k: string]: FactValue };

export function claimsOf(r: RunResults): ClaimRow[] | undefined {
  return r.claims;
}

export function isolationOf(r: RunResults): IsolationResults | undefined {
  return r.isolation;
}

export function portabilityOf(r: RunResults): PortabilityEvidence[] {
  return r.facts?.portability ?? [];
}

/** Facts other than portability (rendered generically as key/value), in the order they were recorded. */
export function otherFacts(r: RunResults): [string, FactValue][] {
  const facts: { [k: string]: FactValue } = r.facts ?? {};
  return Object.entries(facts).filter(([k, v]) => k !== 'portability' && v !== undefined);
}

/** Environment names in report order: the run's environment list first, then any others seen in scenarios. */
export function envOrder(r: RunResults): string[] {
  const names = r.environments.map((e) => e.name);
  for (const s of r.scenarios) for (const e of s.envs) if (!names.includes(e.env)) names.push(e.env);
  return names;
}

export function envResult(s: ScenarioResult, env: string): EnvResult | undefined {
  return s.envs.find((e) => e.env === env);
}

export function okEnv(s: ScenarioResult, env: string): EnvResultOk | undefined {
  const e = envResult(s, env);
  return e?.status === 'ok' ? e : undefined;
}

/** The accelerator of an environment (from its result or from the environment list). */
export function acceleratorOf(r: RunResults, env: string): 'kvm' | 'tcg' | undefined {
  const info = r.environments.find((e) => e.name === env);
  if (info?.accelerator) return info.accelerator;
  for (const s of r.scenarios) {
    const e = okEnv(s, env);
    if (e?.accelerator) return e.accelerator;
  }
  return undefined;
}

/** Env label used beside every figure: a TCG VM always carries "TCG, emulated". */
export function envLabel(r: RunResults, env: string): string {
  return acceleratorOf(r, env) === 'tcg' ? `${env} (TCG, emulated)` : env;
}

/** Values of one metric across samples: parsed workload metrics first, then the timing fields. */
export function metricValues(samples: readonly Sample[], metric: string): number[] {
  const out: number[] = [];
  for (const s of samples) {
    const v = s.metrics?.[metric] ?? (metric === 'startupMs' || metric === 'exitMs' || metric === 'execMs' ? s[metric] : undefined);
    if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
  }
  return out;
}

/** The scenario whose figures stand for "startup": the one whose primary metric is startupMs, else one named startup, else the first. */
export function startupScenario(r: RunResults): ScenarioResult | undefined {
  return r.scenarios.find((s) => s.primaryMetric.name === 'startupMs') ?? r.scenarios.find((s) => s.name === 'startup') ?? r.scenarios[0];
}
