/**
 * Ratio of medians (env / host) with a percentile bootstrap interval.
 *
 * Why medians: timings are right-skewed with occasional scheduler hiccups;
 * the median is what the reports print, so the interval is for the same
 * statistic. Why resample both groups independently: env and host rounds are
 * separate processes (interleaved, but not paired measurements), so each
 * group is resampled with replacement from itself (two-sample bootstrap).
 * Percentile method (Efron): the CI is the alpha/2 and 1 - alpha/2 type-7
 * quantiles of the bootstrap distribution of the ratio.
 *
 * With very few rounds (n < ~5) a bootstrap CI is too narrow; it is still
 * reported, and n is printed beside it. If the host median is 0 the ratio is
 * undefined and we throw; if only some resamples have a 0 denominator, those
 * ratios are Infinity and may show up as an infinite bound (honest: the data
 * cannot bound the ratio).
 */
import type { RatioEstimate } from '../results/types.js';
import { StatsInputError, assertSample } from './errors.js';
import { quantileSorted } from './quantile.js';
import { DEFAULT_SEED, mulberry32, type Rng } from './random.js';

export interface BootstrapOptions {
  /** Two-sided confidence level in (0, 1). Default 0.95. */
  confidence?: number;
  /** Number of bootstrap resamples. Default 2000. */
  resamples?: number;
  /** PRNG seed; the same data and seed always give the same interval. Default DEFAULT_SEED. */
  seed?: number;
}

export interface NormalizedBootstrapOptions {
  confidence: number;
  resamples: number;
  seed: number;
}

export const BOOTSTRAP_DEFAULTS: NormalizedBootstrapOptions = { confidence: 0.95, resamples: 2000, seed: DEFAULT_SEED };

export function normalizeBootstrapOptions(opts: BootstrapOptions = {}): NormalizedBootstrapOptions {
  const confidence = opts.confidence ?? BOOTSTRAP_DEFAULTS.confidence;
  const resamples = opts.resamples ?? BOOTSTRAP_DEFAULTS.resamples;
  const seed = opts.seed ?? BOOTSTRAP_DEFAULTS.seed;
  if (!(confidence > 0 && confidence < 1)) throw new StatsInputError(`confidence must be in (0, 1), got ${confidence}`);
  if (!Number.isInteger(resamples) || resamples < 1) throw new StatsInputError(`resamples must be a whole number >= 1, got ${resamples}`);
  if (!Number.isFinite(seed)) throw new StatsInputError(`seed must be a finite number, got ${seed}`);
  return { confidence, resamples, seed };
}

/** Median of a resample of xs drawn with replacement; `buf` is reused to avoid garbage. */
function resampledMedian(xs: readonly number[], buf: Float64Array, rng: Rng): number {
  const n = xs.length;
  for (let i = 0; i < n; i++) buf[i] = xs[Math.floor(rng() * n)] as number;
  buf.sort();
  return quantileSorted(buf, 0.5);
}

/** Bootstrap distribution of median(num)/median(den), ascending. */
export function bootstrapMedianRatios(num: readonly number[], den: readonly number[], resamples: number, rng: Rng): Float64Array {
  const nb = new Float64Array(num.length);
  const db = new Float64Array(den.length);
  const ratios = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    // Draw numerator first, then denominator: the order is part of the seed's meaning.
    const mn = resampledMedian(num, nb, rng);
    const md = resampledMedian(den, db, rng);
    ratios[b] = mn / md;
  }
  return ratios.sort();
}

/** ratio = median(envSamples) / median(hostSamples), with a percentile-bootstrap CI. */
export function ratioCI(envSamples: readonly number[], hostSamples: readonly number[], opts: BootstrapOptions = {}): RatioEstimate {
  assertSample(envSamples, 'ratioCI (environment samples)');
  assertSample(hostSamples, 'ratioCI (baseline samples)');
  const o = normalizeBootstrapOptions(opts);
  const numMed = quantileSorted(Float64Array.from(envSamples).sort(), 0.5);
  const denMed = quantileSorted(Float64Array.from(hostSamples).sort(), 0.5);
  if (denMed === 0) throw new StatsInputError('ratioCI: the baseline median is 0, so a ratio to it is undefined');
  const ratios = bootstrapMedianRatios(envSamples, hostSamples, o.resamples, mulberry32(o.seed));
  const alpha = 1 - o.confidence;
  return {
    ratio: numMed / denMed,
    lo: quantileSorted(ratios, alpha / 2),
    hi: quantileSorted(ratios, 1 - alpha / 2),
    confidence: o.confidence,
    method: 'bootstrap-percentile',
    resamples: o.resamples,
  };
}
