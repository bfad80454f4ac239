/**
 * Outliers by the modified z-score of Iglewicz & Hoaglin (1993):
 *   M_i = 0.6745 (x_i - median) / MAD,   outlier when |M_i| > 3.5.
 * 0.6745 is Phi^-1(3/4), i.e. 1/1.4826: MAD * 1.4826 estimates sigma for
 * normal data, so M_i reads like an ordinary z-score but is robust.
 *
 * MAD = 0 happens as soon as more than half of the values are identical
 * (common for integer timings). Dividing by 0 would flag every other value.
 * We then fall back to the mean absolute deviation from the median, as in
 * IBM's and several other implementations of the same test:
 *   M_i = (x_i - median) / (1.253314 * MeanAD)
 * (1.253314 = sqrt(pi/2) makes MeanAD * 1.2533 estimate sigma for normal data).
 * When MeanAD is 0 too, all values are equal and there is no outlier (score 0).
 */
import { assertSample } from './errors.js';
import { quantileSorted } from './quantile.js';

export const MODIFIED_Z_THRESHOLD = 3.5;
export const MAD_Z_FACTOR = 0.6745;
/** Scale turning a raw MAD into a consistent estimator of sigma for normal data. */
export const MAD_NORMAL_SCALE = 1.4826;
export const MEANAD_NORMAL_SCALE = 1.253314;

export function modifiedZScores(xs: readonly number[]): number[] {
  assertSample(xs, 'modifiedZScores');
  const med = quantileSorted(Float64Array.from(xs).sort(), 0.5);
  const absDev = xs.map((x) => Math.abs(x - med));
  const madRaw = quantileSorted(Float64Array.from(absDev).sort(), 0.5);
  if (madRaw > 0) return xs.map((x) => (MAD_Z_FACTOR * (x - med)) / madRaw);
  const meanAd = absDev.reduce((a, b) => a + b, 0) / xs.length;
  if (meanAd > 0) return xs.map((x) => (x - med) / (MEANAD_NORMAL_SCALE * meanAd));
  return xs.map(() => 0);
}

/** Indices of values whose |modified z| exceeds the threshold (3.5 by default), ascending. */
export function outlierIndices(xs: readonly number[], threshold = MODIFIED_Z_THRESHOLD): number[] {
  const out: number[] = [];
  modifiedZScores(xs).forEach((z, i) => {
    if (Math.abs(z) > threshold) out.push(i);
  });
  return out;
}
