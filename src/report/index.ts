/**
 * Reports: renderers over results.json, one per format. The pipeline calls
 * renderAll() after every run; `bench report` calls it on a saved file.
 */
import { mkdir } from 'node:fs/promises';
import type { RunResults } from '../results/types.js';
import { ReportError } from './errors.js';
import { htmlRenderer } from './html/index.js';
import { markdownRenderer } from './markdown/index.js';
import type { Renderer } from './types.js';
import { junitRenderer } from './junit.js';

export type { Renderer } from './types.js';
export { renderJunit, junitRenderer, JUNIT_FILE } from './junit.js';
export { ResultsFileError, ReportError } from './errors.js';
export { loadResults, validateResults } from './load.js';
export { renderHtml, htmlRenderer } from './html/index.js';
export { renderMarkdown, markdownRenderer, type MarkdownOptions } from './markdown/index.js';
export { allCharts, renderPngCharts, type ChartSpec } from './charts/index.js';
export { compareResults, compareMarkdown, parseThreshold, DEFAULT_THRESHOLD, type CompareOptions, type CompareReport, type CompareRow } from './compare/index.js';

/** Every report format, in the order they are written. Formats add themselves here (junit: src/report/junit.ts). */
export const renderers: Renderer[] = [markdownRenderer(), htmlRenderer(), junitRenderer()];

export interface RenderAllOptions {
  /** Only these formats (by Renderer.name); default all. */
  only?: string[];
}

/**
 * Writes every report into outDir and returns the files written. One broken
 * renderer (say, canvas missing for the PNGs) does not stop the others: all
 * run, then the failures are raised together.
 */
export async function renderAll(results: RunResults, outDir: string, opts: RenderAllOptions = {}): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const files: string[] = [];
  const failures: { name: string; err: unknown }[] = [];
  for (const r of renderers) {
    if (opts.only && !opts.only.includes(r.name)) continue;
    try {
      files.push(...(await r.render(results, outDir)));
    } catch (err) {
      failures.push({ name: r.name, err });
    }
  }
  if (failures.length) {
    const first = failures[0]?.err;
    throw new ReportError('REPORT_FAILED', `could not write the ${failures.map((f) => f.name).join(', ')} report(s): ${failures.map((f) => `${f.name}: ${(f.err as Error)?.message ?? String(f.err)}`).join('; ')}`, {
      cause: first,
      ...(first instanceof Error && 'hint' in first && typeof first.hint === 'string' ? { hint: first.hint } : {}),
    });
  }
  return files;
}
