/**
 * Execution speed relative to the host, one figure per scenario × environment,
 * always oriented so that 1 = host speed and < 1 = slower: a higher-is-better
 * metric (events/s) keeps the ratio, a lower-is-better one (ms) is inverted
 * together with its interval. Startup-only scenarios belong to the startup chart.
 */
import type { RunResults, ScenarioResult } from '../../results/types.js';
import { envLabel, envOrder, envResult } from './access.js';

export interface SpeedCell {
  scenario: string;
  env: string;
  label: string;
  metric: string;
  unit: string;
  higherIsBetter: boolean;
  /** The stored ratio env/host of the metric and its CI. */
  rawRatio?: number;
  /** Speed relative to host (1 = host, < 1 slower) and its CI. */
  speed?: number;
  lo?: number;
  hi?: number;
  confidence?: number;
  n?: number;
  nHost?: number;
  median?: number;
  /** Why there is no figure (skipped, failed, no host baseline). */
  missing?: string;
  accelerator?: 'kvm' | 'tcg';
  /** The figure exists but must not be read against the host's (the result's comparableReason). */
  notComparable?: string;
  /** How the environment presented the image (the VM: initramfs or disk). */
  presentation?: string;
}

export function speedScenarios(r: RunResults): ScenarioResult[] {
  return r.scenarios.filter((s) => s.primaryMetric.name !== 'startupMs');
}

/** Environments compared to the host (everything but the baseline itself). */
export function comparedEnvs(r: RunResults): string[] {
  return envOrder(r).filter((e) => e !== 'host');
}

export function speedCell(r: RunResults, s: ScenarioResult, env: string): SpeedCell {
  const m = s.primaryMetric;
  const base: SpeedCell = { scenario: s.name, env, label: envLabel(r, env), metric: m.name, unit: m.unit, higherIsBetter: m.higherIsBetter };
  const e = envResult(s, env);
  if (!e) return { ...base, missing: 'not in this scenario' };
  if (e.status === 'skipped') return { ...base, missing: `skipped: ${e.reason}` };
  if (e.status === 'failed') return { ...base, missing: `failed: ${e.error.message}` };
  const host = envResult(s, 'host');
  const ratio = e.ratioToHost?.[m.name];
  const st = e.stats[m.name];
  const out: SpeedCell = { ...base, n: st?.n ?? e.samples.length, median: st?.median, nHost: host?.status === 'ok' ? host.stats[m.name]?.n : undefined };
  if (e.accelerator) out.accelerator = e.accelerator;
  if (e.comparable === false) out.notComparable = e.comparableReason ?? 'marked not comparable by its scenario';
  if (e.presentation) out.presentation = e.presentation.name;
  if (!ratio) return { ...out, missing: host?.status === 'ok' ? 'no ratio recorded' : 'no host baseline in this scenario' };
  out.rawRatio = ratio.ratio;
  out.confidence = ratio.confidence;
  if (m.higherIsBetter) {
    out.speed = ratio.ratio; out.lo = ratio.lo; out.hi = ratio.hi;
  } else {
    out.speed = 1 / ratio.ratio; out.lo = 1 / ratio.hi; out.hi = 1 / ratio.lo;
  }
  return out;
}

export function speedTable(r: RunResults): SpeedCell[][] {
  const envs = comparedEnvs(r);
  return speedScenarios(r).map((s) => envs.map((env) => speedCell(r, s, env)));
}
