/**
 * Execution speed relative to the host, one figure per scenario × environment,
 * always oriented so that 1 = host speed and < 1 = slower: a higher-is-better
 * metric (events/s) keeps the ratio, a lower-is-better one (ms) is inverted
 * together with its interval. Startup-only scenarios belong to the startup chart.
 */
import type { EnvResult, RunResults, ScenarioResult, StopReason } from '../../results/types.js';
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
  /** Measured, but not comparable with the host (e.g. the VM's fsync hits RAM): the reason. */
  notComparable?: string;
  accelerator?: 'kvm' | 'tcg';
  /** How the environment presented the image (the VM: initramfs or disk). */
  presentation?: string;
  /** Its ratio came from runs paired slot by slot with a host companion (results method paired-slots). */
  paired?: boolean;
  /** Rounds taken and why sampling stopped. */
  rounds?: number;
  stop?: StopReason;
}

/**
 * Why a measured cell must not be read as a ratio to the host. A results cell
 * may say so itself (`comparable: false` with a reason); older results only
 * say it in the environment's facts (the VM's guest /tmp is RAM, so an
 * fsync-bound workload there measures memory, not storage).
 */
export function notComparableReason(r: RunResults, s: ScenarioResult, env: string): string | undefined {
  const e = envResult(s, env);
  if (e?.status === 'ok' && e.comparable === false) return e.comparableReason ?? 'marked not comparable by its scenario';
  const scratch = r.environments.find((x) => x.name === env)?.facts?.guestScratch;
  if (scratch && /fsync|fileio/.test(scratch) && (s.workload.type === 'probe-fsync' || /fsync/.test(s.primaryMetric.name))) return scratch;
  return undefined;
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
  if (e.sampling) { out.rounds = e.sampling.rounds; out.stop = e.sampling.stop; }
  if (e.presentation) out.presentation = e.presentation.name;
  const nc = notComparableReason(r, s, env);
  if (nc) out.notComparable = nc;
  if (!ratio) return { ...out, missing: host?.status === 'ok' ? 'no ratio recorded' : 'no host baseline in this scenario' };
  out.rawRatio = ratio.ratio;
  out.confidence = ratio.confidence;
  if (ratio.method === 'paired-slots') out.paired = true;
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
