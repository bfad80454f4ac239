import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunResults } from '../../src/results/types.js';
import { parseResultsText } from '../../src/results/reader.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'results');

/** A fresh deep copy of a fixture run, safe to mutate. */
export function fixture(name = 'sample-run.json'): RunResults {
  return parseResultsText(readFileSync(path.join(FIXTURES, name), 'utf8'), name);
}

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'isobench-report-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
