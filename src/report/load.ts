import { readResults } from '../results/reader.js';
import type { RunResults } from '../results/types.js';

/**
 * Reads a saved results.json (or a run folder holding one) for `bench report`
 * and `bench compare`. src/results/reader.ts is the one reader: it parses the
 * file against the schema once (migrating older versions), so the renderers
 * never meet a wrong shape and a wrong file gets a message naming its field.
 */
export async function loadResults(fileOrDir: string): Promise<RunResults> {
  return readResults(fileOrDir);
}
