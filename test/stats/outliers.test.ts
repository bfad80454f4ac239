import { describe, expect, it } from 'vitest';
import { modifiedZScores, outlierIndices } from '../../src/stats/index.js';

describe('modified z-score (Iglewicz & Hoaglin)', () => {
  it('matches 0.6745*(x-median)/MAD computed with numpy', () => {
    // med = 12.45, MAD = 0.35; numpy: 0.6745*(x-med)/mad
    const x = [12.4, 11.9, 13.1, 12.7, 12.2, 19.8, 12.5, 12.0, 12.9, 12.3];
    const expected = [-0.09635714, -1.05992857, 1.25264286, 0.48178571, -0.48178571, 14.1645, 0.09635714, -0.86721429, 0.86721429, -0.28907143];
    modifiedZScores(x).forEach((z, i) => expect(z).toBeCloseTo(expected[i] as number, 6));
    expect(outlierIndices(x)).toEqual([5]);
  });

  it('uses the threshold 3.5 strictly and finds low outliers too', () => {
    const x = [100, 101, 99, 100, 102, 98, 100, 40];
    expect(outlierIndices(x)).toEqual([7]);
    // A custom threshold so large nothing qualifies.
    expect(outlierIndices(x, 1e9)).toEqual([]);
  });

  it('MAD = 0: falls back to the mean absolute deviation (1.253314 * MeanAD)', () => {
    // y = [5,5,5,5,6,100]: median 5, MAD 0, MeanAD 16 -> z = (y-5)/(1.253314*16) = [0,0,0,0,0.0499,4.7374]
    const y = [5, 5, 5, 5, 6, 100];
    const z = modifiedZScores(y);
    expect(z[4]).toBeCloseTo(0.04986779, 6);
    expect(z[5]).toBeCloseTo(4.73744010, 6);
    expect(outlierIndices(y)).toEqual([5]);
  });

  it('all values equal: no outliers, scores 0', () => {
    expect(modifiedZScores([3, 3, 3])).toEqual([0, 0, 0]);
    expect(outlierIndices([3, 3, 3])).toEqual([]);
  });
});
