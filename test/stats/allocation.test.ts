import { describe, expect, it } from 'vitest';
import { controlShare, logSpread, SPREAD_MIN_RUNS } from '../../src/stats/allocation.js';

/** Total time (in units of 1/V) to bring m alike ratios to one variance when the host gets f times one cell's time. */
function totalTime(f: number, m: number, host: { cost: number; spread: number }, cell: { cost: number; spread: number }): number {
  // A cell's time T gives it T / c runs; the host's f T gives f T / c_h. Variance of a log ratio: s_h^2 c_h / (f T) + s^2 c / T = 1.
  const T = (host.spread ** 2 * host.cost) / f + cell.spread ** 2 * cell.cost;
  return (f + m) * T;
}

describe('controlShare', () => {
  it('is Dunnett\'s sqrt(m) while a spread is unknown, and for alike costs and spreads', () => {
    expect(controlShare({ cost: 1 }, [{ cost: 10, spread: 0.1 }, { cost: 10, spread: 0.1 }, { cost: 10, spread: 0.1 }, { cost: 10, spread: 0.1 }])).toBe(2);
    expect(controlShare({ cost: 1, spread: 0.1 }, [{ cost: 10 }, { cost: 10, spread: 0.1 }])).toBeCloseTo(Math.SQRT2, 12);
    expect(controlShare({ cost: 5, spread: 0.2 }, Array.from({ length: 9 }, () => ({ cost: 5, spread: 0.2 })))).toBeCloseTo(3, 12);
    expect(controlShare({ cost: 5, spread: 0 }, [{ cost: 5, spread: 0.2 }])).toBe(1);
    expect(controlShare({ cost: 5, spread: 0.1 }, [])).toBe(1);
  });

  it('minimises the total time for a given precision of every ratio (checked against a numeric search)', () => {
    const cases = [
      { m: 4, host: { cost: 15, spread: 0.2 }, cell: { cost: 300, spread: 0.12 } },
      { m: 2, host: { cost: 1, spread: 0.3 }, cell: { cost: 900, spread: 0.25 } },
      { m: 6, host: { cost: 40, spread: 0.1 }, cell: { cost: 60, spread: 0.15 } },
    ];
    for (const { m, host, cell } of cases) {
      const f = controlShare(host, Array.from({ length: m }, () => cell));
      expect(f).toBeCloseTo(Math.sqrt(m) * (host.spread / cell.spread) * Math.sqrt(host.cost / cell.cost), 12);
      let best = Infinity;
      let bestF = 0;
      for (let g = 0.001; g < 10; g *= 1.001) {
        const t = totalTime(g, m, host, cell);
        if (t < best) { best = t; bestF = g; }
      }
      expect(f / bestF).toBeGreaterThan(0.998);
      expect(f / bestF).toBeLessThan(1.002);
      // Dunnett's sqrt(m) costs more time for the same precision when the host is cheaper than its cells.
      expect(totalTime(Math.sqrt(m), m, host, cell)).toBeGreaterThan(totalTime(f, m, host, cell) * 1.01);
    }
  });

  it('never gives more than twice Dunnett\'s share', () => {
    expect(controlShare({ cost: 100, spread: 1 }, [{ cost: 1, spread: 0.01 }])).toBe(2);
  });
});

describe('logSpread', () => {
  it('is the scaled MAD of the logs, from SPREAD_MIN_RUNS runs on', () => {
    expect(logSpread([1, 2, 3, 4].slice(0, SPREAD_MIN_RUNS - 1))).toBeUndefined();
    const xs = [1, Math.E, Math.E ** 2, Math.E ** 3, Math.E ** 100];
    // logs 0 1 2 3 100: median 2, deviations 2 1 0 1 98, MAD 1.
    expect(logSpread(xs)).toBeCloseTo(1.4826, 12);
    expect(logSpread([1, 2, 0, 3, 4])).toBeUndefined();
  });
});
