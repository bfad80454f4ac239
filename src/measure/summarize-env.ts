import type { EnvResult, EnvResultOk, MetricSpec, RatioEstimate, Sample, SummaryStats } from '../results/types.js';
import { ratioCI, summarize } from '../stats/index.js';
import { TIMING_METRICS, sampleMetric } from '../scenario/workloads/index.js';

/** The metrics a scenario reports: the harness timings first, then the workload's own (no duplicates). */
export function scenarioMetrics(workloadMetrics: readonly MetricSpec[]): MetricSpec[] {
  const out: MetricSpec[] = [TIMING_METRICS.startupMs, TIMING_METRICS.exitMs, TIMING_METRICS.execMs];
  for (const m of workloadMetrics) if (!out.some((o) => o.name === m.name)) out.push(m);
  return out;
}

function values(samples: readonly Sample[], metric: string): number[] {
  return samples.map((s) => sampleMetric(s, metric)).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}

/** Summary per metric over the measured samples (warm-up excluded). */
export function statsFor(samples: readonly Sample[], metrics: readonly MetricSpec[]): Record<string, SummaryStats> {
  const stats: Record<string, SummaryStats> = {};
  for (const m of metrics) {
    const xs = values(samples, m.name);
    if (xs.length > 0) stats[m.name] = summarize(xs);
  }
  return stats;
}

/**
 * Ratio env/host per metric with a bootstrap CI. The seed is fixed per
 * (scenario, env, metric) so re-rendering the same data gives the same
 * interval. A metric whose host median is 0 has no ratio (noted).
 */
export function ratiosToHost(env: Sample[], host: Sample[], metrics: readonly MetricSpec[], seedKey: string, notes: string[]): Record<string, RatioEstimate> {
  const out: Record<string, RatioEstimate> = {};
  for (const m of metrics) {
    const a = values(env, m.name);
    const b = values(host, m.name);
    if (a.length === 0 || b.length === 0) continue;
    try {
      out[m.name] = ratioCI(a, b, { seed: seedOf(`${seedKey}/${m.name}`) });
    } catch (err) {
      notes.push(`no ratio to host for ${m.name}: ${(err as Error).message}`);
    }
  }
  return out;
}

function seedOf(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Reason a cell is not comparable with the host, from the medians of both (a workload's own rule). */
export type ComparabilityRule = (cell: Record<string, number>, host: Record<string, number>) => string | undefined;

function medians(e: EnvResultOk): Record<string, number> {
  return Object.fromEntries(Object.entries(e.stats).map(([k, v]) => [k, v.median]));
}

/**
 * Fills stats and ratioToHost of every ok env of a scenario, the host being
 * the baseline, and marks cells the workload's rule finds not comparable
 * (a cell already marked keeps its first reason).
 */
export function finishScenario(scenario: string, envs: EnvResult[], metrics: readonly MetricSpec[], comparability?: ComparabilityRule): void {
  const host = envs.find((e): e is EnvResultOk => e.kind === 'host' && e.status === 'ok');
  for (const e of envs) {
    if (e.status !== 'ok') continue;
    e.stats = statsFor(e.samples, metrics);
  }
  for (const e of envs) {
    if (e.status !== 'ok' || !host || e === host) continue;
    const notes = e.notes ?? [];
    e.ratioToHost = ratiosToHost(e.samples, host.samples, metrics, `${scenario}/${e.env}`, notes);
    if (notes.length > 0) e.notes = notes;
    const reason = e.comparable === false ? undefined : comparability?.(medians(e), medians(host));
    if (reason) {
      e.comparable = false;
      e.comparableReason = reason;
    }
  }
}
