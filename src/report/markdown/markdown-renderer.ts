import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunResults } from '../../results/types.js';
import type { Renderer } from '../types.js';
import { allCharts, renderPngCharts } from '../charts/index.js';
import { ReportError } from '../errors.js';
import * as s from './sections.js';

/** Builds report.md; `pngs` maps chart id -> path relative to the report (charts/startup.png). */
export function renderMarkdown(r: RunResults, pngs: ReadonlyMap<string, string> = new Map()): string {
  return [
    s.header(r), s.summary(r), s.startup(r, pngs.get('startup')), s.speed(r, pngs.get('speed')),
    s.isolation(r), s.verdicts(r), s.seedTable(r), s.userCommands(r), s.artifacts(r), s.manifest(r), s.warnings(r),
  ].join('\n\n').replace(/\n{3,}/g, '\n\n') + '\n';
}

export interface MarkdownOptions {
  /** Render charts/*.png (default true); false for a text-only summary. */
  charts?: boolean;
}

/** report.md plus charts/*.png drawn by chartjs-node-canvas. */
export function markdownRenderer(opts: MarkdownOptions = {}): Renderer {
  const charts = opts.charts ?? true;
  return {
    name: 'markdown',
    async render(results, outDir) {
      const written: string[] = [];
      const rel = new Map<string, string>();
      let chartError: unknown; // whatever the chart renderer threw
      if (charts) {
        try {
          const pngs = await renderPngCharts(allCharts(results), outDir);
          for (const [id, file] of pngs) { rel.set(id, path.relative(outDir, file).split(path.sep).join('/')); written.push(file); }
        } catch (err) {
          chartError = err; // the tables are still worth writing
        }
      }
      const file = path.join(outDir, 'report.md');
      const note = chartError ? `\n> ⚠️ The charts could not be drawn: ${(chartError as Error).message}\n` : '';
      await writeFile(file, renderMarkdown(results, rel) + note);
      written.unshift(file);
      if (chartError) {
        throw new ReportError('REPORT_CHARTS', `report.md was written without its charts: ${(chartError as Error).message}`, {
          cause: chartError,
          hint: 'run scripts/setup (canvas needs its native libraries), then `bench report <results.json>`',
        });
      }
      return written;
    },
  };
}
