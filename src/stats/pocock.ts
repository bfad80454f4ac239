/**
 * The level every look of the sequential rule uses, so the rule as a whole
 * keeps its stated coverage however many looks it takes.
 *
 * Why a computed level. A cell keeps sampling until its interval clears every
 * claim threshold, and each look is another chance to clear one on a lucky
 * draw. Where the true ratio sits on a threshold (a container exactly 5%
 * slower) and the runs are steady enough to reach the precision target early,
 * every later look is such a chance: with the level fixed at 1 - alpha/2
 * (97.5% for 95%) over the default schedule of 12 looks (5, 8, 12 ... 400
 * runs), a simulated ratio on the 5% edge with 2% noise was covered 84-86% of
 * the time, 5% noise 88%. Pocock ("Group sequential methods in the design
 * and analysis of clinical trials", Biometrika 64(2), 1977) gives the
 * answer: one constant boundary c for all K looks, chosen so that the
 * largest |Z| over the looks exceeds c with probability alpha when nothing is
 * there. His tables assume equally spaced looks; ours grow by LOOK_GROWTH, so
 * c is computed for the actual schedule: the statistic at look k is
 * W(n_k) / sqrt(n_k) for one Brownian path W (successive looks share their
 * data), simulated with a fixed seed (deterministic, no global randomness).
 * For 3..1000 runs c = 2.78 (a 99.4% interval at every look; 3..400: 2.74), for 5..30 runs
 * 2.46 (98.6%); one look gives back 1.96. Each look's interval then uses that
 * level with Student's t where its df are small.
 */
import { StatsInputError } from './errors.js';
import { normalCdf } from './student-t.js';
import { mulberry32 } from './random.js';
import { isLook } from './sequential.js';

/** Simulated paths per boundary: the 95% quantile of the maximum lands within ~0.01 of c. */
const PATHS = 100_000;
const SEED = 0x9_0c0c;
const cache = new Map<string, number>();

/** Sample sizes at which the schedule looks, from `first` to `max` runs. */
export function lookSchedule(first: number, max: number): number[] {
  const out: number[] = [];
  for (let n = 1; n <= max; n++) if (isLook(n, first, max)) out.push(n);
  return out;
}

/** Pocock's constant for this schedule: P(max over looks of |Z| > c) = 1 - confidence under no effect. */
export function pocockBoundary(confidence: number, first: number, max: number): number {
  if (!(confidence > 0 && confidence < 1)) throw new StatsInputError(`confidence must be in (0, 1), got ${confidence}`);
  if (!(Number.isInteger(first) && Number.isInteger(max) && first >= 1 && max >= first)) throw new StatsInputError(`look schedule needs whole numbers 1 <= first <= max, got ${first}..${max}`);
  const key = `${confidence}:${first}:${max}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const looks = lookSchedule(first, max);
  const rng = mulberry32(SEED);
  const maxima = new Float64Array(PATHS);
  for (let p = 0; p < PATHS; p++) {
    let w = 0;
    let at = 0;
    let top = 0;
    for (const n of looks) {
      // Box-Muller: one normal per increment of the path.
      const u = rng() || Number.MIN_VALUE;
      w += Math.sqrt(n - at) * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
      at = n;
      top = Math.max(top, Math.abs(w) / Math.sqrt(n));
    }
    maxima[p] = top;
  }
  maxima.sort();
  const c = maxima[Math.min(PATHS - 1, Math.ceil(confidence * PATHS) - 1)]!;
  cache.set(key, c);
  return c;
}

/**
 * Level of the interval at every look of a schedule from `first` to `max`
 * runs (the policy's min and max rounds), so that the stopping rule keeps
 * `confidence` overall: the two-sided level of Pocock's boundary.
 */
export function lookConfidence(confidence: number, first: number, max: number): number {
  const c = pocockBoundary(confidence, first, max);
  return 2 * normalCdf(c) - 1;
}
