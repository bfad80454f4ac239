/** `bench report` and `bench compare` through the real CLI entry point (run from source with tsx). */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { FIXTURES, fixture, withTempDir } from './helpers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bench = (args: string[]) => execa('node', ['--import', 'tsx', path.join(ROOT, 'src', 'cli', 'main.ts'), ...args], { cwd: ROOT, reject: false, env: { CI: 'true' } });

describe('bench report', () => {
  it('re-renders a saved run into --out', async () => {
    await withTempDir(async (dir) => {
      const r = await bench(['report', path.join(FIXTURES, 'sample-run.json'), '--out', dir, '--format', 'markdown,html']);
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBe(0);
      for (const f of ['report.md', 'report.html', 'charts/startup.png', 'charts/speed.png']) expect(existsSync(path.join(dir, f)), f).toBe(true);
      expect(r.stdout).toContain(path.join(dir, 'report.html'));
    });
  });

  it('rejects a results file of another schema version with a clear error', async () => {
    await withTempDir(async (dir) => {
      const f = path.join(dir, 'old.json');
      await writeFile(f, JSON.stringify({ ...fixture(), schemaVersion: 0 }));
      const r = await bench(['report', f, '--out', dir]);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(/^Error: .*schemaVersion 0.*reads 1/m);
      expect(existsSync(path.join(dir, 'report.html'))).toBe(false);
    });
  });
});

describe('bench compare', () => {
  it('exits 1 with --fail-on-regression on a planted 2x slowdown, 0 on the same build; writes --out', async () => {
    await withTempDir(async (dir) => {
      const slow = fixture('sample-run-b.json');
      const cpu = slow.scenarios.find((s) => s.name === 'cpu')!.envs.find((e) => e.env === 'container')!;
      if (cpu.status !== 'ok') throw new Error('fixture');
      for (const s of cpu.samples) s.metrics.events_per_sec = (s.metrics.events_per_sec ?? 0) / 2;
      const slowFile = path.join(dir, 'slow.json');
      await writeFile(slowFile, JSON.stringify(slow));
      const out = path.join(dir, 'summary.md');
      const bad = await bench(['compare', path.join(FIXTURES, 'sample-run.json'), slowFile, '--fail-on-regression', '--out', out]);
      expect(bad.exitCode).toBe(1);
      expect(bad.stdout).toMatch(/\| cpu \| container \|.*🔴 \*\*regression\*\*/);
      expect((await readFile(out, 'utf8')).trimEnd()).toBe(bad.stdout.trimEnd());
      const ok = await bench(['compare', path.join(FIXTURES, 'real-same-a.json'), path.join(FIXTURES, 'real-same-b.json'), '--fail-on-regression']);
      expect(ok.exitCode).toBe(0);
      expect(ok.stdout).toContain('**No regression** beyond 40%');
      const badOpt = await bench(['compare', slowFile, slowFile, '--threshold', 'lots']);
      expect(badOpt.exitCode).toBe(2);
      expect(badOpt.stderr).toMatch(/--threshold must be a percentage/);
    });
  });
});
