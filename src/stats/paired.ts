/**
 * Paired slots: an environment's ratio to the host from runs that took turns
 * with a host companion on one CPU (src/measure/paired.ts runs them).
 *
 * Why. On a virtual host the hypervisor slows a vCPU for seconds at a time
 * (a store loop reads 13.6 k or 19-21 k MiB/s by turns), so two runs a few
 * hundred ms apart differ by 12-18% whatever the environment, and an unpaired
 * ratio of medians needs ~190 runs a side to reach ±3%. Measured with two
 * host processes taking 5 ms turns pinned to one CPU, the log ratio of a slot
 * to its partner spread 13-19% against 18-27% for a slot alone, and 6-10%
 * against 8-14% for getppid; what is left is fast and averages away in a
 * run's 60 slots, while the slow state both sides shared cancels.
 *
 * Method. Each run gives one figure: the median over its slots of
 * log(env slot / host partner slot) (the median, so a slot a steal burst or
 * a state switch hit on one side only does not pull it). Runs are
 * independent replicates (each is a new process, or a new fork in a session,
 * with a new companion); the interval is Student's t on the runs' figures,
 * at the per-look level of the sequential rule (src/stats/sequential.ts),
 * and the ratio is exp of their centre. Below 10 runs the centre is their
 * mean (n - 1 df); from 10 on it is their 20% trimmed mean with Yuen's
 * winsorized SE (h - 1 df; src/stats/trimmed.ts), as on the unpaired side.
 * One disturbed run is why: a Docker cpu run whose slots met 4 of their 12
 * partners read x0.41 among runs at x1.00 +- 1%, and on the plain mean it
 * took that cell from about +-2% to +-47% (run 20261130T010523Z-2d892c). Slots within
 * one run are not independent (they share the run's process and layout), so
 * they are never counted as the sample: the run is. Kalibera & Jones
 * ("Rigorous Benchmarking in Reasonable Time", ISMM 2013) take the same
 * view: repeat at the level whose variation you mean to cover.
 *
 * Runs in a row are not always independent either. Under TCG a VM's speed
 * sits at one of a few levels (up to x1.9 apart) for 50-200 ms at a time,
 * which its host companion does not feel: consecutive runs' figures
 * correlate (lag-1 autocorrelation 0.2-0.4 measured here), and t on the
 * runs as if independent would claim too narrow an interval. From 20 runs
 * on, the interval uses the runs' effective number n (1 - r) / (1 + r), r their
 * lag-1 autocorrelation in run order (bias-corrected, floored at 0, capped
 * at 0.8): the
 * large-sample variance of the mean of a first-order autoregressive series
 * (Box, Jenkins & Reinsel, "Time Series Analysis", ch. 3). Below 20 runs r is
 * too unsteady to use (its SE is ~1/sqrt(n)), and the paired cells that stop
 * that early are the native ones, whose runs showed none.
 */
import type { RatioEstimate } from '../results/types.js';
import { StatsInputError } from './errors.js';
import { median } from './quantile.js';
import { mean } from './summary.js';
import { trimmedLogMean } from './trimmed.js';
import { twoSidedT } from './sequential.js';
import { normalQuantile } from './normal.js';

/** A run's paired figure: exp(median of log(env/host) over the slots both sides worked), and how many pairs it rests on. */
export function slotPairRatio(env: ReadonlyMap<number, number>, host: ReadonlyMap<number, number>): { ratio: number; pairs: number } | undefined {
  const logs: number[] = [];
  for (const [k, e] of env) {
    const h = host.get(k);
    if (h !== undefined && e > 0 && h > 0 && Number.isFinite(e) && Number.isFinite(h)) logs.push(Math.log(e / h));
  }
  if (logs.length === 0) return undefined;
  return { ratio: Math.exp(median(logs)), pairs: logs.length };
}

/** Fewest runs whose lag-1 autocorrelation the paired interval takes into account. */
export const AUTOCORRELATION_MIN_RUNS = 20;
const AUTOCORRELATION_MAX = 0.8;

/** Lag-1 autocorrelation of a series (0 for a constant one). */
export function lag1Autocorrelation(xs: readonly number[]): number {
  const n = xs.length;
  if (n < 3) return 0;
  const m = mean(xs);
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const d = xs[i]! - m;
    den += d * d;
    if (i + 1 < n) num += d * (xs[i + 1]! - m);
  }
  return den > 0 ? num / den : 0;
}

/** The runs' effective number for their mean: n, or n (1 - r) / (1 + r) from AUTOCORRELATION_MIN_RUNS runs on (r floored at 0). */
export function effectiveRuns(logs: readonly number[]): number {
  const n = logs.length;
  if (n < AUTOCORRELATION_MIN_RUNS) return n;
  // The sample r reads low by about (1 + 4r) / n (Kendall, "Note on bias in the estimation of autocorrelation", Biometrika 41, 1954): added back.
  const r0 = lag1Autocorrelation(logs);
  const r = Math.min(AUTOCORRELATION_MAX, Math.max(0, r0 + (1 + 4 * r0) / n));
  return (n * (1 - r)) / (1 + r);
}

/** The centre of the runs' log ratios and its SE with the runs' autocorrelation taken in: the variance grows by n / effective n, the df shrink by the same factor. */
function pairedLogCentre(runRatios: readonly number[], what: string): { centre: number; se: number; df: number } {
  const logs = runRatios.map((r) => {
    if (!(r > 0) || !Number.isFinite(r)) throw new StatsInputError(`${what}: a run's ratio must be a finite number > 0, got ${r}`);
    return Math.log(r);
  });
  const t = trimmedLogMean(runRatios);
  const inflation = logs.length / effectiveRuns(logs);
  return { centre: t.mean, se: t.se * Math.sqrt(inflation), df: Math.max(1, (t.h - 1) / inflation) };
}

/** Interval of the ratio from the runs' paired figures (in run order): t on their logs' centre (mean, trimmed from 10 runs on) with the runs' effective number, at `confidence`. */
export function pairedRatioCI(runRatios: readonly number[], confidence: number): RatioEstimate {
  if (runRatios.length < 2) throw new StatsInputError(`pairedRatioCI: needs at least 2 runs, got ${runRatios.length}`);
  const c = pairedLogCentre(runRatios, 'pairedRatioCI');
  const w = twoSidedT(confidence, c.df) * c.se;
  const ratio = Math.exp(c.centre);
  return { ratio, lo: ratio * Math.exp(-w), hi: ratio * Math.exp(w), confidence, method: 'paired-slots', resamples: 0 };
}

/**
 * The relative half-width the paired interval is heading for: its SE with the
 * normal quantile instead of t. What a futility stop projects from: at 5 runs
 * and Pocock's per-look level t(4) is about twice z, so projecting from the
 * interval itself would call a cell hopeless that ten more runs would settle.
 */
export function pairedSpread(runRatios: readonly number[], confidence: number): number {
  if (runRatios.length < 2) throw new StatsInputError(`pairedSpread: needs at least 2 runs, got ${runRatios.length}`);
  return Math.sinh(normalQuantile(1 - (1 - confidence) / 2) * pairedLogCentre(runRatios, 'pairedSpread').se);
}

