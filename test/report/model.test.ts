import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSeedTable, collectWarnings, envOrder, isolationMatrix, mediansTable, sectionSentences, speedCell, speedMatrix, startupView, summaryRows, summaryTable } from '../../src/report/model/index.js';
import { speedChart } from '../../src/report/charts/index.js';
import { renderHtml, renderMarkdown } from '../../src/report/index.js';
import type { RunResults } from '../../src/results/types.js';
import { FIXTURES, fixture } from './helpers.js';

describe('seed table', () => {
  it('fills every cell with the seed claim, and a verdict or a reason it could not be judged', () => {
    const grid = buildSeedTable(fixture());
    expect(grid.map((row) => row[0]?.row)).toEqual(['Isolation', 'Portability', 'Contents', 'Speed']);
    for (const cell of grid.flat()) {
      expect(cell.seed.length).toBeGreaterThan(5);
      expect(cell.claims.length > 0 || cell.notJudged !== undefined).toBe(true);
    }
    const vmSpeed = grid[3]?.[0];
    expect(vmSpeed?.claims.map((c) => c.id)).toEqual(['speed.vm.start', 'speed.vm.exec']);
    expect(vmSpeed?.notJudged).toMatch(/^could not judge here: .*TCG/);
    expect(grid[0]?.[2]?.claims[0]?.verdict).toBe('refuted');
  });

  it('says "could not judge here" in every cell when the run has no claims', () => {
    const r = fixture();
    delete r.claims;
    for (const cell of buildSeedTable(r).flat()) expect(cell.notJudged).toMatch(/^could not judge here: this run has no claim verdicts/);
  });
});

describe('speed relative to host', () => {
  it('keeps a higher-is-better ratio and inverts a lower-is-better one with its CI', () => {
    const r = fixture();
    const cpu = r.scenarios.find((s) => s.name === 'cpu')!;
    const fileio = r.scenarios.find((s) => s.name === 'fileio')!;
    const c = speedCell(r, cpu, 'vm');
    const vmCpu = cpu.envs.find((e) => e.env === 'vm');
    if (vmCpu?.status !== 'ok') throw new Error('fixture: vm cpu should be ok');
    expect(c.speed).toBeCloseTo(vmCpu.ratioToHost!.events_per_sec!.ratio, 12);
    expect(c.label).toBe('vm (TCG, emulated)');
    const f = speedCell(r, fileio, 'vm');
    const vmFile = fileio.envs.find((e) => e.env === 'vm');
    if (vmFile?.status !== 'ok') throw new Error('fixture: vm fileio should be ok');
    const raw = vmFile.ratioToHost!.fsync_ms!;
    expect(raw.ratio).toBeGreaterThan(10); // 22x the time ...
    expect(f.speed).toBeCloseTo(1 / raw.ratio, 12); // ... is 1/22 of the speed
    expect(f.lo).toBeCloseTo(1 / raw.hi, 12);
    expect(f.hi).toBeCloseTo(1 / raw.lo, 12);
  });

  it('explains missing figures', () => {
    const r = fixture();
    const mem = r.scenarios.find((s) => s.name === 'memory')!;
    expect(speedCell(r, mem, 'runc').missing).toMatch(/^failed: runc run exited/);
    expect(speedCell(r, mem, 'bwrap').missing).toMatch(/^skipped: /);
  });
});

describe('startup view', () => {
  it('uses a log axis when the VM is orders of magnitude slower, and a linear one otherwise', () => {
    const r = fixture();
    const v = startupView(r)!;
    expect(v.scenario.name).toBe('startup');
    expect(v.logScale).toBe(true);
    expect(v.series.find((s) => s.env === 'host')?.values).toHaveLength(10);
    const noVm = fixture();
    for (const s of noVm.scenarios) s.envs = s.envs.filter((e) => e.env === 'host' || e.env === 'chroot');
    expect(startupView(noVm)!.logScale).toBe(false);
  });
});

describe('warnings', () => {
  it('lists TCG emulation, skipped and failed environments, and kept outliers', () => {
    const w = collectWarnings(fixture());
    expect(w.some((x) => x.kind === 'emulation' && x.env === 'vm')).toBe(true);
    expect(w.some((x) => x.kind === 'skipped' && x.env === 'bwrap')).toBe(true);
    expect(w.find((x) => x.kind === 'failed')?.text).toMatch(/memory \/ runc: FAILED after 3 round\(s\).*hint: /);
    expect(w.some((x) => x.kind === 'outliers' && x.scenario === 'cpu')).toBe(true);
  });

  it('says once per scenario which cells have fewer than 5 samples, and what that does to their intervals', () => {
    const r = JSON.parse(readFileSync(path.join(FIXTURES, 'real-vm-tcg.json'), 'utf8')) as RunResults;
    const small = collectWarnings(r).filter((x) => x.kind === 'small-n');
    // One line per scenario, not one per environment.
    expect(small.map((x) => x.scenario)).toEqual([...new Set(small.map((x) => x.scenario))]);
    const cpu = small.find((x) => x.scenario === 'cpu')!;
    expect(cpu.text).toBe('cpu: only 3 samples in every environment; their bootstrap intervals are too narrow to trust.');
    // Sequential sampling: the primary metric's interval is referred to Student t, the other metrics' bootstrap ones are not.
    const s = r.scenarios.find((x) => x.name === 'cpu')!;
    s.sampling = { mode: 'sequential', minRounds: 3, maxRounds: 400, precision: 0.03, confidence: 0.95, lookConfidence: 0.975 };
    const host = s.envs.find((e) => e.env === 'host')!;
    if (host.status !== 'ok') throw new Error('fixture: host cpu should be ok');
    host.samples = [...host.samples, ...host.samples];
    const seq = collectWarnings(r).find((x) => x.kind === 'small-n' && x.scenario === 'cpu')!;
    expect(seq.text).toMatch(/^cpu: only 3 samples in (?!host)[a-z]+ \(3\), .*; its events_per_sec intervals allow for that \(Student t\) and are wide; the bootstrap intervals of its other metrics are too narrow to trust\.$/);
  });
});

describe('warnings: paired runs that could not pin', () => {
  it('names the cells whose environment side ran unpinned, once per scenario, and none when all pinned', () => {
    const r = fixture();
    const cpu = r.scenarios.find((s) => s.name === 'cpu')!;
    const e = cpu.envs.find((x) => x.env === 'container')!;
    if (e.status !== 'ok') throw new Error('fixture: container cpu ok');
    e.samples.forEach((x) => Object.assign(x.metrics, { paired_ratio: 1, pairs: 20, pinned: 1 }));
    expect(collectWarnings(r).some((x) => x.kind === 'unpinned')).toBe(false);
    e.samples[0]!.metrics.pinned = 0;
    const w = collectWarnings(r).filter((x) => x.kind === 'unpinned');
    expect(w).toHaveLength(1);
    expect(w[0]!.text).toMatch(new RegExp(`^cpu: paired runs that could not pin to the host companion's CPU — container[^;]* 1/${e.samples.length}\\.`));
  });
});

describe('facts', () => {
  it('summarizes long byte lists and gives durations units', async () => {
    const { factText } = await import('../../src/report/model/index.js');
    expect(factText('rwBytesPerContainer', Array.from({ length: 20 }, () => 12288))).toBe('20 values: median 12 KiB, min 12 KiB, max 12 KiB');
    expect(factText('imageBytes', 22196224)).toBe('21.2 MiB (22,196,224 B)');
    expect(factText('pushMs', 1264)).toBe('1,264 ms');
  });
});

describe('the answer first', () => {
  it('summary: one row per environment with startup median, speed range, isolation n of m and accelerator', () => {
    const r = JSON.parse(readFileSync(path.join(FIXTURES, 'real-vm-tcg.json'), 'utf8')) as RunResults;
    const rows = summaryRows(r);
    expect(rows.map((x) => x.env)).toEqual(envOrder(r));
    const host = rows.find((x) => x.env === 'host')!;
    // The host sees everything: isolated on no axis, although every check is as the seed expects there.
    expect(host).toMatchObject({ isolated: 0, accelerator: 'native' });
    expect(host.asExpected).toBe(host.judged);
    const vm = rows.find((x) => x.env === 'vm')!;
    expect(vm.accelerator).toBe('TCG emulated');
    expect(vm.isolated).toBe(vm.applicable);
    expect(vm.speedLo).toBeLessThan(0.5);
    const container = rows.find((x) => x.env === 'container')!;
    expect(container.startupMs).toBeGreaterThan(0);
    expect(container.isolated).toBeGreaterThan(host.isolated!);
    const t = summaryTable(r);
    expect(t.headers).toEqual(['env', 'startup', 'speed ÷ host', 'isolated', 'accel.']);
    expect(t.rows).toHaveLength(rows.length);
  });

  it('one sentence per seed section, naming the claim a reader most needs', () => {
    const r = fixture();
    const s = sectionSentences(r);
    const sections = new Set((r.claims as { section: string }[]).map((c) => c.section));
    expect(s).toHaveLength(sections.size);
    for (const x of s) expect(x.sentence).toMatch(/\.$/);
    expect(s.some((x) => /refuted/.test(x.sentence))).toBe(true);
  });

  it('isolation matrix: coloured by what was observed, with whether it matches the seed as a separate mark', () => {
    const r = JSON.parse(readFileSync(path.join(FIXTURES, 'real-vm-tcg.json'), 'utf8')) as RunResults;
    const t = isolationMatrix(r)!;
    const col = (env: string) => t.headers.findIndex((h) => h.startsWith(env));
    const row = (check: string) => t.rows.find((x) => x[0]?.text === check)!;
    // The host's processes are visible: exposed (red), exactly as expected.
    expect(row('processes')[col('host')]).toMatchObject({ text: '✗ exposed · = seed', tone: 'bad' });
    expect(row('processes')[col('container')]).toMatchObject({ text: '✓ isolated · = seed', tone: 'ok' });
    expect(row('kernel')[col('container')]).toMatchObject({ text: '✗ exposed · = seed', tone: 'bad' });
    expect(row('namespaces')[col('vm')]).toMatchObject({ text: '— n/a', tone: 'na' });
    expect(row('processes')[col('host')]!.detail).toMatch(/^observed: .*\nseed expects: /);
  });

  it('a VM fsync figure on a RAM /tmp is not comparable, with the reason, in the matrix and the chart', () => {
    const r = fixture();
    const fileio = r.scenarios.find((s) => s.name === 'fileio')!;
    expect(speedCell(r, fileio, 'vm').notComparable).toMatch(/tmpfs in guest RAM/);
    expect(speedCell(r, fileio, 'container').notComparable).toBeUndefined();
    const cpu = r.scenarios.find((s) => s.name === 'cpu')!;
    expect(speedCell(r, cpu, 'vm').notComparable).toBeUndefined();
    // A results cell that says so itself wins.
    const e = cpu.envs.find((x) => x.env === 'container') as unknown as Record<string, unknown>;
    e.comparable = false; e.comparableReason = 'planted';
    expect(speedCell(r, cpu, 'container').notComparable).toBe('planted');
    const speed = speedChart(fixture())!;
    const markers = (speed.config.data.datasets as { label: string; pointLabels?: string[] }[]).find((d) => d.pointLabels);
    expect(markers?.pointLabels).toContain('vm (TCG, emulated): not comparable');
    expect(markers?.pointLabels).toContain('runc: failed');
    const m = speedMatrix(fixture())!;
    expect(m.rows.find((x) => x[0]?.text.startsWith('fileio'))!.some((c) => c.text === 'not comparable' && /tmpfs/.test(c.detail ?? ''))).toBe(true);
  });
});

describe('speed matrix: a paired cell says so', () => {
  it('marks a cell whose ratio came from paired slots, and says what that means on tap', () => {
    const r = fixture();
    const cpu = r.scenarios.find((s) => s.name === 'cpu')!;
    const e = cpu.envs.find((x) => x.env === 'container')!;
    if (e.status !== 'ok' || !e.ratioToHost?.[cpu.primaryMetric.name]) throw new Error('fixture: container cpu ok with a ratio');
    e.ratioToHost[cpu.primaryMetric.name]!.method = 'paired-slots';
    expect(speedCell(r, cpu, 'container').paired).toBe(true);
    expect(speedCell(r, cpu, 'chroot').paired).toBeUndefined();
    const row = speedMatrix(r)!.rows.find((x) => x[0]?.text.startsWith('cpu'))!;
    const cell = row.find((c) => / paired/.test(c.text))!;
    expect(cell.detail).toMatch(/paired slot by slot with a host companion/);
    expect(row.filter((c) => / paired/.test(c.text))).toHaveLength(1);
  });
});

describe('command lines: how a cell was run', () => {
  it('names the work size and the shared instance, and nothing for a plain cell', async () => {
    const { commandLines, runHow } = await import('../../src/report/model/tables.js');
    expect(runHow({})).toBeUndefined();
    expect(runHow({ workSize: { factor: 0.2263, targetMs: 250 } })).toBe("work sized ×0.23 of the scenario's params for ~250 ms rounds");
    const r = fixture();
    const s = r.scenarios.find((x) => x.envs.some((e) => e.status === 'ok' && e.env === 'vm'))!;
    const vm = s.envs.find((e) => e.env === 'vm')!;
    if (vm.status !== 'ok') throw new Error('fixture: vm ok');
    vm.workSize = { factor: 0.5, targetMs: 300, params: {} };
    vm.session = { description: 'one VM boot for every run of this scenario', startMs: 1200, commandLine: ['qemu-system-x86_64', '-append', 'isobench.session=1 x'] };
    const line = commandLines(r).find((x) => x.scenario === s.name && x.env === 'vm');
    expect(line?.how).toBe("work sized ×0.50 of the scenario's params for ~300 ms rounds; one VM boot for every run of this scenario");
    // The cell's argv is what each run ran in the guest; the instance's own argv goes with the session, in both reports.
    expect(line?.instance).toBe("qemu-system-x86_64 -append 'isobench.session=1 x'");
    expect(renderMarkdown(r)).toContain("one VM boot for every run of this scenario, started by `qemu-system-x86_64 -append 'isobench.session=1 x'`)");
    expect(renderHtml(r)).toMatch(/one VM boot for every run of this scenario, started by <span class="code[^"]*">qemu-system-x86_64 -append/);
    expect(commandLines(r).find((x) => x.scenario === s.name && x.env === 'host')?.how).toBeUndefined();
  });
});

describe('medians table', () => {
  it('shows a sliced primary (median of timed slices) with its whole-run companion right after it', () => {
    const r = fixture();
    const plain = mediansTable(r);
    const cpu = r.scenarios.find((s) => s.name === 'cpu')!;
    const whole = { ...cpu.primaryMetric, name: `${cpu.primaryMetric.name}_whole`, description: 'whole run' };
    cpu.metrics = [...cpu.metrics, whole];
    for (const e of cpu.envs) if (e.status === 'ok') e.stats[whole.name] = { ...e.stats[cpu.primaryMetric.name]!, median: 1234.5, n: 7 };
    const t = mediansTable(r);
    expect(t.rows).toHaveLength(plain.rows.length + 1);
    const i = t.rows.findIndex((row) => row[0]?.text === 'cpu');
    expect(t.rows[i]?.[1]?.text).toBe(`${cpu.primaryMetric.name} (${cpu.primaryMetric.unit}): median of timed slices per run`);
    expect(t.rows[i + 1]?.[0]?.text).toBe('cpu');
    expect(t.rows[i + 1]?.[1]?.text).toBe(`${whole.name} (${whole.unit}): whole run`);
    expect(t.rows[i + 1]?.slice(2).some((cell) => /\(n=7\)/.test(cell.text))).toBe(true);
    // Scenarios without a companion keep their one row as before.
    expect(t.rows.filter((row) => row[0]?.text !== 'cpu').map((row) => row[1]?.text)).toEqual(plain.rows.filter((row) => row[0]?.text !== 'cpu').map((row) => row[1]?.text));
  });
});
