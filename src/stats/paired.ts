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
 * with a new companion); the interval is Student's t on the mean of the runs'
 * figures with n - 1 df, at the per-look level of the sequential rule
 * (src/stats/sequential.ts), and the ratio is exp of that mean. Slots within
 * one run are not independent (they share the run's process and layout), so
 * they are never counted as the sample: the run is. Kalibera & Jones
 * ("Rigorous Benchmarking in Reasonable Time", ISMM 2013) take the same
 * view: repeat at the level whose variation you mean to cover.
 */
import type { RatioEstimate } from '../results/types.js';
import { StatsInputError } from './errors.js';
import { median } from './quantile.js';
import { mean, sd } from './summary.js';
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

/** Interval of the ratio from the runs' paired figures: t with n - 1 df on their logs, at `confidence`. */
export function pairedRatioCI(runRatios: readonly number[], confidence: number): RatioEstimate {
  if (runRatios.length < 2) throw new StatsInputError(`pairedRatioCI: needs at least 2 runs, got ${runRatios.length}`);
  const logs = runRatios.map((r) => {
    if (!(r > 0) || !Number.isFinite(r)) throw new StatsInputError(`pairedRatioCI: a run's ratio must be a finite number > 0, got ${r}`);
    return Math.log(r);
  });
  const m = mean(logs);
  const w = twoSidedT(confidence, logs.length - 1) * (sd(logs) / Math.sqrt(logs.length));
  const ratio = Math.exp(m);
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
  const logs = runRatios.map((r) => Math.log(r));
  return Math.sinh(normalQuantile(1 - (1 - confidence) / 2) * (sd(logs) / Math.sqrt(logs.length)));
}

