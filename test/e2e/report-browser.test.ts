/**
 * Opens report.html in a real headless Chromium (Debian's package, driven by
 * playwright-core) and checks what a reader would see: every chart drawn,
 * no console error, no network request, no sideways scrolling on a phone.
 * Screenshots go to test-output/ (gitignored) for a human look.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { renderAll } from '../../src/report/index.js';
import type { RunResults } from '../../src/results/types.js';
import { FIXTURES, fixture, withTempDir } from '../report/helpers.js';

// DOM globals exist only inside the page callbacks below; declared loosely so the Node-only tsconfig needs no "dom" lib.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;

const CHROMIUM = process.env.ISOBENCH_CHROMIUM ?? '/usr/bin/chromium';
const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-output');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The synthetic fixture, plus the real runs captured under test/fixtures/results (real-*.json; the "-b" twins only serve compare tests). */
function runs(): [string, () => RunResults][] {
  const real = readdirSync(FIXTURES).filter((f) => /^real-.*\.json$/.test(f) && !f.endsWith('-b.json')).sort();
  return [['fixture', () => fixture()], ...real.map((f): [string, () => RunResults] => [f.replace(/\.json$/, ''), () => JSON.parse(readFileSync(path.join(FIXTURES, f), 'utf8')) as RunResults])];
}

interface PageCheck {
  consoleErrors: string[];
  requests: string[];
  canvases: { id: string; drawn: string | null; width: number; inked: number; colours: number; top: number; bottom: number }[];
  overflow: number;
  /** Page coordinates of the summary table. */
  summary: { top: number; bottom: number } | null;
  /** Pairs of neighbouring tick labels on one axis that overlap, per chart. */
  overlaps: string[];
}

async function open(browser: Browser, file: string, viewport: { width: number; height: number }, shot: string): Promise<PageCheck> {
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  await page.waitForFunction(() => document.querySelectorAll('canvas:not([data-drawn])').length === 0 || document.querySelector('.chart-error') !== null, undefined, { timeout: 10_000 });
  // Runs in the page: count pixels with any ink and distinct colours of each canvas.
  const canvases = await page.$$eval('canvas', (els) => els.map((el) => {
    const c = el as any;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let inked = 0;
    const colours = new Set<number>();
    for (let i = 0; i < d.length; i += 4) {
      if ((d[i + 3] ?? 0) > 0) inked++;
      colours.add(((d[i] ?? 0) << 16) | ((d[i + 1] ?? 0) << 8) | (d[i + 2] ?? 0));
    }
    const box = c.getBoundingClientRect();
    return { id: c.id, drawn: c.getAttribute('data-drawn'), width: c.width, inked: inked / (d.length / 4), colours: colours.size, top: box.top + window.scrollY, bottom: box.bottom + window.scrollY };
  }));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  const summary = await page.evaluate(() => {
    const t = document.querySelector('#summary-table');
    if (!t) return null;
    const b = t.getBoundingClientRect();
    return { top: b.top + window.scrollY, bottom: b.bottom + window.scrollY };
  });
  // Runs in the page: for every axis of every chart, the extent of each shown tick label along the axis
  // (width, or line height for vertical axes and rotated labels) must not reach into its neighbour's.
  const overlaps = await page.evaluate(() => {
    const out: string[] = [];
    const Chart = (window as any).Chart;
    for (const canvas of document.querySelectorAll('canvas')) {
      const chart = Chart.getChart(canvas);
      if (!chart) continue;
      const ctx = chart.ctx;
      for (const scale of Object.values(chart.scales) as any[]) {
        const font = Chart.helpers.toFont(scale.options.ticks.font);
        ctx.save();
        ctx.font = font.string;
        const horizontal = scale.isHorizontal();
        const rot = ((scale.labelRotation ?? 0) * Math.PI) / 180;
        const items = (scale.ticks as any[]).map((t, i) => {
          const lines = ([] as string[]).concat(t.label ?? '').filter((x) => x !== '');
          const width = Math.max(0, ...lines.map((l) => ctx.measureText(l).width));
          const height = lines.length * font.lineHeight;
          const extent = horizontal ? (rot > 0.01 ? height / Math.sin(rot) : width) : height;
          return { text: lines.join(' '), pos: scale.getPixelForTick(i), extent };
        }).filter((x) => x.text !== '').sort((a, b) => a.pos - b.pos);
        ctx.restore();
        for (let i = 1; i < items.length; i++) {
          const a = items[i - 1]!, b = items[i]!;
          if (b.pos - a.pos < (a.extent + b.extent) / 2 - 0.5) out.push(`${canvas.id} ${scale.id}: "${a.text}" / "${b.text}" (${(b.pos - a.pos).toFixed(1)} px apart, need ${((a.extent + b.extent) / 2).toFixed(1)})`);
        }
      }
    }
    return out;
  });
  await page.screenshot({ path: shot, fullPage: true });
  await page.close();
  return { consoleErrors, requests, canvases, overflow, summary, overlaps };
}

describe.skipIf(!existsSync(CHROMIUM))(`report.html in headless Chromium (${CHROMIUM}; skipped when absent)`, () => {
  let browser: Browser;
  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    await mkdir(OUT, { recursive: true });
  });
  afterAll(async () => { await browser?.close(); });

  for (const [name, load] of runs()) {
    it(`${name}: the answer above the fold, every chart drawn, no overlapping axis labels, no console error, no network request — desktop and phone`, async () => {
      await withTempDir(async (dir) => {
        await renderAll(load(), dir, { only: ['html'] });
        const file = path.join(dir, 'report.html');
        for (const [label, viewport] of [['desktop', { width: 1400, height: 900 }], ['phone', { width: 390, height: 844 }]] as const) {
          const shot = path.join(OUT, `report-${name}-${label}.png`);
          const r = await open(browser, file, viewport, shot);
          expect(r.consoleErrors, label).toEqual([]);
          expect(r.requests, label).toEqual([pathToFileURL(file).href]);
          expect(r.canvases.map((c) => c.id).sort(), label).toEqual(['chart-speed', 'chart-startup']);
          for (const c of r.canvases) {
            expect(c.drawn, `${label} ${c.id}`).toBe('true');
            expect(c.inked, `${label} ${c.id} ink`).toBeGreaterThan(0.01);
            expect(c.colours, `${label} ${c.id} colours`).toBeGreaterThan(10);
          }
          expect(r.overflow, `${label}: page wider than the viewport`).toBeLessThanOrEqual(1);
          expect(r.overlaps, `${label}: overlapping axis labels`).toEqual([]);
          expect(r.summary, `${label}: summary table`).not.toBeNull();
          if (label === 'desktop') {
            // The whole summary table on the first screen.
            expect(r.summary!.bottom, 'desktop: summary table below the fold').toBeLessThanOrEqual(viewport.height);
          } else {
            // A phone: the table starts on the first screen; the summary and the first chart fit in two.
            expect(r.summary!.top, 'phone: summary table not on the first screen').toBeLessThan(viewport.height);
            const first = Math.min(...r.canvases.map((c) => c.top));
            const firstChart = r.canvases.find((c) => c.top === first)!;
            expect(firstChart.bottom, `phone: first chart (${firstChart.id}) not within two screens`).toBeLessThanOrEqual(2 * viewport.height);
          }
          expect(existsSync(shot)).toBe(true);
        }
      });
    });
  }
});
