import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../core/errors.js';
import { RESULTS_SCHEMA_VERSION, type RunResults } from './types.js';
import { RESULTS_FILE } from './writer.js';

/** Reads a results.json (or a run folder holding one) and checks its schema version. */
export async function readResults(fileOrDir: string): Promise<RunResults> {
  let file = fileOrDir;
  try {
    if ((await stat(fileOrDir)).isDirectory()) file = path.join(fileOrDir, RESULTS_FILE);
  } catch {
    throw new ConfigError('RESULTS_NOT_FOUND', `${fileOrDir} does not exist`, { hint: 'pass a run folder (reports/<run-id>) or its results.json' });
  }
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new ConfigError('RESULTS_UNREADABLE', `cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  const v = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (v !== RESULTS_SCHEMA_VERSION) {
    throw new ConfigError('RESULTS_SCHEMA', `${file} has schemaVersion ${JSON.stringify(v)}, this isobench reads ${RESULTS_SCHEMA_VERSION}`, {
      hint: 'render it with the isobench version that wrote it, or re-run the benchmark',
    });
  }
  const r = data as RunResults;
  if (typeof r.runId !== 'string' || !Array.isArray(r.scenarios)) {
    throw new ConfigError('RESULTS_SCHEMA', `${file} is not an isobench results file (no runId/scenarios)`);
  }
  return r;
}
