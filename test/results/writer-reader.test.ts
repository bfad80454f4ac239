import { describe, it, expect, afterEach } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeResults, RESULTS_FILE } from '../../src/results/writer.js';
import { readResults } from '../../src/results/reader.js';
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
