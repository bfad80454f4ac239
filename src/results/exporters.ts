import { mkdir } from 'node:fs/promises';
import { describeError } from '../core/errors.js';
import type { ErrorInfo, RunResults } from './types.js';

/**
 * One output format of a run (markdown, html, junit ...): a function of
 * results.json plus the folder it writes into, so `bench report
 * <results.json>` can re-render any saved run. The formats live in
 * src/report; the contract and the loop that runs them live here, beside
 * the results they serialise.
 */
export interface Renderer {
  /** Short format name, e.g. "markdown", "html". */
  readonly name: string;
  /** Writes its file(s) into outDir (created by the loop) and returns their paths. */
  render(results: RunResults, outDir: string): Promise<string[]>;
}

export interface RenderAllOptions {
  /** Only these formats (by Renderer.name); default all. */
  only?: string[];
}

export interface RenderFailure {
  name: string;
  error: ErrorInfo;
  /** What the renderer threw, kept as the cause of the error raised for it. */
  cause: Error;
}

/**
 * The one loop over renderers. One broken renderer (say, canvas missing for
 * the PNGs) does not stop the others: all run, the files written and the
 * failures come back together, and the caller decides what a failure means
 * (`bench report` raises it, `bench run` records it as a warning).
 */
export async function writeReports(list: readonly Renderer[], results: RunResults, outDir: string, opts: RenderAllOptions = {}): Promise<{ files: string[]; failures: RenderFailure[] }> {
  await mkdir(outDir, { recursive: true });
  const files: string[] = [];
  const failures: RenderFailure[] = [];
  for (const r of list) {
    if (opts.only && !opts.only.includes(r.name)) continue;
    try {
      files.push(...(await r.render(results, outDir)));
    } catch (err) {
      failures.push({ name: r.name, error: describeError(err), cause: err instanceof Error ? err : new Error(String(err)) });
    }
  }
  return { files, failures };
}

