/**
 * How many runs a ratio would need to reach a precision target, from the
 * spread it showed so far. The sequential interval's standard error of a
 * median falls as 1/sqrt(n) (src/stats/sequential.ts), so a half-width h
 * after n runs becomes about h * sqrt(n / n') after n' runs: reaching the
 * target t takes n' = n * (h / t)^2. That is an estimate from one run's
 * spread, for the report's "what would it take" line, never a stopping rule:
 * the spread itself is uncertain at small n, and a host that is noisier
 * later needs more.
 */
import { StatsInputError } from './errors.js';

/** Factor by which the sample must grow for a half-width to shrink to the target (1 when it already has). */
export function sampleGrowthFor(halfWidth: number, target: number): number {
  if (!(halfWidth >= 0) || !Number.isFinite(halfWidth)) throw new StatsInputError(`half-width must be a finite number >= 0, got ${halfWidth}`);
  if (!(target > 0) || !Number.isFinite(target)) throw new StatsInputError(`precision target must be a finite number > 0, got ${target}`);
  return Math.max(1, (halfWidth / target) ** 2);
}

/** More time a ratio that took `spentMs` to reach `halfWidth` needs to reach `target`, at the rate its spread shows (0 when there). */
export function extraTimeFor(spentMs: number, halfWidth: number, target: number): number {
  return spentMs * (sampleGrowthFor(halfWidth, target) - 1);
}

/**
 * Whether that extra time exceeds `timeLeftMs`: then no share of the time
 * left can get the ratio to its target (futility).
 */
export function cannotReach(spentMs: number, halfWidth: number, target: number, timeLeftMs: number): boolean {
  return extraTimeFor(spentMs, halfWidth, target) > Math.max(0, timeLeftMs);
}

/** Runs needed in all, at least the runs already taken. */
export function runsForPrecision(runs: number, halfWidth: number, target: number): number {
  if (!(Number.isInteger(runs) && runs > 0)) throw new StatsInputError(`runs must be a whole number > 0, got ${runs}`);
  return Math.ceil(runs * sampleGrowthFor(halfWidth, target));
}
