import type { RunResults } from '../results/types.js';

/**
 * One output format of a run (markdown, html, junit ...). Renderers are pure
 * functions of results.json plus the folder they write into, so
 * `bench report <results.json>` can re-render any saved run.
 */
export interface Renderer {
  /** Short format name, e.g. "markdown", "html". */
  readonly name: string;
  /** Writes its file(s) into outDir (created by the caller) and returns their paths. */
  render(results: RunResults, outDir: string): Promise<string[]>;
}
