import { describe, expect, it } from 'vitest';
import { buildSeedTable, collectWarnings, speedCell, startupView } from '../../src/report/model/index.js';
import { fixture } from './helpers.js';

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
});

describe('facts', () => {
  it('summarizes long byte lists and gives durations units', async () => {
    const { factText } = await import('../../src/report/model/index.js');
    expect(factText('rwBytesPerContainer', Array.from({ length: 20 }, () => 12288))).toBe('20 values: median 12 KiB, min 12 KiB, max 12 KiB');
    expect(factText('imageBytes', 22196224)).toBe('21.2 MiB (22,196,224 B)');
    expect(factText('pushMs', 1264)).toBe('1,264 ms');
  });
});

describe('cells marked not comparable', () => {
  it('keep their figure in the cell but say "not comparable" with the reason, and draw no bar', async () => {
    const { speedMatrix } = await import('../../src/report/model/tables.js');
    const { speedChart } = await import('../../src/report/charts/configs.js');
    const r = fixture();
    const fileio = r.scenarios.find((s) => s.name === 'fileio')!;
    const vm = fileio.envs.find((e) => e.env === 'vm');
    if (vm?.status !== 'ok') throw new Error('fixture: vm fileio should be ok');
    vm.comparable = false;
    vm.comparableReason = 'the scratch dir is RAM here';
    const cell = speedCell(r, fileio, 'vm');
    expect(cell.notComparable).toBe('the scratch dir is RAM here');
    const table = speedMatrix(r)!;
    const row = table.rows.find((x) => String(x[0]?.text).startsWith('fileio'))!;
    const vmCol = table.headers.findIndex((h) => h.startsWith('vm'));
    expect(row[vmCol]?.text).toMatch(/^not comparable \(/);
    expect(row[vmCol]?.detail).toBe('the scratch dir is RAM here');
    const chart = speedChart(r)!;
    const ds = (chart.config as unknown as { data: { datasets: { label: string; data: (number | null)[]; tooltipText: string[] }[] } }).data.datasets.find((d) => d.label.startsWith('vm'))!;
    const fi = (chart.config as unknown as { data: { labels: string[][] } }).data.labels.findIndex((l) => l[0] === 'fileio');
    expect(ds.data[fi]).toBeNull();
    expect(ds.tooltipText[fi]).toMatch(/not comparable .*the scratch dir is RAM here/);
  });
});
