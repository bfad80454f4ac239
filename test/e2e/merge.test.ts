import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../src/core/version.js';
import { mergedReportSchema } from '../../src/results/merge.js';
import { parseResultsText } from '../../src/results/reader.js';
import type { MergedReport, RunResults } from '../../src/results/types.js';

/**
 * A fan-out on this one machine: two real small runs with different labels
 * and options (the second adds the VM with Debian's kernel), merged with the
 * synthetic "KVM host" fixture. The real CLI from dist/, as root.
 */
const isRoot = process.getuid?.() === 0;
const CLI = path.join(REPO_ROOT, 'dist', 'cli', 'main.js');
const TINY = path.join(REPO_ROOT, 'test', 'fixtures', 'scenarios-tiny');
const KVM = path.join(REPO_ROOT, 'test', 'fixtures', 'results', 'kvm-host.json');

function bench(args: string[], home?: string) {
  return spawnSync(process.execPath, [CLI, ...(home ? ['--home', home] : []), ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 300_000 });
}

describe.skipIf(!isRoot)('bench merge of two real runs and a KVM host', () => {
  let tmp: string;
  let home: string;
  let merged: MergedReport;
  let md: string;
  const runs: RunResults[] = [];
  const base = ['startup', '--scenarios-dir', TINY, '--rounds', '2', '--warmup', '0', '--phases', 'claims'];

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\``);
    tmp = await mkdtemp(path.join(os.tmpdir(), 'isobench-merge-'));
    home = path.join(tmp, 'home');
    const a = bench(['run', ...base, '--env', 'host,chroot', '--label', 'tiny-a', '--out', path.join(tmp, 'a')], home);
    expect(a.status, a.stderr).toBe(0);
    const b = bench(['run', ...base, '--env', 'host,chroot,vm', '--vm-kernel', 'debian', '--label', 'tiny-b', '--out', path.join(tmp, 'b')], home);
    expect(b.status, b.stderr).toBe(0);
    for (const d of ['a', 'b']) runs.push(parseResultsText(readFileSync(path.join(tmp, d, 'results.json'), 'utf8'), d));
    const m = bench(['merge', path.join(tmp, 'a'), path.join(tmp, 'b', 'results.json'), KVM, '--out', path.join(tmp, 'merged')]);
    expect(m.status, m.stderr).toBe(0);
    merged = mergedReportSchema.parse(JSON.parse(readFileSync(path.join(tmp, 'merged', 'merged.json'), 'utf8')));
    md = readFileSync(path.join(tmp, 'merged', 'merged.md'), 'utf8');
  }, 600_000);

  afterAll(async () => {
    if (!tmp) return;
    // Never rm a home that may still hold mounts: gc first, then check.
    bench(['gc'], home);
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.split(' ')[4]?.startsWith(tmp));
    if (mounts.length === 0) await rm(tmp, { recursive: true, force: true });
  });

  it('writes all three formats with the labels as columns', () => {
    expect(runs.map((r) => r.manifest.label)).toEqual(['tiny-a', 'tiny-b']);
    expect(merged.hosts.map((h) => h.id)).toEqual(['tiny-a', 'tiny-b', 'kvm-host']);
    expect(existsSync(path.join(tmp, 'merged', 'merged.html'))).toBe(true);
    expect(readFileSync(path.join(tmp, 'merged', 'merged.html'), 'utf8')).toContain('<th>tiny-b</th>');
  });

  it('lists the VM start verdict that differs between this host (TCG) and the KVM host', () => {
    const line = merged.differingVerdicts.find((l) => l.includes('[speed.vm.start]'));
    expect(line).toMatch(/not-judged on tiny-b \(TCG/);
    expect(line).toMatch(/confirmed on kvm-host \(KVM; scenario:startup: vm startup median \d+ ms/);
    expect(md).toContain(line!);
  });

  it('shows the accelerator in the manifest diff', () => {
    const acc = merged.manifestDiff.find((r) => r.field === 'accelerator')!;
    expect(acc.values[0]).toMatch(/^no VM run/);
    expect(acc.values[1]).toMatch(/^TCG/);
    expect(acc.values[2]).toBe('KVM');
    expect(md).toMatch(/\| \*\*accelerator\*\* \| no VM run.* \| TCG.* \| KVM \|/);
  });

  it('never puts a raw figure or a cross-host ratio in the ratio tables: each cell is its own host\'s ratio', () => {
    const inputs = [...runs, parseResultsText(readFileSync(KVM, 'utf8'), KVM)];
    let checked = 0;
    for (const s of merged.scenarios) {
      for (const row of s.rows) {
        row.cells.forEach((c, i) => {
          if (c.status !== 'ok' || c.ratio === undefined) return;
          const e = inputs[i]!.scenarios.find((x) => x.name === s.scenario)?.envs.find((x) => x.env === row.env);
          expect(e?.status === 'ok' && e.ratioToHost?.[s.metric]?.ratio).toBe(c.ratio);
          checked++;
        });
      }
    }
    expect(checked).toBeGreaterThanOrEqual(4);
    const ratioTables = md.slice(md.indexOf('## Ratio to own host'), md.indexOf('## Verdicts per host'));
    expect(ratioTables).not.toMatch(/\d\s*ms\b/);
    const vmStartup = merged.scenarios.find((s) => s.scenario === 'startup' && s.metric === 'startupMs')!.rows.find((r) => r.env === 'vm')!;
    expect(vmStartup.cells.map((c) => c.status)).toEqual(['absent', 'ok', 'ok']);
  });
});
