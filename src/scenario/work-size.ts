/**
 * Work sizing: the amount of work one round does, per environment.
 *
 * A rate workload (events/s, syscalls/s, ops/s) measures the same thing
 * whether it does 2,000 or 200,000 units of work, once its own start-up is
 * small against the work. Its fixed-count params are then a matter of cost,
 * not of meaning: gVisor's ptrace platform makes getppid 1,500× slower than
 * the host, so a count that takes the host 20 ms takes gVisor 30 s, and a
 * count that keeps gVisor to a fraction of a second leaves the host a sliver
 * too short to time. Sizing picks, per environment, the count that makes a
 * round last about the scenario's `roundMs`, from the warm-up run:
 *
 *   - a sizing run before the warm-up does SIZE_PROBE_FACTOR of the
 *     scenario's params, so even the slowest environment's first run is
 *     short;
 *   - its ready→exit time gives the environment's speed; the warm-up runs at
 *     the factor estimated for the target time, and the two runs together
 *     separate the workload's own start-up from its work (nextFactor);
 *   - every measured round of an environment runs the same params, recorded
 *     in its results, so the samples of one cell are alike.
 *
 * Ratios stay ratios of rates. Only params a workload declares in
 * `workSize` are scaled, each clamped to its own bounds.
 */
import type { WorkSizeParam } from './workloads/types.js';

/** Share of the scenario's params the first warm-up run does. */
export const SIZE_PROBE_FACTOR = 0.1;
/** Bounds of a factor against the scenario's own params. */
export const SIZE_FACTOR_MIN = 1e-4;
export const SIZE_FACTOR_MAX = 100;

/** The params with every declared work-size param multiplied by factor, rounded, clamped to its bounds. */
export function scaleParams(params: Record<string, unknown>, size: readonly WorkSizeParam[], factor: number): Record<string, unknown> {
  const out: Record<string, unknown> = { ...params };
  for (const p of size) {
    const v = params[p.name];
    if (typeof v !== 'number') continue;
    out[p.name] = Math.min(p.max, Math.max(p.min, Math.round(v * factor)));
  }
  return out;
}

/** One sizing run: the factor it ran at and its ready → exit time. */
export interface SizePoint {
  factor: number;
  execMs: number;
}

/**
 * The factor that makes a run take about targetMs. One run gives a
 * proportional estimate, low by the workload's own start-up (safe: a round
 * comes out shorter, never longer). Two runs at different factors separate
 * that start-up from the work (time = fixed + perFactor * factor): the last
 * two points are fitted, falling back to the proportional estimate of the
 * larger run when noise makes the fit meaningless.
 */
export function nextFactor(points: readonly SizePoint[], targetMs: number): number {
  const ok = points.filter((p) => p.execMs > 0 && p.factor > 0);
  const last = ok.at(-1);
  // Nothing usable (an instant run): keep the factor the last run had.
  if (!last || !(targetMs > 0)) return points.at(-1)?.factor ?? 1;
  const clamp = (f: number): number => Math.min(SIZE_FACTOR_MAX, Math.max(SIZE_FACTOR_MIN, f));
  const prev = ok.at(-2);
  const big = prev && prev.factor > last.factor ? prev : last;
  const proportional = (big.factor * targetMs) / big.execMs;
  if (!prev || Math.abs(last.factor - prev.factor) < 1e-12) return clamp(proportional);
  const perFactor = (last.execMs - prev.execMs) / (last.factor - prev.factor);
  const fixed = last.execMs - perFactor * last.factor;
  if (!(perFactor > 0) || fixed < 0 || fixed >= targetMs) return clamp(proportional);
  // Two close, noisy points can fit a slope near zero and a huge factor: never more than twice the proportional estimate.
  return clamp(Math.min((targetMs - fixed) / perFactor, 2 * proportional));
}

/**
 * A round's target time in one environment: the scenario's roundMs, and at
 * least half that environment's own start time, so an environment that is
 * costly to start (a VM boot) does not pay it for a sliver of work.
 */
export function targetRoundMs(roundMs: number, startupMs: number | undefined): number {
  return Math.max(roundMs, (startupMs ?? 0) / 2);
}
