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
  canvases: { id: string; drawn: string | null; width: number; inked: number; colours: number }[];
  overflow: number;
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
    return { id: c.id, drawn: c.getAttribute('data-drawn'), width: c.width, inked: inked / (d.length / 4), colours: colours.size };
  }));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await page.screenshot({ path: shot, fullPage: true });
  await page.close();
  return { consoleErrors, requests, canvases, overflow };
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
    it(`${name}: every chart drawn, no console error, no network request — desktop and phone`, async () => {
      await withTempDir(async (dir) => {
        await renderAll(load(), dir, { only: ['html'] });
        const file = path.join(dir, 'report.html');
        for (const [label, viewport] of [['desktop', { width: 1366, height: 900 }], ['phone', { width: 390, height: 844 }]] as const) {
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
          expect(existsSync(shot)).toBe(true);
        }
      });
    });
  }
});
