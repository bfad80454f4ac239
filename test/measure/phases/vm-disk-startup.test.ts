import { describe, it, expect } from 'vitest';
import { vmDiskStartup, vmDiskStartupPhase } from '../../../src/measure/phases/vm-disk-startup.js';
import { vmDiskStartupText } from '../../../src/report/model/index.js';
import { renderHtml, renderMarkdown } from '../../../src/report/index.js';
import { printRunSummary } from '../../../src/cli/commands/run-summary.js';
import { parseResultsText } from '../../../src/results/reader.js';
import type { EnvResultOk, RunResults, ScenarioResult } from '../../../src/results/types.js';
import { fixture } from '../../report/helpers.js';

const PRESENTATION = {
  initramfs: { name: 'initramfs', description: 'initramfs' },
  disk: { name: 'disk', description: 'virtio-blk disk' },
};

/** The fixture run with its vm rounds set to known startups and presentations: startup boots the initramfs, fileio the disk. */
function synthetic(opts: { startup?: number[]; disk?: Record<string, number[]>; other?: number[] } = {}): RunResults {
  const r = fixture();
  const vm = (s: ScenarioResult): EnvResultOk => s.envs.find((e) => e.kind === 'vm') as EnvResultOk;
  const set = (s: ScenarioResult, xs: number[], p: keyof typeof PRESENTATION): void => {
    const e = vm(s);
    e.samples = xs.map((startupMs, i) => ({ round: i + 1, startupMs, exitMs: startupMs + 10, execMs: 10, exitCode: 0, metrics: {} }));
    e.warmup = [{ round: 0, startupMs: 99_999, exitMs: 99_999, execMs: 0, exitCode: 0, metrics: {} }];
    e.presentation = PRESENTATION[p];
  };
  const byName = (n: string): ScenarioResult => r.scenarios.find((s) => s.name === n)!;
  byName('startup').workload.type = 'startup';
  set(byName('startup'), opts.startup ?? [700, 720, 710, 690, 705], 'initramfs');
  // cpu boots the initramfs too, but it is not the startup scenario: not pooled.
  set(byName('cpu'), opts.other ?? [5000, 5000, 5000], 'initramfs');
  const disk = opts.disk ?? { fileio: [2100, 2150, 2050, 2200, 2120] };
  for (const [name, xs] of Object.entries(disk)) set(byName(name), xs, 'disk');
  if (!('fileio' in disk)) delete vm(byName('fileio')).presentation;
  return r;
}

describe('vm disk startup fact (pure, from the run\'s own rounds)', () => {
  it('pools every measured disk round against the startup scenario\'s initramfs rounds, with the ratio and its interval', () => {
    const f = vmDiskStartup(synthetic({ disk: { fileio: [2100, 2150, 2050, 2200, 2120], memory: [2000, 2300, 2110] } }));
    expect(f.status).toBe('ok');
    expect(f.initramfs).toMatchObject({ medianMs: 705, n: 5, scenarios: ['startup'] });
    expect(f.disk).toMatchObject({ medianMs: 2115, n: 8, scenarios: ['memory', 'fileio'] });
    expect(f.ratio!.ratio).toBeCloseTo(2115 / 705, 6);
    expect(f.ratio!.lo).toBeLessThanOrEqual(f.ratio!.ratio);
    expect(f.ratio!.hi).toBeGreaterThanOrEqual(f.ratio!.ratio);
    expect(f.ratio!.lo).toBeGreaterThan(2.5);
    expect(f.extraMs).toBeCloseTo(1410, 6);
    expect(f.accelerator).toBe('tcg');
  });

  it('counts a cell whose runs shared one VM (a session) as that one boot, not its in-guest process starts', () => {
    const r = synthetic({ disk: { fileio: [2100, 2150, 2050, 2200, 2120], memory: [30, 31, 29] } });
    const mem = r.scenarios.find((s) => s.name === 'memory')!.envs.find((e) => e.kind === 'vm') as EnvResultOk;
    mem.session = { description: 'one VM boot for all runs of this scenario', startMs: 2400 };
    const f = vmDiskStartup(r);
    expect(f.disk).toMatchObject({ n: 6, sessionBoots: 1, scenarios: ['memory', 'fileio'] });
    expect(f.disk!.medianMs).toBe(2135);
    // A session without its boot time adds nothing.
    delete mem.session.startMs;
    expect(vmDiskStartup(r).disk).toMatchObject({ n: 5, scenarios: ['fileio'] });
    expect(vmDiskStartup(r).disk!.sessionBoots).toBeUndefined();
  });

  it('says why when either side is missing, and ignores a user image\'s boots', () => {
    const noDisk = vmDiskStartup(synthetic({ disk: {} }));
    expect(noDisk).toMatchObject({ status: 'skipped', initramfs: { n: 5 } });
    expect(noDisk.reason).toMatch(/no scenario booted the vm from its disk/);

    const r = synthetic();
    r.scenarios.find((s) => s.name === 'startup')!.userImage = { ref: 'me/app', source: 'store', name: 'me/app:1', digest: `sha256:${'c'.repeat(64)}`, architecture: 'amd64', runDigest: `sha256:${'d'.repeat(64)}` } as never;
    const noInitramfs = vmDiskStartup(r);
    expect(noInitramfs).toMatchObject({ status: 'skipped', disk: { n: 5 } });
    expect(noInitramfs.reason).toMatch(/startup scenario did not boot the vm from its initramfs/);

    const none = fixture();
    none.scenarios = [];
    expect(vmDiskStartup(none)).toMatchObject({ status: 'skipped' });
  });

  it('is written as a declared fact, shown in the markdown and HTML startup sections and in the run summary', async () => {
    const r = synthetic();
    const lines: string[] = [];
    await vmDiskStartupPhase.run({ results: r, progress: (l: string) => lines.push(l) } as never);
    expect(lines.join('\n')).toMatch(/vm disk startup: 2120 ms from the disk \(5 boots\) vs 705 ms from the initramfs \(5 boots\), ×3\.01/);
    // Survives the schema: the reader accepts it and keeps it.
    const back = parseResultsText(JSON.stringify(r), 'synthetic');
    expect(back.facts?.vmDiskStartup?.disk?.medianMs).toBe(2120);

    const text = vmDiskStartupText(back)!;
    expect(text).toMatch(/^VM disk presentation: booting from the virtio-blk disk .* took 2,120 ms .*median of 5 boots in fileio.* 705 ms from the initramfs \(5 boots in startup\): 3\.01× \[[\d.]+, [\d.]+\], \+1,415 ms, emulated \(TCG\)/);
    expect(renderMarkdown(back)).toContain(text);
    const html = renderHtml(back);
    expect(html).toContain('id="vm-disk-startup"');
    expect(html).toContain('+1,415 ms');
    // The generic facts table lists it too.
    expect(renderMarkdown(back)).toContain('vmDiskStartup.ratio');

    let printed = '';
    printRunSummary({ results: back, outDir: '/x', resultsFile: '/x/results.json', reports: [], failures: [], baselineFailures: [] }, { write: (s: string) => { printed += s; return true; } } as never);
    expect(printed).toMatch(/^vm disk presentation: booting from the virtio-blk disk .* \+1,415 ms, emulated \(TCG\)\.$/m);
  });

  it('adds no sentence when the fact was skipped', () => {
    const r = synthetic({ disk: {} });
    r.facts = { ...(r.facts ?? {}), vmDiskStartup: vmDiskStartup(r) };
    expect(vmDiskStartupText(r)).toBeUndefined();
    expect(renderHtml(r)).not.toContain('id="vm-disk-startup"');
  });
});
