import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/stats/index.js';

describe('compareRuns (new / base)', () => {
  const base = [100, 102, 98, 101, 99, 100, 103, 97];
  const slower = [130, 128, 133, 131, 129, 135, 127, 132];

  it('bootstrap (default): ratio of medians, increase detected', () => {
    const c = compareRuns(base, slower);
    expect(c.method).toBe('bootstrap-percentile');
    expect(c.statistic).toBe('median');
    expect(c.ratio).toBeCloseTo(130.5 / 100, 12);
    expect(c.lo).toBeGreaterThan(1);
    expect(c.change).toBe('increase');
    expect(c.nBase).toBe(8);
    expect(c.nNext).toBe(8);
    expect(c.verdict).toBeUndefined();
  });

  it('verdict follows the metric direction', () => {
    expect(compareRuns(base, slower, { higherIsBetter: false }).verdict).toBe('worse');
    expect(compareRuns(base, slower, { higherIsBetter: true }).verdict).toBe('better');
    expect(compareRuns(slower, base, { higherIsBetter: false })).toMatchObject({ change: 'decrease', verdict: 'better' });
  });

  it('same distribution: no change', () => {
    const again = [101, 99, 100, 98, 102, 100, 97, 103];
    expect(compareRuns(base, again, { higherIsBetter: true })).toMatchObject({ change: 'none', verdict: 'same' });
  });

  it('welch: ratio of means with the t interval', () => {
    const c = compareRuns(base, slower, { method: 'welch' });
    expect(c.method).toBe('welch-log-ratio');
    expect(c.statistic).toBe('mean');
    expect(c.ratio).toBeCloseTo(130.625 / 100, 12);
    expect(c.lo).toBeGreaterThan(1);
    expect(c.hi).toBeGreaterThan(c.ratio);
  });
});
