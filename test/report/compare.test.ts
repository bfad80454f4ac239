import { describe, expect, it } from 'vitest';
import { compareMarkdown, compareResults, parseThreshold } from '../../src/report/index.js';
import type { RunResults } from '../../src/results/types.js';
import { fixture } from './helpers.js';

/** Scales one metric of one scenario × env in a copy of a run (a planted change). */
function plant(r: RunResults, scenario: string, env: string, metric: string, factor: number): RunResults {
  const e = r.scenarios.find((s) => s.name === scenario)?.envs.find((x) => x.env === env);
  if (!e || e.status !== 'ok') throw new Error(`fixture has no ok ${scenario}/${env}`);
  for (const s of e.samples) {
    const v = s.metrics[metric];
    if (v !== undefined) s.metrics[metric] = v * factor;
    else { const t = s as unknown as Record<string, number>; t[metric] = (t[metric] ?? NaN) * factor; }
  }
  const st = e.stats[metric];
  if (st) st.median *= factor;
  return r;
}

const row = (c: ReturnType<typeof compareResults>, scenario: string, env: string) => c.rows.find((x) => x.scenario === scenario && x.env === env)!;

describe('bench compare', () => {
  it('flags a planted 2x slowdown as a regression, for higher- and lower-is-better metrics alike', () => {
    const base = fixture();
    let next = fixture('sample-run-b.json');
    next = plant(next, 'cpu', 'container', 'events_per_sec', 0.5); // throughput halved
    next = plant(next, 'fileio', 'chroot', 'fsync_ms', 2); // time doubled
    next = plant(next, 'process', 'runc', 'spawns_per_sec', 0.5);
    const c = compareResults(base, next);
    for (const [s, e] of [['cpu', 'container'], ['fileio', 'chroot'], ['process', 'runc']] as const) {
      const r = row(c, s, e);
      expect(r.status, `${s}/${e}`).toBe('regression');
      expect(r.slowdown).toBeGreaterThan(1.7);
      expect(r.slowdown).toBeLessThan(2.6); // 2x on top of run-to-run noise
    }
    expect(c.regressions).toBe(3);
    expect(compareMarkdown(c)).toMatch(/\*\*3 regression\(s\)\*\* beyond 40%/);
    expect(compareMarkdown(c)).toMatch(/\| cpu \| container \| events_per_sec \(↑ better\) \|[^|]+\|[^|]+\| ×[\d.]+ \| ×[\d.]+ \|.*\d\.\d\d× slower \| 🔴 \*\*regression\*\*/);
  });

  it('shows the host-normalised medians beside the raw ones: a slower machine moves the raw medians, not the ÷host figures', () => {
    const next = fixture('sample-run-b.json');
    // The whole machine at half speed: every environment's raw throughput halves.
    for (const s of next.scenarios) for (const e of s.envs) if (e.status === 'ok') plant(next, s.name, e.env, s.primaryMetric.name, s.primaryMetric.higherIsBetter ? 0.5 : 2);
    const c = compareResults(fixture(), next);
    const r = row(c, 'cpu', 'container');
    expect(r.normalized).toBe(true);
    expect(r.newMedian! / r.baseMedian!).toBeLessThan(0.7);
    expect(r.newNormMedian! / r.baseNormMedian!).toBeGreaterThan(0.7);
    expect(r.newNormMedian! / r.baseNormMedian!).toBeLessThan(1.4);
    expect(row(c, 'cpu', 'host').baseNormMedian).toBeUndefined();
  });

  it('normalises a round holding a batch of runs by the medians of that round, not by whichever host run came last', () => {
    const base = fixture();
    const c0 = base.scenarios.find((x) => x.name === 'cpu')!;
    const host = c0.envs.find((e) => e.env === 'host')!;
    const ctr = c0.envs.find((e) => e.env === 'container')!;
    if (host.status !== 'ok' || ctr.status !== 'ok') throw new Error('fixture');
    // One round: the host ran 3 times, the container 3 times (a batch each).
    host.samples = host.samples.slice(0, 3).map((x, i) => ({ ...x, round: 1, metrics: { ...x.metrics, events_per_sec: [100, 200, 300][i]! } }));
    ctr.samples = ctr.samples.slice(0, 3).map((x, i) => ({ ...x, round: 1, metrics: { ...x.metrics, events_per_sec: [50, 90, 70][i]! } }));
    const r = row(compareResults(base, base), 'cpu', 'container');
    expect(r.normalized).toBe(true);
    expect(r.baseNormMedian).toBeCloseTo(70 / 200, 12);
  });

  it('warns when either side has fewer than 10 samples', () => {
    const next = fixture('sample-run-b.json');
    const e = next.scenarios.find((x) => x.name === 'cpu')?.envs.find((x) => x.env === 'container');
    if (e?.status !== 'ok') throw new Error('fixture has no ok cpu/container');
    e.samples = e.samples.slice(0, 5);
    const c = compareResults(fixture(), next);
    expect(row(c, 'cpu', 'container')).toMatchObject({ nNew: 5, fewSamples: true });
    const judged = c.rows.filter((r) => r.nBase !== undefined);
    expect(judged.length).toBeGreaterThan(0);
    for (const r of judged) expect(r.fewSamples === true, `${r.scenario}/${r.env} n=${r.nBase}/${r.nNew}`).toBe(r.nBase! < 10 || r.nNew! < 10);
    const few = judged.filter((r) => r.fewSamples).length;
    expect(few).toBeGreaterThan(0);
    expect(c.notes.join('\n')).toContain(`${few} row(s) have fewer than 10 samples`);
    expect(compareMarkdown(c)).toContain('⚠ n');
  });

  it('treats the host as the baseline: a slower machine is reported, not flagged, and cancels out of the other rows', () => {
    const next = fixture('sample-run-b.json');
    for (const s of next.scenarios) for (const e of s.envs) if (e.status === 'ok') plant(next, s.name, e.env, s.primaryMetric.name, s.primaryMetric.higherIsBetter ? 0.5 : 2);
    const c = compareResults(fixture(), next);
    expect(row(c, 'cpu', 'host').status).toBe('baseline');
    expect(row(c, 'cpu', 'host').note).toMatch(/the machine itself ran \d+% slower/);
    expect(c.regressions).toBe(0);
    expect(compareResults(fixture(), next, { baseline: 'none' }).regressions).toBeGreaterThanOrEqual(20);
  });

  it('does not call a 2x speed-up a regression', () => {
    const next = plant(fixture('sample-run-b.json'), 'cpu', 'container', 'events_per_sec', 2);
    const c = compareResults(fixture(), next);
    expect(row(c, 'cpu', 'container').status).toBe('improvement');
    expect(c.regressions).toBe(0);
  });

  it('does not flag two runs of the same build (different noise)', () => {
    const c = compareResults(fixture(), fixture('sample-run-b.json'));
    expect(c.rows.filter((r) => r.status === 'regression')).toEqual([]);
    expect(c.regressions).toBe(0);
    expect(compareMarkdown(c)).toContain('**No regression** beyond 40%');
    // the same run against itself: every comparable row is exactly 1
    const self = compareResults(fixture(), fixture());
    for (const r of self.rows.filter((x) => x.ratio !== undefined)) expect(r.ratio).toBe(1);
  });

  it('needs the whole CI beyond the threshold: a 2x slowdown is not flagged at a 150% threshold', () => {
    const next = plant(fixture('sample-run-b.json'), 'cpu', 'container', 'events_per_sec', 0.5);
    expect(compareResults(fixture(), next, { threshold: 1.5 }).regressions).toBe(0);
    expect(compareResults(fixture(), next, { method: 'welch' }).regressions).toBe(1);
  });

  it('counts a newly failing environment, and refuses to compare TCG with KVM', () => {
    const next = fixture('sample-run-b.json');
    const cpu = next.scenarios.find((s) => s.name === 'cpu')!;
    cpu.envs = cpu.envs.map((e) => (e.env === 'chroot' ? { env: 'chroot', kind: 'chroot', status: 'failed', samples: [], error: { code: 'X', message: 'boom' } } : e));
    for (const s of next.scenarios) for (const e of s.envs) if (e.env === 'vm' && e.status === 'ok') e.accelerator = 'kvm';
    const c = compareResults(fixture(), next);
    expect(row(c, 'cpu', 'chroot').status).toBe('failed');
    expect(row(c, 'cpu', 'vm').status).toBe('incomparable');
    expect(row(c, 'cpu', 'vm').note).toMatch(/accelerator changed \(tcg → kvm\)/);
    expect(row(c, 'memory', 'runc').status).toBe('skipped'); // failed in both
    expect(c.regressions).toBe(1);
  });

  it('refuses to compare a figure whose method changed: another workload, or the primary metric redefined', () => {
    const next = fixture('sample-run-b.json');
    const cpu = next.scenarios.find((s) => s.name === 'cpu')!;
    const before = { ...cpu.workload };
    cpu.workload = { type: 'probe-cpu', params: { maxPrime: 10000, events: 500 } };
    let c = compareResults(fixture(), next);
    expect(row(c, 'cpu', 'container').status).toBe('incomparable');
    expect(row(c, 'cpu', 'container').note).toBe(`workload changed (${before.type} → probe-cpu)`);
    cpu.workload = before;
    const base = fixture();
    const baseProc = base.scenarios.find((s) => s.name === 'process')!;
    const proc = next.scenarios.find((s) => s.name === 'process')!;
    baseProc.primaryMetric = { ...baseProc.primaryMetric, description: 'forks per second over the whole run' };
    proc.primaryMetric = { ...proc.primaryMetric, description: 'forks per second over the whole run' };
    c = compareResults(base, next);
    expect(row(c, 'cpu', 'container').status).not.toBe('incomparable');
    expect(row(c, 'process', 'runc').status).not.toBe('incomparable');
    proc.primaryMetric = { ...proc.primaryMetric, description: 'median of the run\'s timed slices' };
    c = compareResults(base, next);
    expect(row(c, 'process', 'runc').status).toBe('incomparable');
    expect(row(c, 'process', 'runc').note).toBe('the primary metric\'s definition changed ("forks per second over the whole run" → "median of the run\'s timed slices")');
    // A base run that recorded no description is not a redefinition.
    delete baseProc.primaryMetric.description;
    expect(row(compareResults(base, next), 'process', 'runc').status).not.toBe('incomparable');
  });

  it('parses thresholds', () => {
    expect(parseThreshold('10%')).toBeCloseTo(0.1);
    expect(parseThreshold('0.15')).toBeCloseTo(0.15);
    expect(parseThreshold('25')).toBeCloseTo(0.25);
    expect(() => parseThreshold('ten')).toThrow(/--threshold/);
    expect(() => parseThreshold('0')).toThrow(/above 0%/);
  });
});

describe('bench compare on two real runs of the same (frozen) build, back to back on the 2-core dev host', () => {
  const a = (): RunResults => fixture('real-same-a.json');
  const b = (): RunResults => fixture('real-same-b.json');

  it('flags nothing at the default threshold (10% would: load shifts the containers\' share of the CPU)', () => {
    expect(compareResults(a(), b(), { threshold: 0.1 }).regressions).toBeGreaterThan(0);
    const c = compareResults(a(), b());
    expect(c.rows.filter((r) => r.ratio !== undefined).length).toBeGreaterThanOrEqual(20);
    expect(c.rows.filter((r) => r.status === 'regression' || r.status === 'failed')).toEqual([]);
  });

  it('flags a 2x slowdown planted into the copy of the second run', () => {
    const same = compareResults(a(), b());
    // The row whose same-build CI is narrowest: where a 2x change must stand out from run-to-run noise.
    const target = same.rows.filter((r) => r.slowLo !== undefined).sort((x, y) => (x.slowHi! / x.slowLo!) - (y.slowHi! / y.slowLo!))[0]!;
    const factor = target.higherIsBetter ? 0.5 : 2;
    const c = compareResults(a(), plant(b(), target.scenario, target.env, target.metric, factor));
    expect(row(c, target.scenario, target.env).status).toBe('regression');
    expect(c.regressions).toBe(1);
    expect(compareMarkdown(c)).toContain('**1 regression(s)** beyond 40%');
  });
});
