/** Pure statistics (no I/O, no clock, no global randomness): see each file for the method used. */
export { StatsInputError } from './errors.js';
export { quantile, quantileSorted, median, p5, p95, sortedCopy } from './quantile.js';
export { mean, sd, mad, min, max, summarize } from './summary.js';
export {
  modifiedZScores,
  outlierIndices,
  MODIFIED_Z_THRESHOLD,
  MAD_Z_FACTOR,
  MAD_NORMAL_SCALE,
  MEANAD_NORMAL_SCALE,
} from './outliers.js';
export { mulberry32, DEFAULT_SEED, type Rng } from './random.js';
export {
  ratioCI,
  bootstrapMedianRatios,
  normalizeBootstrapOptions,
  BOOTSTRAP_DEFAULTS,
  type BootstrapOptions,
  type NormalizedBootstrapOptions,
} from './bootstrap.js';
export { welchCI, type WelchEstimate, type Interval } from './welch.js';
export { studentTCdf, studentTQuantile, normalCdf, incompleteBeta, lnGamma } from './student-t.js';
export { compareRuns, type CompareOptions, type Comparison } from './compare.js';
export { normalQuantile } from './normal.js';
export {
  LOOK_GROWTH, DEFAULT_PRECISION, SEQUENTIAL_CONFIDENCE, isLook, lookDue, medianWithRelativeSE, sequentialRatioCI, medianCI, welchDf, robustRatioHalfWidth,
  relativeHalfWidth, clearOf, lookDecision, thresholdsCleared, type LookInput, type StopReason,
} from './sequential.js';
export { slotPairRatio, pairedRatioCI, pairedSpread, lag1Autocorrelation, effectiveRuns, AUTOCORRELATION_MIN_RUNS } from './paired.js';
export { lookConfidence, pocockBoundary, lookSchedule } from './pocock.js';
export { sampleGrowthFor, runsForPrecision, extraTimeFor, cannotReach } from './precision-need.js';
