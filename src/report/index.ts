/**
 * Reports: renderers over results.json, one per format. The pipeline calls
 * renderAll() after every run; `bench report` calls it on a saved file.
 */
import type { RunResults } from '../results/types.js';
import { writeReports, type RenderAllOptions } from '../results/exporters.js';
import { ReportError } from './errors.js';
import { htmlRenderer } from './html/index.js';
import { markdownRenderer } from './markdown/index.js';
import type { Renderer } from './types.js';
import { junitRenderer } from './junit.js';

export type { Renderer } from './types.js';
export { renderJunit, junitRenderer, JUNIT_FILE } from './junit.js';
export { ReportError } from './errors.js';
export { loadResults } from './load.js';
export { renderHtml, htmlRenderer } from './html/index.js';
export { renderMarkdown, markdownRenderer, type MarkdownOptions } from './markdown/index.js';
export { allCharts, renderPngCharts, type ChartSpec } from './charts/index.js';
export { mergeResults, loadMergeInputs, writeMerged, renderMergedMarkdown, renderMergedHtml, MERGED_FILES, LOG_MARKER, type MergeInput } from './merge/index.js';
export { compareResults, compareMarkdown, parseThreshold, DEFAULT_THRESHOLD, type CompareOptions, type CompareReport, type CompareRow } from './compare/index.js';

/** Every report format, in the order they are written. Formats add themselves here (junit: src/report/junit.ts). */
export const renderers: Renderer[] = [markdownRenderer(), htmlRenderer(), junitRenderer()];

export type { RenderAllOptions, RenderFailure } from '../results/exporters.js';
export { writeReports } from '../results/exporters.js';

/** Writes every report into outDir and returns the files written; raises the failures together after all ran. */
export async function renderAll(results: RunResults, outDir: string, opts: RenderAllOptions = {}): Promise<string[]> {
  const { files, failures } = await writeReports(renderers, results, outDir, opts);
  const first = failures[0];
  if (first) {
    throw new ReportError('REPORT_FAILED', `could not write the ${failures.map((f) => f.name).join(', ')} report(s): ${failures.map((f) => `${f.name}: ${f.error.message}`).join('; ')}`, {
      cause: first.cause,
      ...(first.error.hint ? { hint: first.error.hint } : {}),
    });
  }
  return files;
}
