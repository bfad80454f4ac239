/**
 * Order statistics. Every quantile in isobench uses ONE method so figures in
 * different reports agree: linear interpolation between closest ranks, i.e.
 * Hyndman & Fan type 7 — the default of R's quantile() and numpy.percentile
 * (method="linear"). For sorted x of length n and probability p:
 *   h = (n - 1) p,  q = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]).
 */
import { StatsInputError, assertSample } from './errors.js';


/** Ascending copy; never mutates the caller's array. */
export function sortedCopy(xs: readonly number[]): number[] {
  return Array.from(xs).sort((a, b) => a - b);
}

/** Type-7 quantile of an already ascending array (no checks: hot path of the bootstrap). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  if (lo + 1 >= n) return a;
  const b = sorted[lo + 1] as number;
  return a + (h - lo) * (b - a);
}

/** Type-7 quantile (linear interpolation) of xs at probability p in [0, 1]. */
export function quantile(xs: readonly number[], p: number): number {
  assertSample(xs, 'quantile');
  if (!(p >= 0 && p <= 1)) throw new StatsInputError(`quantile: probability must be in [0, 1], got ${p}`);
  return quantileSorted(Float64Array.from(xs).sort(), p);
}

export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

/** 5th percentile (type 7). */
export function p5(xs: readonly number[]): number {
  return quantile(xs, 0.05);
}

/** 95th percentile (type 7). */
export function p95(xs: readonly number[]): number {
  return quantile(xs, 0.95);
}
