import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { MergedReport } from '../../results/types.js';
import { renderMergedHtml, renderMergedMarkdown } from './render.js';

export { mergeResults, acceleratorOf, type MergeInput } from './model.js';
export { loadMergeInputs, LOG_MARKER } from './load.js';
export { renderMergedHtml, renderMergedMarkdown, cellText } from './render.js';

export const MERGED_FILES = { json: 'merged.json', markdown: 'merged.md', html: 'merged.html' } as const;

/** Writes merged.json, merged.md and merged.html into outDir; returns their paths. */
export async function writeMerged(m: MergedReport, outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const files: [string, string][] = [
    [MERGED_FILES.json, `${JSON.stringify(m, null, 2)}\n`],
    [MERGED_FILES.markdown, renderMergedMarkdown(m)],
    [MERGED_FILES.html, renderMergedHtml(m)],
  ];
  const out: string[] = [];
  for (const [name, text] of files) {
    const p = path.join(outDir, name);
    await writeFile(p, text, 'utf8');
    out.push(p);
  }
  return out;
}
