import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { environmentNames } from '../../src/envs/index.js';
import { ScenarioError, loadScenarioFile, type ScenarioIssue } from '../../src/scenario/index.js';
import { rejection, scratchScenarioDir } from './helpers.js';

const tmp = scratchScenarioDir();
afterAll(() => tmp.cleanup());

async function problems(name: string, text: string): Promise<{ file: string; message: string; issues: ScenarioIssue[] }> {
  const file = tmp.write(`${name}.yaml`, text);
  const err = await rejection(() => loadScenarioFile(file));
  expect(err).toBeInstanceOf(ScenarioError);
  expect(err).toBeInstanceOf(ConfigError);
  expect(err.code).toBe('SCENARIO_INVALID');
  return { file, message: err.message, issues: (err as ScenarioError).issues };
}

describe('scenario schema: valid files', () => {
  it('fills defaults and resolves the workload', async () => {
    const file = tmp.write('cpu.yaml', 'name: cpu\ndescription: d\nworkload:\n  type: sysbench-cpu\n');
    const s = await loadScenarioFile(file);
    expect(s).toMatchObject({
      name: 'cpu',
      file,
      workload: { type: 'sysbench-cpu', params: { maxPrime: 10000, events: 2000, threads: 1 } },
      rounds: 5,
      warmup: 1,
      timeoutSeconds: 120,
      limits: {},
      primaryMetric: { name: 'events_per_sec', higherIsBetter: true },
    });
    expect(s.environments).toEqual(environmentNames());
    expect(s.definition.type).toBe('sysbench-cpu');
  });

  it('keeps an explicit environment list in file order, and limits', async () => {
    const file = tmp.write('lim.yaml', 'name: lim\ndescription: d\nworkload: { type: startup }\nenvironments: [vm, host]\nlimits: { memoryMiB: 256, pids: 64, cpus: 1.5 }\n');
    const s = await loadScenarioFile(file);
    expect(s.environments).toEqual(['vm', 'host']);
    expect(s.limits).toEqual({ memoryMiB: 256, pids: 64, cpus: 1.5 });
  });
});

describe('scenario schema: each error names file:line:column and the field', () => {
  it('wrong type', async () => {
    const { file, message } = await problems('wrongtype', 'name: wrongtype\ndescription: d\nworkload:\n  type: startup\nrounds: five\n');
    expect(message).toBe(`${file}:5:9: rounds: expected a whole number from 1 to 10000, got "five"`);
  });

  it('a quoted number is still a string', async () => {
    const { file, message } = await problems('quoted', 'name: quoted\ndescription: d\nworkload: { type: startup }\nwarmup: "2"\n');
    expect(message).toBe(`${file}:4:9: warmup: expected a whole number from 0 to 1000, got "2"`);
  });

  it('unknown field at the top level and inside params, pointing at the key', async () => {
    const { file, message, issues } = await problems(
      'unknown',
      'name: unknown\ndescription: d\nworkload:\n  type: sysbench-cpu\n  params:\n    maxPrime: 5000\n    evnts: 3\nround: 4\n',
    );
    expect(issues.map((i) => `${i.line}:${i.column} ${i.path}`)).toEqual(['7:5 workload.params.evnts', '8:1 round']);
    expect(message).toContain(`${file}:7:5: workload.params.evnts: unknown field; allowed here: maxPrime, events, threads`);
    expect(message).toContain(`${file}:8:1: round: unknown field; allowed here: name, description, workload,`);
  });

  it('bad YAML: syntax error with its line, nothing else validated', async () => {
    const { file, message } = await problems('badyaml', 'name: badyaml\n\tdescription: d\n');
    expect(message).toBe(`${file}:2:1: YAML syntax error: Tabs are not allowed as indentation`);
  });

  it('bad YAML: unclosed flow mapping', async () => {
    const { file, message } = await problems('unclosed', 'name: unclosed\ndescription: x\nworkload: {type: startup\nrounds: 3\n');
    expect(message).toMatch(new RegExp(`^${file}:4:1: YAML syntax error: Flow map .* must .* end with a \\}`));
  });

  it('duplicate keys are a YAML error', async () => {
    const { file, message } = await problems('dupkey', 'name: dupkey\nname: dupkey\n');
    expect(message).toBe(`${file}:2:1: YAML syntax error: Map keys must be unique`);
  });

  it('unknown workload type lists the known ones', async () => {
    const { file, message } = await problems('wl', 'name: wl\ndescription: d\nworkload:\n  type: sysbench-gpu\n');
    expect(message).toBe(
      `${file}:4:9: workload.type: expected a workload type (startup, sysbench-cpu, sysbench-memory, probe-proc, probe-syscall, probe-cpu, probe-fsync, probe-slots, network-stream, network-pingpong, network, command, redis, sqlite, http, fio, compress), got "sysbench-gpu"`,
    );
  });

  it('name must equal the file name', async () => {
    const { file, message } = await problems('mem', 'name: memory\ndescription: d\nworkload: { type: startup }\n');
    expect(message).toBe(`${file}:1:7: name: must equal the file name "mem", got "memory" (rename the file or the scenario)`);
  });

  it('unknown environment names the list index', async () => {
    const { file, message } = await problems('envs', 'name: envs\ndescription: d\nworkload: { type: startup }\nenvironments:\n  - host\n  - lxd\n');
    expect(message).toBe(`${file}:6:5: environments[1]: expected an environment name (host, chroot, container, runc, bwrap, docker, gvisor, nspawn, vm), got "lxd"`);
  });

  it('environments must be "all" or a list', async () => {
    const { file, message } = await problems('envall', 'name: envall\ndescription: d\nworkload: { type: startup }\nenvironments: some\n');
    expect(message).toMatch(new RegExp(`^${file}:4:15: environments: expected "all" or a list of environment names .*, got "some"$`));
  });

  it('params are validated by the workload type', async () => {
    const { file, message } = await problems('params', 'name: params\ndescription: d\nworkload:\n  type: sysbench-cpu\n  params: { maxPrime: 5, events: 0 }\n');
    expect(message).toContain(`${file}:5:23: workload.params.maxPrime: expected a whole number from 100 to 10000000, got 5`);
    expect(message).toContain(`${file}:5:34: workload.params.events: expected a whole number >= 1, got 0`);
  });

  it('missing required field and empty value', async () => {
    const { file, message } = await problems('missing', 'name: missing\nworkload: { type: startup }\nwarmup:\n');
    expect(message).toContain(`${file}:1:1: description: required field is missing (expected a one-line text)`);
    expect(message).toContain(`${file}:3:1: warmup: expected a whole number from 0 to 1000, got an empty value`);
  });

  it('collects every problem of a file in one message, in line order', async () => {
    const { file, message, issues } = await problems(
      'many',
      'name: other\ndescription: d\nworkload:\n  type: startup\n  params: { x: 1 }\nrounds: 0\nlimits: { memoryMiB: 1.5 }\nextra: 1\n',
    );
    expect(issues.map((i) => i.path)).toEqual(['name', 'workload.params.x', 'rounds', 'limits.memoryMiB', 'extra']);
    expect(message.split('\n')[0]).toBe(`5 problems in scenario file ${file}:`);
    expect(message).toContain(`${file}:6:9: rounds: expected a whole number from 1 to 10000, got 0`);
    expect(message).toContain(`${file}:7:22: limits.memoryMiB: expected a whole number >= 4, got 1.5`);
  });

  it('empty file and non-mapping document', async () => {
    expect((await problems('empty', '# nothing\n')).message).toMatch(/empty\.yaml:1:1: the file is empty/);
    expect((await problems('list', '- a\n- b\n')).message).toMatch(/list\.yaml:1:1: expected a mapping \(key: value lines\), got a list$/);
  });

  it('unreadable file', async () => {
    const err = await rejection(() => loadScenarioFile(`${tmp.dir}/nope.yaml`));
    expect(err).toBeInstanceOf(ScenarioError);
    expect(err.code).toBe('SCENARIO_UNREADABLE');
    expect(err.message).toBe(`${tmp.dir}/nope.yaml: cannot read the scenario file: no such file`);
  });
});
