/**
 * Sequential sampling: keep measuring until a ratio is decided, then stop.
 *
 * Method. Kalibera & Jones, "Rigorous Benchmarking in Reasonable Time"
 * (ISMM 2013) argue for choosing the number of repetitions from the measured
 * variation rather than fixing it, and for reporting a ratio with its
 * interval. Here that is done online: after the scenario's minimum rounds the
 * interval of the env/host ratio is looked at on a geometric schedule
 * (every time the sample grows by LOOK_GROWTH), and sampling of that
 * environment stops once the interval is *decided*:
 *   - it lies wholly inside or wholly outside every threshold band the claims
 *     apply to it (no threshold strictly inside the interval), and
 *   - its relative half-width is at most the precision target.
 *
 * Optional stopping. Stopping the first time an interval clears a threshold
 * inflates the error rate of that interval (every look is another chance to
 * stop on a lucky draw). The correction is Pocock's constant boundary
 * ("Group sequential methods in the design and analysis of clinical trials",
 * Biometrika 64(2), 1977), computed for the actual schedule of looks
 * (src/stats/pocock.ts: 99.4% at every look for the default 3..1000 runs). A fixed
 * 1 - alpha/2 (97.5%) per look, used before, was enough only while noise kept
 * the precision target out of reach until the last looks: with a ratio on a
 * threshold and steady runs it covered 84-88%. The Bonferroni bound, alpha
 * divided by the number of looks, would be needlessly strict: successive looks
 * share most of their data. The claim is checked, not assumed:
 * test/stats/sequential.test.ts simulates 1,000 sequential runs per case on
 * synthetic data with a known ratio, on and off the thresholds, and requires
 * the final interval to cover it at least 93% of the time.
 *
 * Interval. The ratio is that of the environment's and the host's 20%
 * trimmed geometric means (the trimmed mean of each side's logs,
 * src/stats/trimmed.ts; below 10 runs nothing is trimmed): from 10 runs on as
 * indifferent to the odd slow run as a median, but with ~94% of the mean's
 * efficiency where the median has 64%, so a cell reaches its precision in
 * 15-29% fewer runs (simulated). Each side's standard error is Yuen's,
 * from the winsorized variance; the log ratio's is sqrt(se_env^2 + se_host^2)
 * (the two sides are sampled independently). At a look the level can be far
 * out in the tails, where a bootstrap would need tens of thousands of
 * resamples per look: this is cheap, deterministic, and valid at any level.
 * (Earlier versions took the interval of the ratio of medians, with the
 * order-statistic SEs of McKean & Schrader; medianWithRelativeSE below is
 * kept for the medians that stand alone: a startup's absolute bound, the
 * host's own figure.)
 *
 * Small samples. The SE rests on few values when a budget stops a cell at
 * three runs, and is itself uncertain; referring it to the normal quantile
 * would state 97.5% for an interval that covers less. The studentised log
 * ratio is referred to Student's t instead, with Welch–Satterthwaite degrees
 * of freedom from h - 1 per group (h: the values the trim keeps; Yuen 1974;
 * Welch, "The generalization of 'Student's' problem when several different
 * population variances are involved", Biometrika 34, 1947).
 * test/stats/sequential.test.ts checks the coverage at 3 + 3 runs and up.
 */
import type { RatioEstimate, StopReason } from '../results/types.js';
import { StatsInputError, assertSample } from './errors.js';
import { normalQuantile } from './normal.js';
import { median, quantileSorted } from './quantile.js';
import { mad } from './summary.js';
import { studentTQuantile } from './student-t.js';
import { satterthwaiteDf } from './welch.js';
import { MAD_NORMAL_SCALE } from './outliers.js';
import { trimmedLogMean, yuenDf } from './trimmed.js';

/** Each look waits until the sample has grown by this factor since the previous one. */
export const LOOK_GROWTH = 1.5;
/** Default relative half-width target (±3%). */
export const DEFAULT_PRECISION = 0.03;
/** Default overall confidence of a sequential interval. */
export const SEQUENTIAL_CONFIDENCE = 0.95;

/**
 * Sample sizes at which the interval is looked at when runs come one at a
 * time: first = min rounds, then x LOOK_GROWTH, and always the last (none
 * past `max`: sampling has stopped there). The one schedule is lookDue's.
 */
export function isLook(n: number, first: number, max: number): boolean {
  return n <= max && lookDue(n - 1, n, first, max);
}

/**
 * Whether the sample, grown from `prev` to `n` values since the last check,
 * has reached a look. A scheduler that adds several runs at once (a batch)
 * can step over a scheduled size: the look then happens at the first check
 * past it. Fewer looks than the schedule never add to the error rate.
 */
export function lookDue(prev: number, n: number, first: number, max: number): boolean {
  if (n <= prev) return false;
  if (n >= max) return true;
  if (n < first) return false;
  let k = first;
  while (k <= prev) k = Math.max(k + 1, Math.ceil(k * LOOK_GROWTH));
  return k <= n;
}

/** Median and its McKean–Schrader standard error, relative to the median. */
export function medianWithRelativeSE(xs: readonly number[]): { median: number; relSE: number; n: number } {
  assertSample(xs, 'medianWithRelativeSE');
  const s = Float64Array.from(xs).sort();
  const n = s.length;
  const z = normalQuantile(0.975);
  const c = Math.max(1, Math.round((n + 1) / 2 - z * Math.sqrt(n / 4)));
  const med = quantileSorted(s, 0.5);
  if (med <= 0) throw new StatsInputError('medianWithRelativeSE: the median must be > 0 for a ratio on the log scale');
  const se = ((s[n - c] as number) - (s[c - 1] as number)) / (2 * z);
  return { median: med, relSE: se / med, n };
}

/**
 * Welch–Satterthwaite degrees of freedom of a sum of independent squared
 * standard errors, each with n - 1 of its own (src/stats/welch.ts; Infinity
 * when every SE is 0: the interval is a point whatever the quantile).
 */
export function welchDf(parts: readonly { relSE: number; n: number }[]): number {
  return satterthwaiteDf(parts.map((p) => ({ variance: p.relSE * p.relSE, n: p.n }))) ?? Infinity;
}

/** Two-sided quantile of Student's t at this confidence and df (the normal one when df is unbounded). */
export function twoSidedT(confidence: number, df: number): number {
  const p = 1 - (1 - confidence) / 2;
  return Number.isFinite(df) ? studentTQuantile(p, df) : normalQuantile(p);
}

/** Interval of the ratio of env's and host's trimmed geometric means at the given (per-look) confidence, on the log scale, referred to Student's t. */
export function sequentialRatioCI(env: readonly number[], host: readonly number[], confidence: number): RatioEstimate {
  const a = trimmedLogMean(env);
  const b = trimmedLogMean(host);
  const ratio = Math.exp(a.mean - b.mean);
  const w = twoSidedT(confidence, yuenDf([a, b])) * Math.hypot(a.se, b.se);
  return { ratio, lo: ratio * Math.exp(-w), hi: ratio * Math.exp(w), confidence, method: 'trimmed-sequential', resamples: 0 };
}

/** SE of a normal sample's 20% trimmed mean per sigma / sqrt(n), for large n: 1 / sqrt(0.94), its efficiency against the mean. */
const TRIMMED_SE_PER_SIGMA = 1 / Math.sqrt(0.94);

/**
 * Relative half-width the ratio's interval would have with each side's SE
 * taken from its MAD instead (SE ~ 1.031 * 1.4826 * MAD / sqrt(n), the
 * normal-theory efficiency of the 20% trimmed mean): the spread a futility
 * stop projects from. Below 10 runs nothing is trimmed and one run that a
 * hypervisor burst slowed by half would read as a hopeless spread; the MAD
 * ignores it. Never an interval: only a forecast of how the interval will
 * narrow.
 */
export function robustRatioHalfWidth(env: readonly number[], host: readonly number[], confidence: number): number {
  const part = (xs: readonly number[]): { relSE: number; n: number } => {
    assertSample(xs, 'robustRatioHalfWidth');
    const med = median(xs);
    if (med <= 0) throw new StatsInputError('robustRatioHalfWidth: the median must be > 0 for a ratio on the log scale');
    return { relSE: (TRIMMED_SE_PER_SIGMA * MAD_NORMAL_SCALE * mad(xs)) / Math.sqrt(xs.length) / med, n: xs.length };
  };
  const a = part(env);
  const b = part(host);
  // The normal quantile, not today's t: the forecast is of the interval once runs have added up, when t is near z.
  // At 5 runs and Pocock's 99.3% the t quantile is twice z, and a forecast from it called cells hopeless that were not.
  const w = normalQuantile(1 - (1 - confidence) / 2) * Math.hypot(a.relSE, b.relSE);
  return Math.sinh(w); // (e^w - e^-w) / 2: the relative half-width of [r e^-w, r e^w]
}

/** Interval of a median on its own (for absolute thresholds such as "startup <= 100 ms"), referred to Student's t with n - 1 df. */
export function medianCI(xs: readonly number[], confidence: number): { median: number; lo: number; hi: number } {
  const a = medianWithRelativeSE(xs);
  const w = twoSidedT(confidence, welchDf([a])) * a.relSE;
  return { median: a.median, lo: a.median * Math.exp(-w), hi: a.median * Math.exp(w) };
}

/** Relative half-width of an interval around its estimate: (hi - lo) / 2 / estimate. */
export function relativeHalfWidth(est: number, lo: number, hi: number): number {
  return (hi - lo) / 2 / est;
}

/** True when no threshold lies strictly inside (lo, hi): the interval is wholly on one side of each. */
export function clearOf(lo: number, hi: number, thresholds: readonly number[]): boolean {
  return thresholds.every((t) => !(lo < t && t < hi));
}

export type { StopReason };

export interface LookInput {
  /** Ratio estimate and interval at this look. */
  ratio: { ratio: number; lo: number; hi: number };
  /** Band edges the claims use for this ratio (empty when no claim judges it). */
  ratioThresholds: readonly number[];
  /** Optional absolute thresholds on the environment's own median, with its interval. */
  absolute?: { lo: number; hi: number; thresholds: readonly number[] };
  precision: number;
}

/**
 * Whether this look ends sampling: 'decided' when every threshold is cleared
 * and the precision is met; 'precision' when no threshold applies and the
 * precision is met; undefined to go on.
 */
export function lookDecision(x: LookInput): 'decided' | 'precision' | undefined {
  const precise = relativeHalfWidth(x.ratio.ratio, x.ratio.lo, x.ratio.hi) <= x.precision;
  if (!precise) return undefined;
  const thresholds = x.ratioThresholds.length + (x.absolute?.thresholds.length ?? 0);
  if (thresholds === 0) return 'precision';
  return thresholdsCleared(x) ? 'decided' : undefined;
}

/** The intervals clear every threshold the claims use (true when none applies): all that can be left is precision. */
export function thresholdsCleared(x: Pick<LookInput, 'ratio' | 'ratioThresholds' | 'absolute'>): boolean {
  return clearOf(x.ratio.lo, x.ratio.hi, x.ratioThresholds) && (!x.absolute || clearOf(x.absolute.lo, x.absolute.hi, x.absolute.thresholds));
}
