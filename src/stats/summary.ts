/**
 * Location and spread. Summaries are computed over the measured rounds only
 * (warm-up is kept in results.json but never summarized).
 */
import type { SummaryStats } from '../results/types.js';
import { assertSample } from './errors.js';
import { quantileSorted } from './quantile.js';
import { outlierIndices } from './outliers.js';

export function mean(xs: readonly number[]): number {
  assertSample(xs, 'mean');
  // Kahan-free two-pass is enough here: samples are tens of values, not millions.
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/**
 * Sample standard deviation (Bessel's n - 1 denominator, like R's sd() and
 * numpy.std(ddof=1)). Undefined for one value; we return 0 there so that
 * results.json stays numeric — n is always reported beside it.
 */
export function sd(xs: readonly number[]): number {
  assertSample(xs, 'sd');
  const n = xs.length;
  if (n < 2) return 0;
  const m = mean(xs);
  let ss = 0;
  for (const x of xs) ss += (x - m) * (x - m);
  return Math.sqrt(ss / (n - 1));
}

/**
 * Raw median absolute deviation: median(|x - median(x)|), NOT scaled. To
 * compare it with an sd multiply by 1.4826 (= 1/Phi^-1(3/4)); the modified
 * z-score uses the equivalent factor 0.6745 = 1/1.4826 (see outliers.ts).
 */
export function mad(xs: readonly number[]): number {
  assertSample(xs, 'mad');
  const sorted = Float64Array.from(xs).sort();
  const med = quantileSorted(sorted, 0.5);
  const dev = Float64Array.from(xs, (x) => Math.abs(x - med)).sort();
  return quantileSorted(dev, 0.5);
}

export function min(xs: readonly number[]): number {
  assertSample(xs, 'min');
  return xs.reduce((a, b) => (b < a ? b : a));
}

export function max(xs: readonly number[]): number {
  assertSample(xs, 'max');
  return xs.reduce((a, b) => (b > a ? b : a));
}

/** Everything a report prints for one metric; outliers are flagged by index, never removed. */
export function summarize(xs: readonly number[]): SummaryStats {
  assertSample(xs, 'summarize');
  const sorted = Float64Array.from(xs).sort();
  return {
    n: xs.length,
    mean: mean(xs),
    median: quantileSorted(sorted, 0.5),
    sd: sd(xs),
    mad: mad(xs),
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
    p5: quantileSorted(sorted, 0.05),
    p95: quantileSorted(sorted, 0.95),
    outliers: outlierIndices(xs),
  };
}
