import { mkdir, rename, writeFile, open } from 'node:fs/promises';
import path from 'node:path';
import type { RunResults } from './types.js';

export const RESULTS_FILE = 'results.json';

/**
 * Writes results.json atomically (temp file in the same folder, fsync,
 * rename): a reader, or a crash mid-write, sees either the previous complete
 * file or the new one, never half of one.
 */
export async function writeResults(outDir: string, results: RunResults): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, RESULTS_FILE);
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, `${JSON.stringify(results, null, 2)}\n`, 'utf8');
  const fh = await open(tmp, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
  return file;
}
