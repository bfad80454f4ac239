import { mkdir, rename, rm, writeFile, open } from 'node:fs/promises';
import path from 'node:path';
import type { RunResults } from './types.js';

export const RESULTS_FILE = 'results.json';

/**
 * Writes results.json atomically (temp file in the same folder, fsync,
 * rename): a reader, or a crash mid-write, sees either the previous complete
 * file or the new one, never half of one. On failure the temp is removed.
 */
export async function writeResults(outDir: string, results: RunResults): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, RESULTS_FILE);
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, `${JSON.stringify(results, null, 2)}\n`, 'utf8');
    const fh = await open(tmp, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (err) {
    // A half-written temp (disk full) is never left behind; the previous results.json stays.
    await rm(tmp, { force: true }).catch(() => {});
    throw err;
  }
  return file;
}
