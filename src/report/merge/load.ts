import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../../core/errors.js';
import { parseResultsText } from '../../results/reader.js';
import { RESULTS_FILE } from '../../results/writer.js';
import type { MergeInput } from './model.js';

/** The marker a pod prints before its results, base64-encoded on one line (deploy/kubernetes). */
export const LOG_MARKER = 'ISOBENCH-RESULTS-B64';

/** The schemaVersion a file was written with, before any lifting: merge refuses mixed versions. */
function writtenVersion(text: string): number | undefined {
  try {
    const v = (JSON.parse(text) as { schemaVersion?: unknown }).schemaVersion; // any JSON: only the version is read, before the reader
    return typeof v === 'number' ? v : undefined;
  } catch {
    return undefined;
  }
}

interface RawInput { file: string; text: string }

async function readInputs(paths: string[], fromLogs: boolean): Promise<RawInput[]> {
  const raw: RawInput[] = [];
  for (const p of paths) {
    let file = p;
    try {
      if ((await stat(p)).isDirectory()) file = path.join(p, RESULTS_FILE);
    } catch {
      throw new ConfigError('MERGE_INPUT', `${p} does not exist`);
    }
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new ConfigError('MERGE_INPUT', `cannot read ${file}: ${(err as Error).message}`);
    }
    if (!fromLogs) { raw.push({ file, text }); continue; }
    const lines = text.split('\n').filter((l) => l.includes(`${LOG_MARKER} `));
    if (!lines.length) throw new ConfigError('MERGE_INPUT', `${file} has no "${LOG_MARKER} <base64>" line: not the log of an isobench pod`);
    lines.forEach((l, i) => {
      const b64 = l.slice(l.indexOf(`${LOG_MARKER} `) + LOG_MARKER.length + 1).trim();
      raw.push({ file: lines.length > 1 ? `${file}#${i + 1}` : file, text: Buffer.from(b64, 'base64').toString('utf8') });
    });
  }
  return raw;
}

/** Reads every input once; one line naming the file on anything that cannot be merged. */
export async function loadMergeInputs(paths: string[], opts: { fromLogs?: boolean } = {}): Promise<MergeInput[]> {
  if (!paths.length) throw new ConfigError('MERGE_INPUT', 'bench merge needs at least one results file (results.json, a run folder, or with --from-logs a pod log)');
  const raw = await readInputs(paths, opts.fromLogs ?? false);
  const inputs = raw.map(({ file, text }) => {
    try {
      return { file, version: writtenVersion(text), results: parseResultsText(text, file) };
    } catch (err) {
      // The reader's hint is for single-run commands; merge keeps its refusal to one line.
      throw new ConfigError('MERGE_INPUT', (err as Error).message, { cause: err });
    }
  });
  const versions = [...new Set(inputs.map((i) => i.version))];
  if (versions.length > 1) {
    throw new ConfigError('MERGE_SCHEMA', `cannot merge results of different schema versions: ${inputs.map((i) => `${i.file} v${i.version}`).join(', ')}; re-run the older hosts with this isobench`);
  }
  return inputs.map(({ file, results }) => ({ file, results }));
}
