import { describe, expect, it } from 'vitest';
import { quantile, median, p5, p95, StatsInputError } from '../../src/stats/index.js';

// Reference values from numpy (method="linear" == R type 7):
//   python3 -c 'import numpy as np; x=[12.4,11.9,13.1,12.7,12.2,19.8,12.5,12.0,12.9,12.3];
//               print([np.percentile(x,p) for p in (0,5,25,50,95,100)])'
//   -> 11.9, 11.945, 12.225, 12.45, 16.785, 19.8
const X = [12.4, 11.9, 13.1, 12.7, 12.2, 19.8, 12.5, 12.0, 12.9, 12.3];

describe('quantile (type 7, linear interpolation)', () => {
  it('matches numpy.percentile on a 10-value sample', () => {
    expect(quantile(X, 0)).toBeCloseTo(11.9, 12);
    expect(p5(X)).toBeCloseTo(11.945, 12);
    expect(quantile(X, 0.25)).toBeCloseTo(12.225, 12);
    expect(median(X)).toBeCloseTo(12.45, 12);
    expect(p95(X)).toBeCloseTo(16.785, 10);
    expect(quantile(X, 1)).toBeCloseTo(19.8, 12);
  });

  it('median of odd and even counts, single value', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([2, 4, 4, 4, 5, 5, 7, 9])).toBe(4.5);
    expect(median([7])).toBe(7);
    expect(p95([7])).toBe(7);
  });

  it('does not reorder the caller array', () => {
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
  });

  it('rejects empty input, NaN and out-of-range p', () => {
    expect(() => median([])).toThrow(StatsInputError);
    expect(() => median([1, Number.NaN])).toThrow(/value #1 is not a finite number/);
    expect(() => quantile([1, 2], 1.5)).toThrow(/\[0, 1\]/);
  });
});
