/**
 * Sequential sampling policy of one scenario: when an environment has been
 * measured enough (src/stats/sequential.ts decides), when the time budget
 * forces a stop, and the interval that goes into the results.
 */
import type { RatioEstimate, Sample, SamplingPolicy, StopReason } from '../results/types.js';
import type { Scenario } from '../scenario/schema.js';
import { stoppingThresholds } from '../claims/thresholds.js';
import { sampleMetric } from '../scenario/workloads/index.js';
import {
  lookConfidence, lookDue, lookDecision, medianCI, medianWithRelativeSE, pairedRatioCI, pairedSpread, relativeHalfWidth, robustRatioHalfWidth, sequentialRatioCI, SEQUENTIAL_CONFIDENCE, thresholdsCleared,
} from '../stats/index.js';

/** Sub-millisecond startups jitter by tens of percent run to run: their ratio target is never tighter than ±5%. */
export const STARTUP_PRECISION_FLOOR = 0.05;
export { DEFAULT_MAX_ROUNDS } from './sampling-defaults.js';

/** Run-wide sampling options (bench run --precision --max-rounds --budget). */
export interface SamplingOptions {
  precision: number;
  maxRounds: number;
  /** This scenario's share of the run's budget, ms (undefined: no time limit). */
  budgetMs?: number;
  /** No scenario after this one shares the run's budget: what its cells leave unused would go nowhere. */
  last?: boolean;
}

export function isStartupScenario(s: Pick<Scenario, 'primaryMetric'>): boolean {
  return s.primaryMetric.name === 'startupMs';
}

export function samplingPolicy(s: Scenario, o: SamplingOptions | undefined): SamplingPolicy {
  if (!o) return { mode: 'fixed', minRounds: s.rounds, maxRounds: s.rounds };
  const precision = isStartupScenario(s) ? Math.max(o.precision, STARTUP_PRECISION_FLOOR) : o.precision;
  const minRounds = Math.min(s.rounds, o.maxRounds);
  const maxRounds = Math.max(o.maxRounds, 1);
  return {
    mode: 'sequential',
    minRounds,
    maxRounds,
    precision,
    confidence: SEQUENTIAL_CONFIDENCE,
    // Pocock's level for this schedule of looks (src/stats/pocock.ts); a budget floor of three runs can add a look before minRounds.
    lookConfidence: lookConfidence(SEQUENTIAL_CONFIDENCE, Math.max(1, Math.min(minRounds, 3)), maxRounds),
    ...(o.budgetMs !== undefined ? { budgetMs: Math.round(o.budgetMs) } : {}),
  };
}

export function values(samples: readonly Sample[], metric: string): number[] {
  return samples.map((x) => sampleMetric(x, metric)).filter((v): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0);
}

/** The metric each paired run records: its median slot ratio to the host companion (src/measure/paired.ts). */
export const PAIRED_RATIO = 'paired_ratio';

/**
 * The interval of a cell whose every run was paired with a host companion
 * (at least three): t on the runs' paired log ratios (src/stats/paired.ts).
 * Undefined when any run was not paired: then the runs' own figures and the
 * host's give the ratio, as for any cell.
 */
export function pairedRatio(mine: readonly Sample[], confidence: number): RatioEstimate | undefined {
  const r = pairedRuns(mine);
  return r ? pairedRatioCI(r, confidence) : undefined;
}

/** The runs' paired ratios when every run of the cell has one (at least three), else undefined. */
function pairedRuns(mine: readonly Sample[]): number[] | undefined {
  const r = values(mine, PAIRED_RATIO);
  return r.length >= 3 && r.length === mine.length ? r : undefined;
}

export interface LookResult {
  stop?: Extract<StopReason, 'decided' | 'precision' | 'max-rounds'>;
  halfWidth?: number;
  /** The half-width the MAD forecasts (src/stats robustRatioHalfWidth): what a futility stop projects from, as one slow run cannot inflate it. */
  spread?: number;
  /** The interval already clears every threshold the claims use for this ratio (or none applies): only precision is missing. */
  clear?: boolean;
  looked: boolean;
}

/**
 * After a round: is this a look for an environment with these samples, and
 * does it end its sampling? `host` is the baseline's samples (empty when the
 * host is not measured, or for the host itself: then its own median's
 * precision decides). `prev` is the sample size at the previous check (a
 * round can add a batch of runs, stepping over a scheduled look).
 */
export function look(p: SamplingPolicy, s: Scenario, env: { name: string; accelerator?: 'kvm' | 'tcg' }, mine: readonly Sample[], host: readonly Sample[], prev = mine.length - 1): LookResult {
  const n = mine.length;
  if (p.mode !== 'sequential' || !lookDue(prev, n, p.minRounds, p.maxRounds)) return { looked: false };
  const metric = s.primaryMetric.name;
  const a = values(mine, metric);
  const b = values(host, metric);
  const level = p.lookConfidence ?? 0.975;
  const precision = p.precision ?? 0.03;
  let decision: 'decided' | 'precision' | undefined;
  let halfWidth: number | undefined;
  let clear: boolean | undefined;
  let spread: number | undefined;
  if (a.length >= 3 && b.length >= 3) {
    const th = stoppingThresholds(env.name, isStartupScenario(s), env.accelerator);
    const runs = pairedRuns(mine);
    const r = runs ? pairedRatioCI(runs, level) : sequentialRatioCI(a, b, level);
    halfWidth = relativeHalfWidth(r.ratio, r.lo, r.hi);
    // A paired interval's SD rests on every run, not on the two extreme ones: its z-based width is the forecast.
    spread = runs ? pairedSpread(runs, level) : robustRatioHalfWidth(a, b, level);
    const startup = values(mine, 'startupMs');
    const abs = th.absoluteMs.length && startup.length >= 3 ? { ...medianCI(startup, level), thresholds: th.absoluteMs } : undefined;
    const input = { ratio: r, ratioThresholds: th.ratio, ...(abs ? { absolute: abs } : {}), precision };
    decision = lookDecision(input);
    clear = thresholdsCleared(input);
  } else if (a.length >= 3) {
    const m = medianCI(a, level);
    halfWidth = relativeHalfWidth(m.median, m.lo, m.hi);
    if (halfWidth <= precision) decision = 'precision';
  }
  const known = { ...(halfWidth !== undefined ? { halfWidth } : {}), ...(spread !== undefined ? { spread } : {}), ...(clear !== undefined ? { clear } : {}) };
  if (decision) return { stop: decision, looked: true, ...known };
  if (n >= p.maxRounds) return { stop: 'max-rounds', looked: true, ...known };
  return { looked: true, ...known };
}

/** The interval stored for the primary metric of a sequentially sampled environment: the one the stopping rule used. */
export function sequentialRatio(p: SamplingPolicy, s: Scenario | { primaryMetric: { name: string } }, mine: readonly Sample[], host: readonly Sample[]): RatioEstimate | undefined {
  if (p.mode !== 'sequential') return undefined;
  const a = values(mine, s.primaryMetric.name);
  const b = values(host, s.primaryMetric.name);
  if (a.length < 3 || b.length < 3) return undefined;
  const level = p.lookConfidence ?? 0.975;
  return pairedRatio(mine, level) ?? sequentialRatioCI(a, b, level);
}

/** Relative half-width of the host's own median (its figure stands alone). */
export function ownHalfWidth(p: SamplingPolicy, s: Scenario, mine: readonly Sample[]): number | undefined {
  const a = values(mine, s.primaryMetric.name);
  if (a.length < 3) return undefined;
  const m = medianWithRelativeSE(a);
  const ci = medianCI(a, p.lookConfidence ?? 0.975);
  return relativeHalfWidth(m.median, ci.lo, ci.hi);
}
