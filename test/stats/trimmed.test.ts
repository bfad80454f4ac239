import { describe, expect, it } from 'vitest';
import { medianWithRelativeSE, mulberry32, type Rng } from '../../src/stats/index.js';
import { trimmedLogMean, yuenDf } from '../../src/stats/trimmed.js';

function gauss(rng: Rng): number {
  const u = rng() || 1e-12;
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

describe('trimmedLogMean (Yuen)', () => {
  it('cuts floor(0.2 n) logs from each end and takes the SE from the winsorized variance', () => {
    // logs 1..10: g = 2, h = 6, kept 3..8 (mean 5.5); winsorized 3,3,3,4,5,6,7,8,8,8 (SS 42.5, s_w^2 = 42.5 / 9);
    // SE^2 = 9 s_w^2 / (6 * 5) = 42.5 / 30.
    const r = trimmedLogMean(Array.from({ length: 10 }, (_, i) => Math.exp(i + 1)));
    expect(r.h).toBe(6);
    expect(r.mean).toBeCloseTo(5.5, 12);
    expect(r.se).toBeCloseTo(Math.sqrt(42.5 / 30), 12);
  });
  it('cuts nothing below 10 values: the mean of the logs and Student\'s SE', () => {
    const r = trimmedLogMean([Math.E, Math.E ** 2, Math.E ** 4]);
    expect(r.h).toBe(3);
    expect(r.mean).toBeCloseTo(7 / 3, 12);
    const sd = Math.sqrt(((1 - 7 / 3) ** 2 + (2 - 7 / 3) ** 2 + (4 - 7 / 3) ** 2) / 2);
    expect(r.se).toBeCloseTo(sd / Math.sqrt(3), 12);
    expect(trimmedLogMean([1, 2, 3, 4, 5, 6, 7, 8, 9]).h).toBe(9);
    expect(trimmedLogMean([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).h).toBe(6);
  });
  it('ignores one run slowed by half among twelve', () => {
    const clean = trimmedLogMean([2521, 2395, 2380, 2521, 2407, 2503, 2450, 2465, 2405, 2351, 2483, 2415]);
    const burst = trimmedLogMean([1095, 2521, 2395, 2380, 2521, 2407, 2503, 2465, 2405, 2351, 2483, 2415]);
    expect(Math.abs(burst.mean - clean.mean)).toBeLessThan(0.02);
    expect(burst.se).toBeLessThan(0.02);
  });
  it('is more efficient than the median: on normal logs its SE is ~20% smaller at 40 runs', () => {
    const rng = mulberry32(21);
    let trimmed = 0;
    let median = 0;
    for (let i = 0; i < 500; i++) {
      const xs = Array.from({ length: 40 }, () => Math.exp(0.1 * gauss(rng)));
      trimmed += trimmedLogMean(xs).se;
      median += medianWithRelativeSE(xs).relSE;
    }
    expect(trimmed / median).toBeLessThan(0.9);
    expect(trimmed / median).toBeGreaterThan(0.7);
  });
  it('refuses values <= 0 (no log) and an empty sample', () => {
    expect(() => trimmedLogMean([1, 0, 2])).toThrow(/> 0/);
    expect(() => trimmedLogMean([])).toThrow();
  });
  it('Yuen df: h - 1 for one group, the sum for equal SEs, unbounded for a point', () => {
    expect(yuenDf([{ se: 0.1, h: 6 }])).toBeCloseTo(5, 12);
    expect(yuenDf([{ se: 0.1, h: 6 }, { se: 0.1, h: 6 }])).toBeCloseTo(10, 12);
    expect(yuenDf([{ se: 0, h: 3 }, { se: 0, h: 3 }])).toBe(Infinity);
  });
});
