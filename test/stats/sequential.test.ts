import { describe, expect, it } from 'vitest';
import {
  clearOf, isLook, lookConfidence, lookDue, lookSchedule, pocockBoundary, lookDecision, medianCI, medianWithRelativeSE, mulberry32, normalQuantile, relativeHalfWidth, sequentialRatioCI,
  robustRatioHalfWidth, welchDf, type Rng,
} from '../../src/stats/index.js';
import { trimmedLogMean } from '../../src/stats/trimmed.js';

describe('normalQuantile', () => {
  it('matches reference z values', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959964, 5);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.9875)).toBeCloseTo(2.241403, 5);
    expect(normalQuantile(0.9995)).toBeCloseTo(3.290527, 5);
    expect(() => normalQuantile(1)).toThrow(/probability/);
  });
});

describe('look schedule and decision', () => {
  it('looks at the minimum, then every x1.5, and at the cap', () => {
    const looks = Array.from({ length: 60 }, (_, i) => i + 1).filter((n) => isLook(n, 5, 60));
    expect(looks).toEqual([5, 8, 12, 18, 27, 41, 60]);
  });
  it('with batches, looks at the first check at or past each scheduled size, never twice for one', () => {
    // One run at a time it is the schedule itself.
    const schedule = [5, 8, 12, 18, 27, 41, 60];
    for (let n = 1; n <= 60; n++) expect(lookDue(n - 1, n, 5, 60)).toBe(schedule.includes(n));
    // Never a look past the cap, where sampling has stopped (5, 8, 12 with a cap of 10: 12 is no look).
    expect([8, 10, 12].map((n) => isLook(n, 5, 10))).toEqual([true, true, false]);
    // Steps of 7: 7 (past 5), 14 (past 8 and 12), 21 (past 18), 28 (past 27), 35 (nothing), 42 (past 41), then the cap.
    const due = [7, 14, 21, 28, 35, 42, 49, 56, 60].filter((n, i, a) => lookDue(i ? a[i - 1]! : 0, n, 5, 60));
    expect(due).toEqual([7, 14, 21, 28, 42, 60]);
    expect(lookDue(10, 10, 5, 60)).toBe(false);
  });
  it('uses Pocock\'s level for the schedule: one look is the target itself, more looks a stricter level', () => {
    expect(lookSchedule(5, 400)).toEqual([5, 8, 12, 18, 27, 41, 62, 93, 140, 210, 315, 400]);
    expect(pocockBoundary(0.95, 5, 5)).toBeCloseTo(1.96, 1);
    expect(lookConfidence(0.95, 5, 5)).toBeCloseTo(0.95, 2);
    // Pocock's tables for equally spaced looks: 2.413 at K = 5, 2.555 at K = 10; ours grow by x1.5 (12 looks to 400).
    expect(pocockBoundary(0.95, 5, 400)).toBeGreaterThan(2.6);
    expect(pocockBoundary(0.95, 5, 400)).toBeLessThan(2.8);
    expect(lookConfidence(0.95, 5, 30)).toBeLessThan(lookConfidence(0.95, 5, 400));
    expect(lookConfidence(0.95, 5, 400)).toBeGreaterThan(0.975);
    // Deterministic: the same schedule gives the same level.
    expect(lookConfidence(0.95, 3, 200)).toBe(lookConfidence(0.95, 3, 200));
  });
  it('is decided only when no threshold is inside the interval and the precision is met', () => {
    const edges = [1 / 1.05, 1.05];
    expect(clearOf(0.97, 1.03, edges)).toBe(true);
    expect(clearOf(1.03, 1.07, edges)).toBe(false);
    expect(lookDecision({ ratio: { ratio: 1, lo: 0.98, hi: 1.02 }, ratioThresholds: edges, precision: 0.03 })).toBe('decided');
    expect(lookDecision({ ratio: { ratio: 1.05, lo: 1.03, hi: 1.07 }, ratioThresholds: edges, precision: 0.03 })).toBeUndefined();
    expect(lookDecision({ ratio: { ratio: 1, lo: 0.9, hi: 1.04 }, ratioThresholds: edges, precision: 0.03 })).toBeUndefined();
    expect(lookDecision({ ratio: { ratio: 0.2, lo: 0.195, hi: 0.205 }, ratioThresholds: [], precision: 0.03 })).toBe('precision');
    // A clear ratio can still wait on an absolute bound (startup <= 100 ms).
    expect(lookDecision({ ratio: { ratio: 5, lo: 4.9, hi: 5.1 }, ratioThresholds: [], absolute: { lo: 95, hi: 105, thresholds: [100, 500] }, precision: 0.05 })).toBeUndefined();
    expect(lookDecision({ ratio: { ratio: 5, lo: 4.9, hi: 5.1 }, ratioThresholds: [], absolute: { lo: 3, hi: 4, thresholds: [100, 500] }, precision: 0.05 })).toBe('decided');
  });
});

describe('median standard error (McKean-Schrader)', () => {
  it('uses the order statistics around the median', () => {
    // n = 11: c = round(6 - 1.96 * sqrt(2.75)) = round(2.75) = 3, SE = (x(9) - x(3)) / (2 * 1.96).
    const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    const r = medianWithRelativeSE(xs);
    expect(r.median).toBe(6);
    expect(r.relSE).toBeCloseTo((9 - 3) / (2 * normalQuantile(0.975)) / 6, 10);
    const ci = medianCI(xs, 0.95);
    expect(ci.lo).toBeLessThan(6);
    expect(ci.hi).toBeGreaterThan(6);
  });
  it('gives a ratio interval around the ratio of trimmed geometric means, tighter with more data', () => {
    const rng = mulberry32(7);
    const draw = (m: number, n: number): number[] => Array.from({ length: n }, () => m * Math.exp(0.1 * gauss(rng)));
    const small = sequentialRatioCI(draw(2, 10), draw(1, 10), 0.975);
    const large = sequentialRatioCI(draw(2, 200), draw(1, 200), 0.975);
    expect(small.method).toBe('trimmed-sequential');
    expect(small.lo).toBeLessThan(small.ratio);
    expect(small.hi).toBeGreaterThan(small.ratio);
    expect(relativeHalfWidth(large.ratio, large.lo, large.hi)).toBeLessThan(relativeHalfWidth(small.ratio, small.lo, small.hi) / 2);
    expect(large.lo).toBeLessThan(2);
    expect(large.hi).toBeGreaterThan(2);
  });
});

describe('small samples: a cell the budget stopped at 3-5 runs', () => {
  /** Coverage of the stored interval at a fixed sample size (no stopping rule): the budget can end a cell at its floor. */
  const coverage = (ne: number, nh: number, interval: (e: number[], h: number[]) => { lo: number; hi: number }): number => {
    const rng = mulberry32(0x5eed + ne * 31 + nh);
    const runs = 2000;
    let covered = 0;
    for (let i = 0; i < runs; i++) {
      const e = Array.from({ length: ne }, () => Math.exp(0.1 * gauss(rng)));
      const h = Array.from({ length: nh }, () => Math.exp(0.1 * gauss(rng)));
      const r = interval(e, h);
      if (r.lo <= 1 && 1 <= r.hi) covered++;
    }
    return covered / runs;
  };
  // The interval's own coverage at one level (here the old fixed 97.5%), not the stopping rule's.
  const level = 0.975;
  it('refers the studentised ratio to Student t: 3 + 3 runs still cover about the stated 97.5%', () => {
    for (const [ne, nh] of [[3, 3], [3, 5], [4, 4], [5, 5]] as const) {
      expect(coverage(ne, nh, (e, h) => sequentialRatioCI(e, h, level)), `${ne} + ${nh} runs`).toBeGreaterThanOrEqual(0.95);
    }
  });
  it('the normal quantile would not: at 3 + 3 runs it covers well under the stated 97.5%', () => {
    const normal = (e: number[], h: number[]): { lo: number; hi: number } => {
      const a = trimmedLogMean(e);
      const b = trimmedLogMean(h);
      const w = normalQuantile(1 - (1 - level) / 2) * Math.hypot(a.se, b.se);
      const r = Math.exp(a.mean - b.mean);
      return { lo: r * Math.exp(-w), hi: r * Math.exp(w) };
    };
    expect(coverage(3, 3, normal)).toBeLessThan(0.94);
  });
  it('Welch–Satterthwaite df: n - 1 for one group, the sum for equal SEs, unbounded for a point', () => {
    expect(welchDf([{ relSE: 0.1, n: 5 }])).toBeCloseTo(4, 12);
    expect(welchDf([{ relSE: 0.1, n: 5 }, { relSE: 0.1, n: 5 }])).toBeCloseTo(8, 12);
    // The noisier group dominates: close to its own n - 1.
    expect(welchDf([{ relSE: 0.3, n: 3 }, { relSE: 0.01, n: 300 }])).toBeLessThan(2.1);
    expect(welchDf([{ relSE: 0, n: 3 }, { relSE: 0, n: 3 }])).toBe(Infinity);
  });
  it('converges to the normal interval as runs grow', () => {
    const rng = mulberry32(9);
    const xs = Array.from({ length: 2000 }, () => Math.exp(0.1 * gauss(rng)));
    const a = medianWithRelativeSE(xs);
    const ci = medianCI(xs, level);
    expect(relativeHalfWidth(a.median, ci.lo, ci.hi) / (normalQuantile(0.9875) * a.relSE)).toBeCloseTo(1, 2);
  });
});

describe('robustRatioHalfWidth (the spread futility projects from)', () => {
  it('one burst-slowed run among seven inflates the interval (untrimmed below 10 runs), not the MAD forecast (a real nspawn cpu cell)', () => {
    const nspawn = [1095, 2521, 2395, 2380, 2521, 2407, 2503];
    const host = [2465, 2405, 2351, 2483, 2415, 2398, 2406, 2435, 2424, 2438, 2441, 2415];
    const level = 0.975;
    const ci = sequentialRatioCI(nspawn, host, level);
    expect(relativeHalfWidth(ci.ratio, ci.lo, ci.hi)).toBeGreaterThan(0.3);
    expect(robustRatioHalfWidth(nspawn, host, level)).toBeLessThan(0.1);
    // From 10 runs on the trim drops it: three more ordinary runs and the interval is narrow again.
    const more = sequentialRatioCI([...nspawn, 2450, 2480, 2390], host, level);
    expect(relativeHalfWidth(more.ratio, more.lo, more.hi)).toBeLessThan(0.05);
  });
  it('agrees with the interval on clean normal data', () => {
    const rng = mulberry32(11);
    const draw = (n: number): number[] => Array.from({ length: n }, () => Math.exp(0.05 * gauss(rng)));
    const e = draw(60);
    const h = draw(120);
    const ci = sequentialRatioCI(e, h, 0.975);
    const robust = robustRatioHalfWidth(e, h, 0.975);
    expect(robust / relativeHalfWidth(ci.ratio, ci.lo, ci.hi)).toBeGreaterThan(0.6);
    expect(robust / relativeHalfWidth(ci.ratio, ci.lo, ci.hi)).toBeLessThan(1.6);
  });
});

function gauss(rng: Rng): number {
  const u = rng() || 1e-12;
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

interface Case { name: string; ratio: number; sigma: number; outliers: number; batch?: (rng: Rng) => number; hostBatch?: number }

/**
 * The stopping rule exactly as the scheduler applies it (look schedule,
 * per-look level, decision), on synthetic lognormal timings with a known
 * ratio of medians. Both groups share the same outlier mixture, so the true
 * ratio of medians stays `ratio`.
 */
function simulate(c: Case, rng: Rng, maxRounds = 400, minRounds = 5, precision = 0.03): { covered: boolean; n: number } {
  const level = lookConfidence(0.95, minRounds, maxRounds);
  const edges = [1 / 1.05, 1.05, 1 / 1.2, 1.2];
  const draw = (m: number): number => m * Math.exp(c.sigma * gauss(rng)) * (rng() < c.outliers ? 1.5 + rng() : 1);
  const host: number[] = [];
  const env: number[] = [];
  // The scheduler's batches: per round, each side gets `batch` runs (the host
  // up to hostBatch, as when the environment is the costlier one), and the
  // look happens at the first check past each scheduled size.
  for (let round = 1; ; round++) {
    const prev = env.length;
    const k = Math.min(c.batch?.(rng) ?? 1, maxRounds - prev);
    for (let i = 0; i < k; i++) env.push(draw(c.ratio));
    const kh = Math.min(c.hostBatch ?? k, maxRounds - host.length);
    for (let i = 0; i < kh; i++) host.push(draw(1));
    const n = env.length;
    if (!lookDue(prev, n, minRounds, maxRounds)) continue;
    const r = sequentialRatioCI(env, host, level);
    if (lookDecision({ ratio: r, ratioThresholds: edges, precision }) || n >= maxRounds) return { covered: r.lo <= c.ratio && c.ratio <= r.hi, n };
  }
}

describe('sequential stopping rule: coverage by simulation (1,000 runs per case)', () => {
  const cases: Case[] = [
    { name: 'equal speed, 10% noise', ratio: 1, sigma: 0.1, outliers: 0 },
    { name: 'just inside the 5% band, 10% noise', ratio: 1.03, sigma: 0.1, outliers: 0 },
    { name: 'on the 5% edge, 20% noise', ratio: 1.05, sigma: 0.2, outliers: 0 },
    { name: 'just outside the 5% band, 5% noise', ratio: 0.94, sigma: 0.05, outliers: 0 },
    { name: 'emulated VM-like, 30% noise', ratio: 0.15, sigma: 0.3, outliers: 0 },
    { name: '5% scheduler outliers, 15% noise', ratio: 1.04, sigma: 0.15, outliers: 0.05 },
    { name: 'batches of 1-25 runs a round, 20% noise', ratio: 1.02, sigma: 0.2, outliers: 0.02, batch: (rng) => 1 + Math.floor(rng() * 25) },
    { name: 'a costly environment beside a host batched x25, 10% noise', ratio: 8, sigma: 0.1, outliers: 0.02, hostBatch: 25 },
    // On a threshold with steady runs: the precision comes early and every later look is a chance to clear the
    // edge on a lucky draw. A fixed 97.5% per look covered 84-88% here; Pocock's level for the schedule keeps it.
    { name: 'exactly on the 5% edge, 2% noise', ratio: 1.05, sigma: 0.02, outliers: 0 },
    { name: 'exactly on the 5% edge, 5% noise', ratio: 1.05, sigma: 0.05, outliers: 0 },
    { name: 'exactly on the 20% edge, 3% noise', ratio: 1 / 1.2, sigma: 0.03, outliers: 0 },
  ];
  for (const c of cases) {
    it(`${c.name}: the final interval covers the true ratio >= 93% of the time`, () => {
      const rng = mulberry32(0xc0ffee);
      let covered = 0;
      let rounds = 0;
      const runs = 1000;
      for (let i = 0; i < runs; i++) {
        const r = simulate(c, rng);
        if (r.covered) covered++;
        rounds += r.n;
      }
      expect(covered / runs, `coverage (mean rounds ${(rounds / runs).toFixed(0)})`).toBeGreaterThanOrEqual(0.93);
    });
  }

  it('stops early when the data decide (low noise): far fewer rounds than the cap', () => {
    const rng = mulberry32(1);
    const ns = Array.from({ length: 200 }, () => simulate({ name: 'quiet', ratio: 1, sigma: 0.02, outliers: 0 }, rng).n);
    expect(Math.max(...ns)).toBeLessThan(60);
  });
});
