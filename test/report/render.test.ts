import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { createCanvas, loadImage } from 'canvas';
import { describe, expect, it } from 'vitest';
import { renderAll, renderHtml, renderMarkdown } from '../../src/report/index.js';
import { fixture, withTempDir } from './helpers.js';

/** Share of non-white pixels and number of distinct colours of a PNG: a drawn chart has both well above zero. */
async function inkOf(file: string): Promise<{ ink: number; colours: number; width: number }> {
  const img = await loadImage(await readFile(file));
  const c = createCanvas(img.width, img.height);
  const ctx = c.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const d = ctx.getImageData(0, 0, img.width, img.height).data;
  let ink = 0;
  const colours = new Set<number>();
  for (let i = 0; i < d.length; i += 4) {
    const r = d[i] ?? 0, g = d[i + 1] ?? 0, b = d[i + 2] ?? 0;
    if (r < 245 || g < 245 || b < 245) ink++;
    colours.add((r << 16) | (g << 8) | b);
  }
  return { ink: ink / (d.length / 4), colours: colours.size, width: img.width };
}

describe('renderAll on the fixture run', () => {
  it('writes report.md with linked PNG charts that are really drawn, and report.html', async () => {
    await withTempDir(async (dir) => {
      const files = await renderAll(fixture(), dir);
      const names = files.map((f) => path.relative(dir, f)).sort();
      expect(names).toEqual(expect.arrayContaining(['charts/speed.png', 'charts/startup.png', 'report.html', 'report.md']));
      const md = await readFile(path.join(dir, 'report.md'), 'utf8');
      expect(md).toContain('![startup](charts/startup.png)');
      expect(md).toContain('![speed](charts/speed.png)');
      for (const png of ['startup', 'speed']) {
        const ink = await inkOf(path.join(dir, 'charts', `${png}.png`));
        expect(ink.width).toBe(960);
        expect(ink.ink).toBeGreaterThan(0.02);
        expect(ink.colours).toBeGreaterThan(20);
      }
      expect((await stat(path.join(dir, 'report.html'))).size).toBeGreaterThan(150_000); // chart.js is inside
    });
  });
});

describe('Markdown report', () => {
  const md = renderMarkdown(fixture());

  it('has the seed comparison table row for row, with verdicts and could-not-judge cells', () => {
    const table = md.slice(md.indexOf("## The seed's comparison table"), md.indexOf('## Images, registry and engine'));
    expect(table).toContain('| | Virtual machine | Container | Chroot |');
    for (const row of ['Isolation', 'Portability', 'Contents', 'Speed']) expect(table).toMatch(new RegExp(`^\\| \\*\\*${row}\\*\\* \\|`, 'm'));
    expect(table).toContain('❌ **refuted**');
    expect(table).toContain('could not judge here: the VM ran under TCG emulation');
  });

  it('labels every VM figure as TCG-emulated and lists skipped/failed environments with reasons', () => {
    expect(md).not.toMatch(/^\| vm \|/m); // never a bare "vm" row
    expect(md).not.toMatch(/\| vm \|$/m); // nor a bare "vm" last column
    expect(md).toContain('vm (TCG, emulated)');
    const warnings = md.slice(md.indexOf('## Warnings'));
    expect(warnings).toContain('bwrap: skipped for the whole run');
    expect(warnings).toContain('memory / runc: FAILED');
  });

  it('shows n, command lines and image digests for traceability', () => {
    expect(md).toMatch(/\| host \| 10 \| [\d.]+ ms \|/);
    expect(md).toContain('qemu-system-x86_64 -machine q35,accel=tcg');
    expect(md).toContain('sha256:4f1c0a9be2d6');
  });

  it('escapes pipes in cells so a table row never splits', () => {
    const r = fixture();
    r.scenarios[1]!.description = 'x';
    const e = r.scenarios[0]!.envs[0]!;
    if (e.status === 'ok') e.commandLine = ['sh', '-c', 'a | b'];
    const out = renderMarkdown(r);
    const line = out.split('\n').find((l) => l.includes("'a | b'") || l.includes("a \\| b"));
    expect(line).toBeDefined();
    expect(line).not.toMatch(/[^\\]\| b/);
  });

  it('renders a partial run (no claims, no isolation, no facts) without throwing', () => {
    const r = fixture();
    delete r.claims; delete r.isolation; delete r.facts; delete r.image;
    const out = renderMarkdown(r);
    expect(out).toContain('No claim verdicts in this run');
    expect(out).toContain('No isolation checks in this run');
    expect(out.match(/could not judge here: this run has no claim verdicts/g)).toHaveLength(12);
  });
});

describe('HTML report', () => {
  const html = renderHtml(fixture());

  it('is self-contained: no external src/href, chart.js inline, a CSP that forbids fetches', () => {
    expect(html).not.toMatch(/\s(src|href)=["']?(https?:)?\/\//i);
    expect(html).toContain("default-src 'none'");
    expect(html).toMatch(/Chart\.js v4/);
    expect(html).not.toContain('sourceMappingURL');
  });

  it('embeds results and chart configs as JSON that parse back', () => {
    const grab = (id: string): unknown => JSON.parse(new RegExp(`<script type="application/json" id="${id}">(.*?)</script>`, 's').exec(html)![1]!);
    expect((grab('isobench-results') as { runId: string }).runId).toBe(fixture().runId);
    expect((grab('isobench-charts') as { id: string }[]).map((c) => c.id)).toEqual(['startup', 'speed']);
  });

  it('cannot be broken out of by a hostile string in the results', () => {
    const r = fixture();
    const e = r.scenarios[0]!.envs[0]!;
    if (e.status === 'ok') e.commandLine = ['</script><script>alert(1)</script>', '<b>x</b>'];
    const out = renderHtml(r);
    expect(out).not.toContain('<script>alert(1)');
    expect(out).toContain('&lt;/script&gt;&lt;script&gt;alert(1)');
  });

  it('has the sections in the agreed order: the answer first', () => {
    const ids = ['summary', 'startup', 'speed', 'isolation', 'verdicts', 'seed-table', 'artifacts', 'manifest', 'warnings'];
    const pos = ids.map((id) => html.indexOf(`<section id="${id}"`));
    expect(pos.every((p) => p > 0)).toBe(true);
    expect([...pos].sort((a, b) => a - b)).toEqual(pos);
  });
});

describe('an empty or interrupted run', () => {
  it('still renders every format: no scenarios, no environments, no phases', async () => {
    const r = fixture();
    r.scenarios = []; r.environments = [];
    delete r.claims; delete r.isolation; delete r.facts; delete r.image; delete r.finishedAt;
    await withTempDir(async (dir) => {
      await renderAll(r, dir, { only: ['markdown', 'html'] });
      const html = await readFile(path.join(dir, 'report.html'), 'utf8');
      expect(html).toContain('unfinished run');
      expect(html).toContain('No startup samples in this run');
      expect(await readFile(path.join(dir, 'report.md'), 'utf8')).toContain('No execution scenarios in this run');
    });
  });
});

describe('a real run with the VM under TCG (captured on the dev host)', () => {
  it('labels every VM figure as emulated and uses a log startup axis', () => {
    const r = fixture('real-vm-tcg.json');
    const md = renderMarkdown(r);
    expect(md).not.toMatch(/^\| vm \|/m);
    expect(md).toMatch(/^\| ⚠️ vm \(TCG, emulated\) \| \d+ \|/m);
    const html = renderHtml(r);
    expect(html).toContain('"type":"logarithmic"');
    expect(html).toContain('TCG emulated</span>');
  });
});
