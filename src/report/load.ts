import { readResults } from '../results/reader.js';
import { RESULTS_SCHEMA_VERSION, type RunResults } from '../results/types.js';
import { ResultsFileError } from './errors.js';

/**
 * Reads a saved results.json (or a run folder holding one) for `bench report`
 * and `bench compare`: src/results/reader.ts checks existence, JSON and the
 * schema version; validateResults then checks just enough shape that the
 * renderers cannot trip over a wrong file — a readable message beats a
 * TypeError deep inside a chart builder.
 */
export async function loadResults(fileOrDir: string): Promise<RunResults> {
  return validateResults(await readResults(fileOrDir), fileOrDir);
}

export function validateResults(data: unknown, file = 'results.json'): RunResults {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ResultsFileError('RESULTS_SHAPE', `${file} is not an isobench results file (expected a JSON object)`);
  }
  const o = data as Record<string, unknown>;
  if (!('schemaVersion' in o)) {
    throw new ResultsFileError('RESULTS_SHAPE', `${file} has no schemaVersion: it is not an isobench results.json`, {
      hint: 'pass the results.json written by `bench run` (reports/<run-id>/results.json)',
    });
  }
  if (o.schemaVersion !== RESULTS_SCHEMA_VERSION) {
    const older = typeof o.schemaVersion === 'number' && o.schemaVersion < RESULTS_SCHEMA_VERSION;
    throw new ResultsFileError(
      'RESULTS_VERSION',
      `${file} has results schemaVersion ${JSON.stringify(o.schemaVersion)}, this isobench reads version ${RESULTS_SCHEMA_VERSION}`,
      { hint: older ? 'the run was made by an older isobench: re-run it with this version' : 'use the isobench version that wrote this file (or a newer one)' },
    );
  }
  for (const key of ['runId', 'startedAt'] as const) {
    if (typeof o[key] !== 'string') throw new ResultsFileError('RESULTS_SHAPE', `${file}: field "${key}" is missing or not a string`);
  }
  for (const key of ['scenarios', 'environments'] as const) {
    if (!Array.isArray(o[key])) throw new ResultsFileError('RESULTS_SHAPE', `${file}: field "${key}" is missing or not an array`);
  }
  if (typeof o.manifest !== 'object' || o.manifest === null) throw new ResultsFileError('RESULTS_SHAPE', `${file}: field "manifest" is missing`);
  for (const [i, s] of (o.scenarios as unknown[]).entries()) {
    const sc = s as Record<string, unknown> | null;
    if (!sc || typeof sc.name !== 'string' || !Array.isArray(sc.envs) || typeof sc.primaryMetric !== 'object') {
      throw new ResultsFileError('RESULTS_SHAPE', `${file}: scenarios[${i}] lacks name, envs or primaryMetric`);
    }
  }
  if (!Array.isArray(o.warnings)) o.warnings = [];
  return data as RunResults;
}
