import { describe, it, expect, afterEach } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeResults, RESULTS_FILE } from '../../src/results/writer.js';
import { parseResultsText, readResults } from '../../src/results/reader.js';
import { fileURLToPath } from 'node:url';
import { RESULTS_SCHEMA_VERSION, type RunResults } from '../../src/results/types.js';

const minimal = (runId: string): RunResults => ({
  schemaVersion: RESULTS_SCHEMA_VERSION,
  runId,
  startedAt: '2026-01-01T00:00:00.000Z',
  command: ['bench', 'run'],
  tool: { name: 'isobench', version: '0.0.0', gitRevision: 'x' },
  manifest: {
    hostname: 'h', cpu: { model: 'm', cores: 1, physicalCores: 1 }, memoryBytes: 1, os: { distro: 'd', release: 'r', kernel: 'k', arch: 'a' },
    virtualization: { hostIsVirtual: false, kvm: 'absent' }, cgroup: 'v2', tools: {}, node: 'v20', gitRevision: 'x',
  },
  options: { scenarios: [], envs: [] },
  environments: [],
  scenarios: [],
  warnings: [],
});

describe('results.json writer and reader', () => {
  let dir: string | undefined;
  afterEach(async () => { if (dir) await rm(dir, { recursive: true, force: true }); dir = undefined; });

  it('writes atomically (no temp file left) and reads back from the file or its folder', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'isobench-results-'));
    const out = path.join(dir, 'run');
    const file = await writeResults(out, minimal('a'));
    expect(file).toBe(path.join(out, RESULTS_FILE));
    await writeResults(out, minimal('b'));
    expect(await readdir(out)).toEqual([RESULTS_FILE]);
    expect((await readResults(out)).runId).toBe('b');
    expect((await readResults(file)).runId).toBe('b');
    expect(JSON.parse(await readFile(file, 'utf8')).schemaVersion).toBe(RESULTS_SCHEMA_VERSION);
  });

  it('rejects another schema version, non-results JSON and a missing path with a clear code', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'isobench-results-'));
    const f = path.join(dir, 'x.json');
    await writeFile(f, JSON.stringify({ ...minimal('a'), schemaVersion: 999 }));
    await expect(readResults(f)).rejects.toMatchObject({ code: 'RESULTS_SCHEMA' });
    await writeFile(f, JSON.stringify({ schemaVersion: RESULTS_SCHEMA_VERSION }));
    await expect(readResults(f)).rejects.toMatchObject({ code: 'RESULTS_SCHEMA' });
    await writeFile(f, '{"trunc');
    await expect(readResults(f)).rejects.toMatchObject({ code: 'RESULTS_UNREADABLE' });
    await expect(readResults(path.join(dir, 'nope'))).rejects.toMatchObject({ code: 'RESULTS_NOT_FOUND' });
  });
});

describe('results.json contract', () => {
  it('parses once: a field of the wrong type is named by its path', () => {
    const bad = { ...minimal('a'), scenarios: [{ name: 's' }] };
    expect(() => parseResultsText(JSON.stringify(bad), 'bad.json')).toThrow(/bad\.json does not fit the results schema: scenarios\.0\.description/);
    const badFact = { ...minimal('a'), facts: { engine: { status: 'done' } } };
    expect(() => parseResultsText(JSON.stringify(badFact), 'f.json')).toThrow(/facts\.engine\.status/);
  });

  it('names a JSON that is not a results file, and a version from the future', () => {
    expect(() => parseResultsText('{"name": "isobench", "version": "0.1.0"}', 'package.json')).toThrow(/package\.json is not an isobench results file/);
    expect(() => parseResultsText('[]', 'list.json')).toThrow(/list\.json: its top level is not a JSON object/);
    expect(() => parseResultsText(JSON.stringify({ ...minimal('a'), schemaVersion: RESULTS_SCHEMA_VERSION + 1 }), 'new.json')).toThrow(/schemaVersion 3, this isobench reads 1\.\.2/);
  });

  it('lifts a version-1 file (early fact names) to the current version', () => {
    const v1 = {
      ...minimal('old'),
      schemaVersion: 1,
      facts: {
        volume: { status: 'ok', persisted: true },
        engine: { status: 'ok', containers: 3, allRunningAtOnce: true, rwBytes: [1, 2, 3], imageBytes: 9, copiedImageBytes: 0, snapshotsUnchanged: true, snapshotHash: 'h' },
      },
    };
    const r = parseResultsText(JSON.stringify(v1), 'v1.json');
    expect(r.schemaVersion).toBe(RESULTS_SCHEMA_VERSION);
    expect(r.facts?.volumes?.persisted).toBe(true);
    expect(r.facts?.engine).toMatchObject({ concurrent: 3, rwBytesPerContainer: [1, 2, 3] });
    const broken = { ...v1, facts: { engine: { status: 'ok' } } };
    expect(() => parseResultsText(JSON.stringify(broken), 'v1b.json')).toThrow(/written as schemaVersion 1, which could not be lifted to 2\): facts\.engine\.concurrent/);
  });

  it('every results fixture of the repository reads under the current schema', async () => {
    const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'results');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) expect((await readResults(path.join(dir, f))).schemaVersion, f).toBe(RESULTS_SCHEMA_VERSION);
  });
});
