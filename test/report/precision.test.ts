import { describe, expect, it } from 'vitest';
import { renderHtml, renderMarkdown } from '../../src/report/index.js';
import { needText, precisionSentences, precisionView, speedMatrix } from '../../src/report/model/index.js';
import type { RunResults, StopReason } from '../../src/results/types.js';
import { fixture } from './helpers.js';

type Cell = { halfWidth: number; rounds: number; spentMs: number; stop: StopReason };

/** The sample run with its cpu scenario sampled sequentially to ±3% under a 4-minute budget. */
function sequentialCpu(cells: Record<string, Cell>): RunResults {
  const r = fixture();
  r.options.budgetMs = 240_000;
  const cpu = r.scenarios.find((s) => s.name === 'cpu');
  if (!cpu) throw new Error('fixture has no cpu scenario');
  cpu.sampling = { mode: 'sequential', minRounds: 3, maxRounds: 1000, precision: 0.03, budgetMs: 20_000 };
  for (const e of cpu.envs) {
    const c = cells[e.env];
    if (e.status === 'ok' && c) e.sampling = { rounds: c.rounds, stop: c.stop, halfWidth: c.halfWidth, looks: 2, spentMs: c.spentMs };
  }
  return r;
}

const CELLS: Record<string, Cell> = {
  host: { halfWidth: 0.01, rounds: 20, spentMs: 2000, stop: 'budget' },
  chroot: { halfWidth: 0.02, rounds: 8, spentMs: 900, stop: 'decided' },
  container: { halfWidth: 0.06, rounds: 10, spentMs: 1000, stop: 'budget' },
  runc: { halfWidth: 0.025, rounds: 6, spentMs: 800, stop: 'budget' },
  vm: { halfWidth: 0.2, rounds: 3, spentMs: 3000, stop: 'budget' },
};

describe('precision: what reaching the target would take', () => {
  it('counts the ratios within target and estimates the rest from their spread', () => {
    const v = precisionView(sequentialCpu(CELLS));
    expect(v).toBeDefined();
    const cpu = v?.scenarios.find((s) => s.scenario === 'cpu');
    expect(cpu?.cells.map((c) => c.env)).toEqual(['chroot', 'container', 'runc', 'vm']); // never the host: it is the baseline
    expect(cpu?.met).toBe(2);
    const container = cpu?.short.find((c) => c.env === 'container');
    expect(container?.runsNeeded).toBe(40); // (0.06 / 0.03)^2 = 4 times the 10 runs
    expect(container?.msNeeded).toBeCloseTo(4000, 6);
    // Three runs say too little: no estimate, counted apart.
    const vm = cpu?.short.find((c) => c.env === 'vm');
    expect(vm?.runsNeeded).toBeUndefined();
    expect(cpu?.unestimated).toBe(1);
    // container: 3 s more; the host baseline grows as much as its neediest ratio: 2 s x (4 - 1) = 6 s more.
    expect(cpu?.extraMs).toBeCloseTo(9000, 6);
    // runc met the target but stopped at the budget: undecided, not short.
    expect(v?.straddling.map((c) => c.env)).toEqual(['runc']);
  });

  it('a paired cell needs more of its own runs only: its baseline is its runs\' host companions, not the host\'s runs', () => {
    const r = sequentialCpu(CELLS);
    const cpu = r.scenarios.find((s) => s.name === 'cpu')!;
    const container = cpu.envs.find((e) => e.env === 'container');
    if (container?.status !== 'ok') throw new Error('fixture has no container cell');
    container.ratioToHost = { [cpu.primaryMetric.name]: { ratio: 1, lo: 0.94, hi: 1.06, confidence: 0.99, method: 'paired-slots', resamples: 0 } };
    const c = precisionView(r)?.scenarios.find((s) => s.scenario === 'cpu');
    expect(c?.short.find((x) => x.env === 'container')?.paired).toBe(true);
    // container's own 3 s, and no growth of the host's 2 s.
    expect(c?.extraMs).toBeCloseTo(3000, 6);
  });

  it('says it in one paragraph with a --budget to rerun with', () => {
    const text = precisionSentences(sequentialCpu(CELLS)) ?? '';
    expect(text).toMatch(/^Precision: 2 of 4 ratios reached their target \(±3%\)\./);
    expect(text).toContain('cpu 2 of 4 within ±3%, about 9 s more for the 1 short with 5+ runs');
    expect(text).toContain('`--budget 5m`'); // 240 s + 9 s, rounded up to whole minutes
    expect(text).toMatch(/1 reached the target by the end but stopped undecided/);
  });

  it('puts each short cell\'s need in its detail and the paragraph in both reports', () => {
    const r = sequentialCpu(CELLS);
    const container = precisionView(r)?.short.find((c) => c.env === 'container');
    expect(container && needText(container)).toBe('±6% after 10 runs; ±3% would take about 40 runs (~4 s of this environment)');
    const details = speedMatrix(r)?.rows.flat().map((c) => c.detail ?? '') ?? [];
    expect(details.some((d) => d.includes('would take about 40 runs'))).toBe(true);
    expect(details.some((d) => d.includes('too few to estimate what ±3% would take'))).toBe(true);
    expect(renderMarkdown(r)).toContain('Precision: 2 of 4 ratios reached their target');
    expect(renderHtml(r)).toMatch(/<p class="lead" id="precision">Precision: 2 of 4 ratios[^<]*<code>--budget 5m<\/code>/);
  });

  it('names a cell that needs more than all the others together, and what the rest would take without it', () => {
    // gVisor's syscall under ptrace beside native cells: hours against seconds.
    const r = sequentialCpu({ ...CELLS, runc: { halfWidth: 0.6, rounds: 5, spentMs: 1000, stop: 'budget' } });
    const cpu = precisionView(r)?.scenarios.find((s) => s.scenario === 'cpu');
    expect(cpu?.dominant?.cell.env).toBe('runc');
    // Without runc: container's 3 s and the host's 6 s, as in the first test.
    expect(cpu?.dominant?.extraMsWithout).toBeCloseTo(9000, 6);
    const text = precisionSentences(r) ?? '';
    expect(text).toContain('(9 s without runc, ±60% after 5 runs)');
    expect(text).toMatch(/about 9 s without the cells named in brackets \(`--budget 5m`\)\.$/m);
    // No cell dominates in the first case: nothing named.
    expect(precisionView(sequentialCpu(CELLS))?.scenarios[0]?.dominant).toBeUndefined();
    expect(precisionSentences(sequentialCpu(CELLS))).not.toContain('without');
  });

  it('a half-width that overflowed gets no estimate instead of breaking the report', () => {
    const r = sequentialCpu({ ...CELLS, container: { halfWidth: Infinity, rounds: 10, spentMs: 1000, stop: 'budget' } });
    const c = precisionView(r)?.short.find((x) => x.env === 'container');
    expect(c?.runsNeeded).toBeUndefined();
    expect(precisionSentences(r)).toMatch(/^Precision: 2 of 4/);
  });

  it('has nothing to say about a run with fixed rounds', () => {
    const r = fixture();
    expect(precisionView(r)).toBeUndefined();
    expect(precisionSentences(r)).toBeUndefined();
    expect(renderMarkdown(r)).not.toContain('Precision:');
  });
});
