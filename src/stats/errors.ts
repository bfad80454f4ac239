/**
 * stats/ is pure and imports nothing but the results types it fills (docs/ARCHITECTURE.md), so it cannot
 * use core/errors. Bad input is a programming error of the caller (e.g. a
 * summary of zero samples), reported as a RangeError subclass callers can
 * test with instanceof.
 */
export class StatsInputError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'StatsInputError';
  }
}

/** Rejects empty samples and NaN/Infinity, which would silently poison every statistic. */
export function assertSample(xs: readonly number[], what: string): void {
  if (xs.length === 0) throw new StatsInputError(`${what}: needs at least one value, got an empty sample`);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new StatsInputError(`${what}: value #${i} is not a finite number (${String(x)})`);
    }
  }
}
