/**
 * Lookups over results.json for the renderers. The reader has parsed the
 * whole file against the schema, so optional parts are simply absent:
 * a report of a partial run renders what is there.
 */
import type { CheckResult, ClaimRow, EnvKind, EnvResult, EnvResultOk, IsolationResults, PortabilityEvidence, RunResults, Sample, ScenarioResult } from '../../results/types.js';
import { classify } from '../../probe/expectations.js';
import { isCheckName, type CheckName } from '../../probe/checks.js';
import type { EvidenceLine } from '../../probe/evidence.js';

/** A fact's value as the generic facts table walks it (every fact schema fits this). */
export type FactValue = string | number | boolean | null | undefined | readonly FactValue[] | { readonly [k: string]: FactValue };

export function claimsOf(r: RunResults): ClaimRow[] | undefined {
  return r.claims;
}

export function isolationOf(r: RunResults): IsolationResults | undefined {
  const i = r.isolation;
  if (!i) return undefined;
  return { ...i, checks: withIsolation(r, i.checks, i.hostFacts) };
}

/**
 * Results written before checks carried `isolation` (isolated / exposed):
 * re-classify each environment's stored evidence lines with the same pure
 * classifier, so an old run renders the same matrix a new one would.
 */
function withIsolation(r: RunResults, checks: CheckResult[], hostFacts: IsolationResults['hostFacts']): CheckResult[] {
  if (checks.every((c) => c.isolation !== undefined)) return checks;
  const kindOf = (env: string): EnvKind | undefined => r.environments.find((e) => e.name === env)?.kind ?? r.scenarios.flatMap((s) => s.envs).find((e) => e.env === env)?.kind;
  const lines = new Map<string, Map<CheckName, EvidenceLine>>();
  for (const c of checks) {
    if (!c.raw || !isCheckName(c.check)) continue;
    const m = lines.get(c.env) ?? new Map<CheckName, EvidenceLine>();
    m.set(c.check, { ...c.raw, check: c.check });
    lines.set(c.env, m);
  }
  return checks.map((c) => {
    if (c.isolation !== undefined) return c;
    const kind = kindOf(c.env);
    const all = lines.get(c.env);
    if (!kind || !all || !isCheckName(c.check)) return { ...c, isolation: 'n/a' as const };
    try {
      const again = classify({ check: c.check, env: c.env, kind, line: all.get(c.check), host: hostFacts, all });
      return { ...c, ...(again.state ? { state: again.state } : {}), isolation: again.isolation ?? 'n/a' };
    } catch {
      return { ...c, isolation: 'n/a' as const };
    }
  });
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
