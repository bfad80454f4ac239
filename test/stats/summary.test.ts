import { describe, expect, it } from 'vitest';
import { mean, sd, mad, min, max, summarize, MAD_NORMAL_SCALE } from '../../src/stats/index.js';

describe('mean / sd / mad', () => {
  it('textbook set 2,4,4,4,5,5,7,9: mean 5, sample sd 2.13809 (population sd would be 2)', () => {
    // numpy: np.std([2,4,4,4,5,5,7,9], ddof=1) = 2.138089935299395
    const xs = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(xs)).toBe(5);
    expect(sd(xs)).toBeCloseTo(2.138089935299395, 12);
  });

  it('raw MAD matches scipy.stats.median_abs_deviation; scaled by 1.4826 matches scale="normal"', () => {
    // scipy: median_abs_deviation(x) = 0.35, median_abs_deviation(x, scale='normal') = 0.5189107764769602
    const x = [12.4, 11.9, 13.1, 12.7, 12.2, 19.8, 12.5, 12.0, 12.9, 12.3];
    expect(mad(x)).toBeCloseTo(0.35, 12);
    expect(mad(x) * MAD_NORMAL_SCALE).toBeCloseTo(0.5189107764769602, 4);
    expect(sd(x)).toBeCloseTo(2.356456850631662, 12);
  });

  it('sd of a single value is 0 (kept numeric for results.json)', () => {
    expect(sd([42])).toBe(0);
  });

  it('min/max', () => {
    expect(min([3, -1, 2])).toBe(-1);
    expect(max([3, -1, 2])).toBe(3);
  });
});

describe('summarize', () => {
  it('reports all fields and flags (never drops) the outlier by index', () => {
    const x = [12.4, 11.9, 13.1, 12.7, 12.2, 19.8, 12.5, 12.0, 12.9, 12.3];
    const s = summarize(x);
    expect(s.n).toBe(10);
    expect(s.mean).toBeCloseTo(13.18, 12);
    expect(s.median).toBeCloseTo(12.45, 12);
    expect(s.sd).toBeCloseTo(2.356456850631662, 12);
    expect(s.mad).toBeCloseTo(0.35, 12);
    expect(s.min).toBe(11.9);
    expect(s.max).toBe(19.8);
    expect(s.p5).toBeCloseTo(11.945, 12);
    expect(s.p95).toBeCloseTo(16.785, 10);
    expect(s.outliers).toEqual([5]);
  });

  it('is JSON-clean for one sample', () => {
    const s = summarize([5]);
    expect(JSON.parse(JSON.stringify(s))).toEqual({ n: 1, mean: 5, median: 5, sd: 0, mad: 0, min: 5, max: 5, p5: 5, p95: 5, outliers: [] });
  });

  it('throws on an empty sample instead of returning NaN', () => {
    expect(() => summarize([])).toThrow(/at least one value/);
  });
});
