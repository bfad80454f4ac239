import { describe, it, expect } from 'vitest';
import { budgetOrder, budgetShare } from '../../src/measure/run-all.js';

describe('budgetShare', () => {
  it('splits what is left by the weights of the scenarios still to run', () => {
    // 240 s, nothing spent; this scenario weighs 3 of 3+3+1+1.
    expect(budgetShare(240_000, 0, 3, 8).budgetMs).toBe(90_000);
    expect(budgetShare(240_000, 0, 1, 8).budgetMs).toBe(30_000);
    // Time spent by earlier scenarios is gone; a light last scenario gets all that is left.
    expect(budgetShare(240_000, 200_000, 1, 1).budgetMs).toBe(40_000);
    expect(budgetShare(240_000, 300_000, 1, 2).budgetMs).toBe(0);
  });
  it('runs a group\'s light scenarios first, so the heavy ones share what their floors left', () => {
    const order = budgetOrder([{ n: 'cpu', budgetWeight: 6 }, { n: 'fileio' }, { n: 'startup', budgetWeight: 6 }, { n: 'process', budgetWeight: 1 }]);
    expect(order.map((x) => x.n)).toEqual(['fileio', 'process', 'cpu', 'startup']);
  });
  it('no budget: no limit', () => {
    expect(budgetShare(undefined, 10, 1, 1)).toEqual({});
  });
});
