import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { ScenarioError, buildCommand, listScenarioNames, loadScenarios, displayPath } from '../../src/scenario/index.js';
import { rejection, scratchScenarioDir } from './helpers.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const shipped = path.join(repo, 'scenarios');
const tiny = path.join(repo, 'test', 'fixtures', 'scenarios-tiny');

const ok = (name: string, type = 'startup'): string => `name: ${name}\ndescription: d\nworkload: { type: ${type} }\n`;
const tmp = scratchScenarioDir({ 'a.yaml': ok('a'), 'b.yaml': ok('b', 'probe-syscall'), 'c.yaml': ok('c'), 'notes.txt': 'ignored' });
afterAll(() => tmp.cleanup());

describe('shipped scenarios', () => {
  it('all load and build an absolute argv (or none, for startup)', async () => {
    const all = await loadScenarios(shipped, 'all');
    expect(all.map((s) => s.name)).toEqual(['compress', 'cpu', 'fileio', 'fio', 'http', 'memory', 'network', 'process', 'redis', 'sqlite', 'startup', 'syscall']);
    for (const s of all) {
      const { argv } = buildCommand(s, { scratchDir: '/tmp', uniqueId: 't1', peer: { host: '127.0.0.1', port: 1 } });
      for (const a of argv.slice(0, 1)) expect(a.startsWith('/')).toBe(true);
      expect(s.workload.type === 'startup' ? argv.length === 0 : argv.length > 0).toBe(true);
    }
  });

  it('cpu, memory and syscall run in time slots, pairable with a host companion, one instance per environment', async () => {
    const [cpu, mem, sys] = await loadScenarios(shipped, ['cpu', 'memory', 'syscall']);
    expect(cpu!.workload.params).toMatchObject({ maxPrime: 10000 });
    expect(buildCommand(cpu!, { scratchDir: '/tmp' }).argv.at(-1)).toBe('10000');
    for (const [s, work, metric] of [[cpu!, 'cpu', 'events_per_sec'], [mem!, 'memory', 'MiB_per_sec'], [sys!, 'syscall', 'syscalls_per_sec']] as const) {
      expect(s.workload.type).toBe('probe-slots');
      expect(s.workload.params).toMatchObject({ work, periodUs: 10000 });
      expect(s.definition.pairable).toBe(true);
      // roundMs without a work-size param: one instance per environment (sessions), runs as written.
      expect(s.roundMs).toBeGreaterThan(0);
      expect(s.definition.workSize).toBeUndefined();
      expect(s.primaryMetric.name).toBe(metric);
      expect(s.metrics.map((m) => m.name)).toEqual([metric, `${metric}_whole`]);
      expect(buildCommand(s, { scratchDir: '/tmp' }).argv.slice(0, 3)).toEqual(['/isobench/probe', 'slots', work]);
      expect(s.description).toMatch(/paired slot by slot with a host companion/);
    }
  });

  it('the tiny e2e set loads too', async () => {
    expect((await loadScenarios(tiny)).map((s) => s.name)).toEqual(['cpu', 'fileio', 'process', 'startup']);
  });

  it('errors inside the working directory show a relative path', () => {
    expect(displayPath(path.join(process.cwd(), 'scenarios', 'cpu.yaml'))).toBe(path.join('scenarios', 'cpu.yaml'));
  });
});

describe('loadScenarios', () => {
  it('lists only *.yaml, sorted', async () => {
    expect(await listScenarioNames(tmp.dir)).toEqual(['a', 'b', 'c']);
  });

  it('keeps the requested order, accepts comma lists, ignores duplicates; all/undefined = every file', async () => {
    expect((await loadScenarios(tmp.dir, ['c', 'a'])).map((s) => s.name)).toEqual(['c', 'a']);
    expect((await loadScenarios(tmp.dir, ['b,c', 'b'])).map((s) => s.name)).toEqual(['b', 'c']);
    expect((await loadScenarios(tmp.dir)).map((s) => s.name)).toEqual(['a', 'b', 'c']);
    expect((await loadScenarios(tmp.dir, ['all'])).map((s) => s.name)).toEqual(['a', 'b', 'c']);
  });

  it('unknown name -> ConfigError listing the available ones', async () => {
    const err = await rejection(() => loadScenarios(tmp.dir, ['a', 'cpuu']));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.code).toBe('SCENARIO_UNKNOWN');
    expect(err.message).toContain('unknown scenario "cpuu"');
    expect(err.message).toContain('available: a, b, c');
  });

  it('problems of several files come in one error, before anything runs', async () => {
    const bad = scratchScenarioDir({ 'x.yaml': ok('x') + 'rounds: 0\n', 'y.yaml': ok('y') + 'extra: 1\n', 'z.yaml': ok('z') });
    try {
      const err = await rejection(() => loadScenarios(bad.dir));
      expect(err).toBeInstanceOf(ScenarioError);
      const issues = (err as ScenarioError).issues;
      expect(issues.map((i) => `${path.basename(i.file)}:${i.line} ${i.path}`)).toEqual(['x.yaml:4 rounds', 'y.yaml:4 extra']);
      expect(err.message.split('\n')[0]).toMatch(/^2 problems in scenario files .*x\.yaml, .*y\.yaml:$/);
      // Only the selected files are validated.
      expect((await loadScenarios(bad.dir, ['z'])).map((s) => s.name)).toEqual(['z']);
    } finally {
      bad.cleanup();
    }
  });

  it('a word that is a file path loads that file, after the named ones; a missing one says so', async () => {
    const mine = scratchScenarioDir({ 'mine.yaml': ok('mine', 'probe-syscall') });
    try {
      const file = path.join(mine.dir, 'mine.yaml');
      expect((await loadScenarios(tmp.dir, [file])).map((s) => s.name)).toEqual(['mine']);
      expect((await loadScenarios(tmp.dir, [file, 'c'])).map((s) => s.name)).toEqual(['c', 'mine']);
      // A relative path is taken from the working directory, as a shell user expects.
      const rel = path.relative(process.cwd(), file);
      expect((await loadScenarios(path.join(tmp.dir, 'nope'), [rel])).map((s) => s.name)).toEqual(['mine']);
      const missing = await rejection(() => loadScenarios(tmp.dir, [path.join(mine.dir, 'other.yaml')]));
      expect(missing).toBeInstanceOf(ScenarioError);
      expect(missing.message).toContain('no such file');
      expect((missing as ScenarioError).hint).toContain('Check the path');
      // The same scenario by name and by file would measure it twice under one name.
      const twice = await rejection(() => loadScenarios(tmp.dir, ['a', path.join(tmp.dir, 'a.yaml')]));
      expect(twice).toBeInstanceOf(ConfigError);
      expect(twice.code).toBe('SCENARIO_DUPLICATE');
    } finally {
      mine.cleanup();
    }
  });

  it('an unknown name hints at file paths too', async () => {
    const err = await rejection(() => loadScenarios(tmp.dir, ['mine']));
    expect((err as ConfigError).hint).toContain('path of a scenario file');
  });

  it('missing directory', async () => {
    const err = await rejection(() => loadScenarios(path.join(tmp.dir, 'nope')));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.code).toBe('SCENARIO_DIR_MISSING');
  });
});
