import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import { ConfigError } from '../core/errors.js';
import { jsonRecordSchema } from './common.js';
import { RESULTS_SCHEMA_VERSION, runResultsSchema, type RunResults } from './run.js';
import { migrateResults, OLDEST_MIGRATABLE_VERSION } from './migrate.js';
import { RESULTS_FILE } from './writer.js';

const RERUN_HINT = 'render it with the isobench version that wrote it, or re-run the benchmark';

/** Just enough to tell a results document from any other JSON, and its version. */
const headSchema = z.object({ schemaVersion: z.number().int(), runId: z.string() });

function firstIssue(err: z.ZodError): string {
  const i = err.issues[0];
  if (!i) return 'does not fit the schema';
  return `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`;
}

/** Names a file that is not JSON for what it looks like, not by the parser's complaint about its first byte. */
function notJson(text: string, file: string, cause: unknown): ConfigError { // cause: whatever JSON.parse threw
  const start = text.trimStart().slice(0, 20).replace(/\s+/g, ' ');
  const looks = /^<(!doctype|html|\?xml)/i.test(start) ? 'HTML/XML' : /^#|^---/.test(start) ? 'Markdown or YAML' : 'not JSON';
  const what = text.trim().length === 0 ? 'empty' : `${looks} (starts with ${JSON.stringify(start)})`;
  return new ConfigError('RESULTS_UNREADABLE', `${file} is not an isobench results file: it is ${what}`, {
    cause, hint: 'pass the results.json written by `bench run` (reports/<run-id>/results.json) or its run folder',
  });
}

/**
 * Parses the text of a results.json once: tells a non-results JSON from an
 * isobench file, lifts older versions (migrate.ts), rejects newer ones and
 * anything that does not fit the schema, naming the first field that is
 * wrong. `file` only names the source in messages.
 */
export function parseResultsText(text: string, file: string): RunResults {
  let doc;
  try {
    doc = jsonRecordSchema.parse(JSON.parse(text));
  } catch (err) {
    if (err instanceof z.ZodError) throw new ConfigError('RESULTS_UNREADABLE', `cannot read ${file}: its top level is not a JSON object`, { cause: err });
    throw notJson(text, file, err);
  }
  const head = headSchema.safeParse(doc);
  if (!head.success) {
    throw new ConfigError('RESULTS_SCHEMA', `${file} is not an isobench results file (it is JSON, but has no schemaVersion/runId)`, { hint: 'pass a run folder (reports/<run-id>) or its results.json' });
  }
  const v = head.data.schemaVersion;
  if (v > RESULTS_SCHEMA_VERSION || v < OLDEST_MIGRATABLE_VERSION) {
    throw new ConfigError('RESULTS_SCHEMA', `${file} has schemaVersion ${v}, this isobench reads ${OLDEST_MIGRATABLE_VERSION}..${RESULTS_SCHEMA_VERSION}`, { hint: RERUN_HINT });
  }
  const lifted = v < RESULTS_SCHEMA_VERSION ? migrateResults(doc, v, RESULTS_SCHEMA_VERSION) : doc;
  const parsed = runResultsSchema.safeParse(lifted);
  if (!parsed.success) {
    const older = v < RESULTS_SCHEMA_VERSION ? ` (written as schemaVersion ${v}, which could not be lifted to ${RESULTS_SCHEMA_VERSION})` : '';
    throw new ConfigError('RESULTS_SCHEMA', `${file} does not fit the results schema${older}: ${firstIssue(parsed.error)}`, { hint: RERUN_HINT });
  }
  return parsed.data;
}

/** Reads a results.json (or a run folder holding one): parsed, migrated and checked once. */
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
  return parseResultsText(text, file);
}
