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
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError('RESULTS_UNREADABLE', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    // Name the file for what it is, not by the parser's complaint about its first byte.
    const start = text.trimStart().slice(0, 20).replace(/\s+/g, ' ');
    const looks = /^<(!doctype|html|\?xml)/i.test(start) ? 'HTML/XML' : /^#|^---/.test(start) ? 'Markdown or YAML' : text.length === 0 ? 'empty' : 'not JSON';
    throw new ConfigError('RESULTS_UNREADABLE', `${file} is not an isobench results file: it is ${looks === 'empty' ? 'empty' : `${looks} (starts with ${JSON.stringify(start)})`}`, {
      cause: err, hint: 'pass the results.json written by `bench run` (reports/<run-id>/results.json) or its run folder',
    });
  }
  const v = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (v === undefined) {
    throw new ConfigError('RESULTS_SCHEMA', `${file} is JSON but not an isobench results file (it has no schemaVersion)`, {
      hint: 'pass the results.json written by `bench run` (reports/<run-id>/results.json) or its run folder',
    });
  }
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
