/** `bench merge` on fixtures: the model, the three formats, and the refusals (exit 2, one line). */
import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { mergeResults, LOG_MARKER } from '../../src/report/index.js';
import { mergedReportSchema } from '../../src/results/merge.js';
import { FIXTURES, fixture, withTempDir } from './helpers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bench = (args: string[]) => execa('node', ['--import', 'tsx', path.join(ROOT, 'src', 'cli', 'main.ts'), ...args], { cwd: ROOT, reject: false, env: { CI: 'true' } });

describe('mergeResults', () => {
  const tcg = fixture('real-vm-tcg.json');
  const kvm = fixture('kvm-host.json');
  const m = mergeResults([{ file: 'tcg.json', results: tcg }, { file: 'kvm.json', results: kvm }, { file: 'tcg-again.json', results: fixture('real-vm-tcg.json') }]);

  it('names one column per host and keeps a duplicate host as a repeat run', () => {
    expect(mergedReportSchema.parse(m)).toBeTruthy();
    expect(m.hosts.map((h) => h.id)).toEqual(['vm', 'kvm-host', 'vm #2']);
    expect(m.hosts[2]!.repeatOf).toBe('vm');
    expect(m.flags.join('\n')).toMatch(/vm #2 is a repeat run of vm/);
  });

  it('shows the accelerator, cores, kernel and cgroup mode in the manifest diff', () => {
    const row = (f: string) => m.manifestDiff.find((r) => r.field === f)!;
    expect(row('accelerator').values).toEqual(['TCG (/dev/kvm is PVM)', 'KVM', 'TCG (/dev/kvm is PVM)']);
    expect(row('accelerator').differs).toBe(true);
    for (const f of ['cores', 'kernel', 'cgroup mode']) expect(row(f).differs, f).toBe(true);
    expect(row('image digest').differs).toBe(false);
  });

  it('lists the VM start verdict that differs, with each host\'s evidence', () => {
    const line = m.differingVerdicts.find((l) => l.includes('[speed.vm.start]'));
    expect(line).toMatch(/not-judged on vm \(TCG.*TCG emulation/);
    expect(line).toMatch(/confirmed on kvm-host \(KVM; scenario:startup: vm startup median \d+ ms/);
  });

  it('puts only each host\'s own ratios side by side, never a figure divided across hosts', () => {
    const inputs = [tcg, kvm, tcg];
    for (const s of m.scenarios) {
      for (const row of s.rows) {
        row.cells.forEach((c, i) => {
          const e = inputs[i]!.scenarios.find((x) => x.name === s.scenario)!.envs.find((x) => x.env === row.env)!;
          if (c.status === 'baseline') expect(e.kind).toBe('host');
          if (c.ratio !== undefined && c.status === 'ok') {
            expect(e.status).toBe('ok');
            if (e.status === 'ok') expect(c.ratio).toBe(e.ratioToHost![s.metric]!.ratio);
          }
        });
      }
    }
  });

  it('flags different image digests', () => {
    const other = fixture('kvm-host.json');
    other.image!.digest = `sha256:${'0'.repeat(64)}`;
    const d = mergeResults([{ file: 'a', results: tcg }, { file: 'b', results: other }]);
    expect(d.flags.join('\n')).toMatch(/different image digests: vm sha256:f46c.*kvm-host sha256:0000/);
  });
});

describe('bench merge (CLI)', () => {
  it('writes JSON, Markdown and HTML; reads pod logs back with --from-logs', async () => {
    await withTempDir(async (dir) => {
      const kvm = path.join(FIXTURES, 'kvm-host.json');
      const log = path.join(dir, 'pod-0.log');
      const fresh = fixture('kvm-host.json');
      fresh.manifest.label = 'node-b';
      await writeFile(log, `some setup output\n${LOG_MARKER} ${Buffer.from(JSON.stringify(fresh)).toString('base64')}\n`);
      const viaLogs = await bench(['merge', '--from-logs', log, '--out', path.join(dir, 'logs')]);
      expect(viaLogs.exitCode, viaLogs.stderr).toBe(0);
      expect(JSON.parse(await readFile(path.join(dir, 'logs', 'merged.json'), 'utf8')).hosts[0].id).toBe('node-b');

      const r = await bench(['merge', kvm, kvm, '--out', path.join(dir, 'm')]);
      expect(r.exitCode, r.stderr).toBe(0);
      for (const f of ['merged.json', 'merged.md', 'merged.html']) expect(existsSync(path.join(dir, 'm', f)), f).toBe(true);
      const html = readFileSync(path.join(dir, 'm', 'merged.html'), 'utf8');
      expect(html).toContain('<th>kvm-host #2</th>');
      expect(readFileSync(path.join(dir, 'm', 'merged.md'), 'utf8')).toMatch(/\| \*\*hostname\*\*|\| hostname \|/);
    });
  });

  it('exits 2 with one line on an empty list, a non-results file and mixed schema versions', async () => {
    await withTempDir(async (dir) => {
      const empty = await bench(['merge', '--out', dir]);
      expect(empty.exitCode).toBe(2);
      expect(empty.stderr.trim().split('\n')).toHaveLength(1);
      expect(empty.stderr).toMatch(/needs at least one results file/);

      const pkg = await bench(['merge', path.join(ROOT, 'package.json'), '--out', dir]);
      expect(pkg.exitCode).toBe(2);
      expect(pkg.stderr.trim().split('\n')).toHaveLength(1);
      expect(pkg.stderr).toMatch(/package\.json is not an isobench results file/);

      const mixed = await bench(['merge', path.join(FIXTURES, 'real-vm-tcg.json'), path.join(FIXTURES, 'kvm-host.json'), '--out', dir]);
      expect(mixed.exitCode).toBe(2);
      expect(mixed.stderr.trim().split('\n')).toHaveLength(1);
      expect(mixed.stderr).toMatch(/different schema versions: .*real-vm-tcg\.json v1, .*kvm-host\.json v2/);
      expect(existsSync(path.join(dir, 'merged.json'))).toBe(false);
    });
  });

  it('bench run refuses a --label that cannot name a column, before anything runs', async () => {
    await withTempDir(async (dir) => {
      const home = path.join(dir, 'home');
      const r = await bench(['--home', home, 'run', 'startup', '--scenarios-dir', path.join(ROOT, 'test', 'fixtures', 'scenarios-tiny'), '--env', 'host', '--label', 'bad label']);
      expect(r.exitCode).toBe(2);
      expect(r.stderr.trim()).toBe('Error: --label must be 1-64 letters, digits or . _ - @ :, got "bad label"');
      expect(existsSync(home)).toBe(false);
    });
  });
});
