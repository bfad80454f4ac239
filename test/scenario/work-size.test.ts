import { describe, it, expect } from 'vitest';
import { nextFactor, scaleParams, SIZE_FACTOR_MAX, SIZE_FACTOR_MIN, targetRoundMs } from '../../src/scenario/work-size.js';
import { WORKLOADS } from '../../src/scenario/workloads/index.js';

describe('scaleParams', () => {
  const size = [{ name: 'count', min: 1000, max: 1_000_000 }];
  it('multiplies, rounds and clamps only the declared params', () => {
    expect(scaleParams({ count: 200_000, other: 7 }, size, 0.1234)).toEqual({ count: 24_680, other: 7 });
    expect(scaleParams({ count: 200_000 }, size, 1e-6)).toEqual({ count: 1000 });
    expect(scaleParams({ count: 200_000 }, size, 100)).toEqual({ count: 1_000_000 });
  });
  it('leaves a param that is not a number alone', () => {
    expect(scaleParams({ count: 'x' }, size, 2)).toEqual({ count: 'x' });
  });
});

describe('nextFactor', () => {
  it('one run: the proportional estimate', () => {
    expect(nextFactor([{ factor: 0.1, execMs: 25 }], 250)).toBeCloseTo(1, 10);
  });
  it('two runs separate the fixed start-up from the work', () => {
    // time = 20 ms + 200 ms per unit factor
    const f = nextFactor([{ factor: 0.1, execMs: 40 }, { factor: 0.5, execMs: 120 }], 250);
    expect(f).toBeCloseTo(1.15, 10);
    expect(20 + 200 * f).toBeCloseTo(250, 6);
  });
  it('a fit that makes no sense falls back to the proportional estimate of the larger run', () => {
    expect(nextFactor([{ factor: 0.1, execMs: 60 }, { factor: 0.5, execMs: 50 }], 250)).toBeCloseTo(2.5, 10);
  });
  it('never more than twice the proportional estimate (two close noisy points)', () => {
    expect(nextFactor([{ factor: 0.1, execMs: 91 }, { factor: 0.27, execMs: 104 }], 250)).toBeCloseTo((2 * 0.27 * 250) / 104, 10);
  });
  it('stays within the global bounds and ignores unusable points', () => {
    expect(nextFactor([{ factor: 0.1, execMs: 1e-9 }], 250)).toBe(SIZE_FACTOR_MAX);
    expect(nextFactor([{ factor: 0.1, execMs: 1e9 }], 250)).toBe(SIZE_FACTOR_MIN);
    expect(nextFactor([{ factor: 0.3, execMs: 0 }], 250)).toBe(0.3);
    expect(nextFactor([], 250)).toBe(1);
  });
});

describe('targetRoundMs', () => {
  it('is the scenario roundMs, and at least half the environment start time', () => {
    expect(targetRoundMs(250, 5)).toBe(250);
    expect(targetRoundMs(250, 1000)).toBe(500);
    expect(targetRoundMs(250, undefined)).toBe(250);
  });
});

describe('workloads that declare a work size', () => {
  it('name real whole-number params of their own schema, with sane bounds', () => {
    const sized = [...WORKLOADS].filter((w) => w.workSize?.length);
    expect(sized.map((w) => w.type).sort()).toEqual(['compress', 'http', 'network', 'probe-cpu', 'probe-fsync', 'probe-proc', 'probe-syscall', 'redis', 'sqlite', 'sysbench-cpu', 'sysbench-memory']);
    for (const w of sized) {
      const defaults = w.paramsSchema.parse({}) as Record<string, unknown>;
      for (const p of w.workSize!) {
        expect(typeof defaults[p.name], `${w.type}.${p.name}`).toBe('number');
        expect(p.min).toBeGreaterThanOrEqual(1);
        expect(p.max).toBeGreaterThan(p.min);
        // The bounds are inside what the params schema accepts.
        expect(() => w.paramsSchema.parse({ ...defaults, [p.name]: p.min })).not.toThrow();
        expect(() => w.paramsSchema.parse({ ...defaults, [p.name]: p.max })).not.toThrow();
      }
    }
  });
});

describe('workMs', () => {
  it('every sized workload times its own work, from its parsed metrics', () => {
    for (const w of WORKLOADS.filter((x) => x.workSize?.length)) expect(typeof w.workMs, w.type).toBe('function');
    const cpu = WORKLOADS.find((w) => w.type === 'sysbench-cpu')!;
    expect(cpu.workMs!({ events: 500 }, { total_time_s: 0.2157 })).toBeCloseTo(215.7, 6);
    // The sliced probes time their work by the whole-run rate (steal included), not the median slice.
    const sys = WORKLOADS.find((w) => w.type === 'probe-syscall')!;
    expect(sys.workMs!({ count: 200_000 }, { syscalls_per_sec: 10_000_000, syscalls_per_sec_whole: 8_000_000 })).toBeCloseTo(25, 6);
    const pcpu = WORKLOADS.find((w) => w.type === 'probe-cpu')!;
    expect(pcpu.workMs!({ events: 500, maxPrime: 10_000 }, { events_per_sec: 2500, events_per_sec_whole: 2000 })).toBeCloseTo(250, 6);
    expect(pcpu.workMs!({ events: 500, maxPrime: 10_000 }, { events_per_sec: 2500 })).toBeUndefined();
    const http = WORKLOADS.find((w) => w.type === 'http')!;
    expect(http.workMs!({ requests: 15_000 }, { requests_per_sec: 60_000 })).toBeCloseTo(250, 6);
    const redis = WORKLOADS.find((w) => w.type === 'redis')!;
    expect(redis.workMs!({ requests: 1000 }, { set_ops_per_sec: 10_000, get_ops_per_sec: 20_000 })).toBeCloseTo(150, 6);
    // A missing figure: no estimate (sizing falls back to ready→exit).
    expect(redis.workMs!({ requests: 1000 }, { set_ops_per_sec: 10_000 })).toBeUndefined();
  });
});
