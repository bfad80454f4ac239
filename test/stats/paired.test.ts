import { describe, expect, it } from 'vitest';
import { AUTOCORRELATION_MIN_RUNS, effectiveRuns, lag1Autocorrelation, lookConfidence, lookDecision, lookDue, mulberry32, normalQuantile, pairedRatioCI, pairedSpread, sequentialRatioCI, slotPairRatio, studentTQuantile, type Rng } from '../../src/stats/index.js';
import { trimmedLogMean } from '../../src/stats/trimmed.js';

function gauss(rng: Rng): number {
  const u = rng() || 1e-12;
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

describe('slotPairRatio', () => {
  it('takes the median of the slot ratios over the slots both sides worked', () => {
    const env = new Map([[0, 90], [1, 200], [2, 50], [3, 10], [5, 7]]);
    const host = new Map([[0, 100], [1, 100], [2, 100], [3, 10], [4, 99]]);
    // Common slots 0..3: ratios 0.9, 2, 0.5, 1 -> median of the logs is between 0.9 and 1.
    const r = slotPairRatio(env, host)!;
    expect(r.pairs).toBe(4);
    expect(r.ratio).toBeCloseTo(Math.sqrt(0.9 * 1), 12);
  });

  it('ignores a slot one side spoiled: a steal burst on one side moves the median, not the ratio', () => {
    const host = new Map(Array.from({ length: 21 }, (_, k) => [k, 100] as [number, number]));
    const env = new Map(Array.from({ length: 21 }, (_, k) => [k, k === 7 ? 3 : 80] as [number, number]));
    expect(slotPairRatio(env, host)!.ratio).toBeCloseTo(0.8, 12);
  });

  it('has nothing to say without a common slot', () => {
    expect(slotPairRatio(new Map([[1, 5]]), new Map([[2, 5]]))).toBeUndefined();
  });
});

describe('runs in a row that correlate (lag-1 autocorrelation)', () => {
  it('reads r of a series, and counts effective runs from 20 on only', () => {
    expect(lag1Autocorrelation([1, 1, 1, 1])).toBe(0);
    expect(lag1Autocorrelation([1, -1, 1, -1, 1, -1])).toBeCloseTo(-5 / 6, 12);
    // Two long stretches: strongly positive.
    const stretches = [...Array(20).fill(0), ...Array(20).fill(1)];
    expect(lag1Autocorrelation(stretches)).toBeGreaterThan(0.9);
    // Below the minimum, every run counts; past it, r = 0.8 at most: n (1 - 0.8) / (1 + 0.8) = n / 9.
    expect(effectiveRuns(stretches.slice(0, 10).concat(stretches.slice(30, 39)))).toBe(AUTOCORRELATION_MIN_RUNS - 1);
    expect(effectiveRuns(stretches)).toBeCloseTo(40 / 9, 12);
    // A negative r (alternating) never narrows the interval.
    expect(effectiveRuns(Array.from({ length: 30 }, (_, i) => (i % 2 ? 1 : -1)))).toBe(30);
  });

  it('keeps its coverage where runs drift in stretches (AR(1), r = 0.4, 40 runs): t on the runs as if independent does not', () => {
    const rng = mulberry32(4242);
    const sims = 1000;
    const n = 40;
    const rho = 0.4;
    let adjusted = 0;
    let naive = 0;
    for (let k = 0; k < sims; k++) {
      const logs: number[] = [];
      let x = gauss(rng) / Math.sqrt(1 - rho * rho);
      for (let i = 0; i < n; i++) { logs.push(0.1 * x); x = rho * x + gauss(rng); }
      const r = pairedRatioCI(logs.map(Math.exp), 0.95);
      if (r.lo <= 1 && 1 <= r.hi) adjusted++;
      const m = logs.reduce((a, b) => a + b) / n;
      const sd = Math.sqrt(logs.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1));
      if (Math.abs(m) <= studentTQuantile(0.975, n - 1) * sd / Math.sqrt(n)) naive++;
    }
    expect(adjusted / sims).toBeGreaterThanOrEqual(0.93);
    expect(naive / sims).toBeLessThan(0.9);
  });
});

describe('pairedRatioCI', () => {
  it('is Student t with n - 1 df on the runs\' log ratios, around their geometric mean', () => {
    const runs = [0.98, 1.02, 1.0, 0.99, 1.01];
    const r = pairedRatioCI(runs, 0.975);
    const logs = runs.map(Math.log);
    const m = logs.reduce((a, b) => a + b) / logs.length;
    const sd = Math.sqrt(logs.reduce((a, b) => a + (b - m) ** 2, 0) / (logs.length - 1));
    const w = studentTQuantile(1 - 0.025 / 2, 4) * (sd / Math.sqrt(5));
    expect(r.ratio).toBeCloseTo(Math.exp(m), 12);
    expect(r.lo).toBeCloseTo(Math.exp(m - w), 12);
    expect(r.hi).toBeCloseTo(Math.exp(m + w), 12);
    expect(r.method).toBe('paired-slots');
    expect(r.confidence).toBe(0.975);
  });

  it('the spread futility projects from uses z, not the t of a few runs: at 5 runs and 99.3% that is half as wide', () => {
    const runs = [0.98, 1.02, 1.0, 0.99, 1.01];
    const level = 0.9933;
    const ci = pairedRatioCI(runs, level);
    const hw = (ci.hi - ci.lo) / 2 / ci.ratio;
    const p = 1 - (1 - level) / 2;
    expect(pairedSpread(runs, level) / hw).toBeCloseTo(normalQuantile(p) / studentTQuantile(p, 4), 2);
    expect(pairedSpread(runs, level)).toBeLessThan(hw / 1.8);
  });

  it('from 10 runs on is Yuen\'s trimmed t: the 20% trimmed mean of the logs, its winsorized SE, h - 1 df', () => {
    const runs = [1.01, 0.99, 1.0, 1.02, 0.98, 1.0, 1.01, 0.99, 1.03, 0.97, 1.0, 1.02];
    const r = pairedRatioCI(runs, 0.95);
    const t = trimmedLogMean(runs);
    expect(t.h).toBe(8);
    const w = studentTQuantile(0.975, t.h - 1) * t.se;
    expect(r.ratio).toBeCloseTo(Math.exp(t.mean), 12);
    expect(r.lo).toBeCloseTo(Math.exp(t.mean - w), 12);
    expect(r.hi).toBeCloseTo(Math.exp(t.mean + w), 12);
  });

  it('one disturbed run among 14 (x0.41, its slots met few partners) does not widen the interval past 3%; on the plain mean it did, past 10%', () => {
    const rng = mulberry32(2026);
    const runs = Array.from({ length: 13 }, () => Math.exp(0.01 * gauss(rng)));
    runs.splice(6, 0, 0.41);
    const r = pairedRatioCI(runs, 0.99);
    expect((r.hi - r.lo) / (2 * r.ratio)).toBeLessThan(0.03);
    expect(Math.abs(Math.log(r.ratio))).toBeLessThan(0.02);
    const logs = runs.map(Math.log);
    const m = logs.reduce((a, b) => a + b) / logs.length;
    const sd = Math.sqrt(logs.reduce((a, b) => a + (b - m) ** 2, 0) / (logs.length - 1));
    expect(Math.sinh(studentTQuantile(0.995, logs.length - 1) * sd / Math.sqrt(logs.length))).toBeGreaterThan(0.1);
    // The futility projection reads the same trimmed SE.
    expect(pairedSpread(runs, 0.99)).toBeLessThan(0.03);
  });

  it('refuses fewer than two runs and a ratio that is not > 0', () => {
    expect(() => pairedRatioCI([1], 0.95)).toThrow(/at least 2 runs/);
    expect(() => pairedRatioCI([1, 0], 0.95)).toThrow(/> 0/);
  });
});

/**
 * Synthetic runs on a host whose speed drifts by ±18% from run to run (the
 * slow hypervisor state measured here), shared by a slot and its partner,
 * plus fast noise per slot. `ratio` is the environment's true ratio.
 */
function pairedRun(rng: Rng, ratio: number, slots: number, slotNoise: number, disturbed = 0): { env: Map<number, number>; host: Map<number, number>; envAlone: number; hostAlone: number } {
  const state = Math.exp(0.18 * gauss(rng));
  // A disturbed run (probability `disturbed`): the environment's side read half speed throughout, which no partner shared.
  const hit = rng() < disturbed ? 0.5 : 1;
  const env = new Map<number, number>();
  const host = new Map<number, number>();
  for (let k = 0; k < slots; k++) {
    env.set(k, hit * ratio * state * Math.exp(slotNoise * gauss(rng)));
    host.set(k, state * Math.exp(slotNoise * gauss(rng)));
  }
  // The same runs read alone (unpaired): each side's own state.
  return { env, host, envAlone: ratio * Math.exp(0.18 * gauss(rng)), hostAlone: Math.exp(0.18 * gauss(rng)) };
}

/** The sequential rule as the scheduler applies it (look schedule, per-look level, decision), on paired runs. */
function simulate(rng: Rng, ratio: number, slotNoise: number, disturbed = 0, maxRounds = 200, minRounds = 5): { covered: boolean; n: number; hw: number } {
  const level = lookConfidence(0.95, minRounds, maxRounds);
  const edges = [1 / 1.05, 1.05, 1 / 1.2, 1.2];
  const runs: number[] = [];
  for (;;) {
    const prev = runs.length;
    const p = pairedRun(rng, ratio, 40, slotNoise, disturbed);
    runs.push(slotPairRatio(p.env, p.host)!.ratio);
    const n = runs.length;
    if (!lookDue(prev, n, minRounds, maxRounds)) continue;
    const r = pairedRatioCI(runs, level);
    if (lookDecision({ ratio: r, ratioThresholds: edges, precision: 0.03 }) || n >= maxRounds) return { covered: r.lo <= ratio && ratio <= r.hi, n, hw: (r.hi - r.lo) / (2 * r.ratio) };
  }
}

describe('paired sequential rule: coverage by simulation (1,000 runs per case)', () => {
  const cases = [
    { name: 'equal speed, 15% slot noise (memory-like)', ratio: 1, noise: 0.15 },
    { name: 'on the 5% edge, 20% slot noise', ratio: 1.05, noise: 0.2 },
    { name: 'just outside the 5% band, 8% slot noise (syscall-like)', ratio: 0.89, noise: 0.08 },
    { name: 'heavy slot noise (40%)', ratio: 0.97, noise: 0.4 },
    { name: 'one run in 20 disturbed (its side at half speed), 15% slot noise', ratio: 1, noise: 0.15, disturbed: 0.05 },
  ];
  for (const c of cases) {
    it(`${c.name}: the final interval covers the true ratio >= 93% of the time`, () => {
      const rng = mulberry32(0x5107);
      let covered = 0;
      for (let i = 0; i < 1000; i++) if (simulate(rng, c.ratio, c.noise, c.disturbed ?? 0).covered) covered++;
      expect(covered / 1000).toBeGreaterThanOrEqual(0.93);
    });
  }

  it('a drift both sides share cancels: five paired runs are narrower than fifty unpaired ones', () => {
    const rng = mulberry32(7);
    const paired: number[] = [];
    const alone = { env: [] as number[], host: [] as number[] };
    for (let i = 0; i < 50; i++) {
      const p = pairedRun(rng, 1, 40, 0.15);
      if (i < 5) paired.push(slotPairRatio(p.env, p.host)!.ratio);
      alone.env.push(p.envAlone);
      alone.host.push(p.hostAlone);
    }
    const a = pairedRatioCI(paired, 0.975);
    const b = sequentialRatioCI(alone.env, alone.host, 0.975);
    expect((a.hi - a.lo) / a.ratio).toBeLessThan((b.hi - b.lo) / b.ratio);
  });
});
