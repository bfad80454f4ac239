import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioError, adhocScenarios, buildCommand, parseOutput, parseScenarioText, splitCommandLine } from '../../../src/scenario/index.js';
import { WorkloadOutputError } from '../../../src/scenario/errors.js';
import { environmentNames } from '../../../src/envs/registry.js';

const scenario = (workload: string, extra = ''): string =>
  `name: mine\ndescription: my command\n${extra}workload:\n  type: command\n  params:\n${workload}`;

function issues(text: string): string[] {
  try {
    parseScenarioText(text, '/x/mine.yaml');
  } catch (e) {
    if (e instanceof ScenarioError) return e.issues.map((i) => `${i.line}:${i.path}: ${i.message}`);
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

describe('command workload: scenario file', () => {
  it('declares its metrics from the params, first one primary', () => {
    const s = parseScenarioText(scenario([
      '    argv: [my-bench, --quick]',
      '    metrics:',
      '      throughput: { regex: "([0-9.]+) MB/s", unit: MB/s, better: higher }',
      '      latency: { regex: "p99 ([0-9.]+) ms", unit: ms, better: lower }',
      '',
    ].join('\n'), 'image: ./img.tar\n'), '/x/mine.yaml');
    expect(s.primaryMetric).toMatchObject({ name: 'throughput', unit: 'MB/s', higherIsBetter: true });
    expect(s.metrics.map((m) => m.name)).toEqual(['throughput', 'latency', 'execMs', 'startupMs']);
    // An archive path is relative to the scenario file.
    expect(s.image).toBe(path.resolve('/x/img.tar'));
  });

  it('without metrics the figure is execMs (ready marker to exit)', () => {
    const s = parseScenarioText(scenario('    shell: "gzip -c /etc/services > /dev/null"\n    timeoutSeconds: 7\n'), '/x/mine.yaml');
    expect(s.primaryMetric.name).toBe('execMs');
    expect(s.timeoutSeconds).toBe(7);
  });

  it('reports bad fields with file:line and field path', () => {
    const got = issues(scenario([
      '    argv: [a]',
      '    shell: "b"',
      '    metrics:',
      '      rate: { regex: "no group here", unit: x, better: higher }',
      '      bad: { regex: "([", unit: x, better: sideways }',
      '    primary: nope',
      '',
    ].join('\n'), 'image: 42\n'));
    expect(got.some((g) => /^3:image: expected an image/.test(g))).toBe(true);
    expect(got.some((g) => /:workload\.params\.metrics\.rate\.regex: needs a capture group/.test(g))).toBe(true);
    expect(got.some((g) => /:workload\.params\.metrics\.bad\.regex: not a valid regular expression/.test(g))).toBe(true);
    expect(got.some((g) => /:workload\.params\.metrics\.bad\.better: expected higher or lower/.test(g))).toBe(true);
    // Every issue carries a real line number.
    for (const g of got) expect(Number(g.split(':')[0])).toBeGreaterThan(0);
  });

  it('checks the params as a whole once each field is valid: argv or shell, primary among the metrics', () => {
    const got = issues(scenario([
      '    argv: [a]',
      '    shell: "b"',
      '    metrics:',
      '      rate: { regex: "([0-9]+)", unit: x, better: higher }',
      '    primary: nope',
      '',
    ].join('\n')));
    expect(got.some((g) => /^7:workload\.params\.shell: give argv or shell, not both/.test(g))).toBe(true);
    expect(got.some((g) => /^10:workload\.params\.primary: not one of the metrics \(rate\)/.test(g))).toBe(true);
  });

  it('refuses a metric named like a harness timing', () => {
    const got = issues(scenario('    argv: [a]\n    metrics:\n      execMs: { regex: "(1)", unit: ms, better: lower }\n'));
    expect(got.join('\n')).toMatch(/metrics\.execMs: "execMs" is measured by the harness/);
  });
});

describe('command workload: build and parse', () => {
  const s = parseScenarioText(scenario([
    '    argv: [bench, "--n", "3"]',
    '    env: { MODE: fast }',
    '    metrics:',
    '      ops: { regex: "^ops/s: ([0-9,.]+)$", unit: 1/s, better: higher }',
    '',
  ].join('\n')), '/x/mine.yaml');

  it('wraps the command in the probe\'s exec with the image\'s workdir, user and env', () => {
    const image = { env: ['PATH=/opt/bin:/usr/bin', 'MODE=slow', 'LANG=C.UTF-8'], entrypoint: ['/entry'], cmd: ['x'], workingDir: '/srv', user: 'app:app' };
    const built = buildCommand(s, { scratchDir: '/tmp', image });
    expect(built.argv).toEqual(['/isobench/probe', 'exec', '--cwd', '/srv', '--user', 'app:app', '--', 'bench', '--n', '3']);
    expect(built.env).toEqual({ PATH: '/opt/bin:/usr/bin', MODE: 'fast', LANG: 'C.UTF-8' });
  });

  it('runs the image\'s entrypoint + cmd when the scenario gives no command, and scenario overrides win', () => {
    const bare = parseScenarioText(scenario('    workdir: /data\n    user: "1000"\n'), '/x/mine.yaml');
    const built = buildCommand(bare, { scratchDir: '/tmp', image: { env: [], entrypoint: ['/entry', '-v'], cmd: ['serve'], workingDir: '/srv', user: 'root' } });
    expect(built.argv).toEqual(['/isobench/probe', 'exec', '--cwd', '/data', '--user', '1000', '--', '/entry', '-v', 'serve']);
    expect(() => buildCommand(bare, { scratchDir: '/tmp', image: { env: [], entrypoint: [], cmd: [], workingDir: '/' } })).toThrow(/no argv or shell/);
  });

  it('shell: runs through /bin/sh -c', () => {
    const sh = parseScenarioText(scenario('    shell: "echo hi | wc -c"\n'), '/x/mine.yaml');
    expect(buildCommand(sh, { scratchDir: '/tmp' }).argv.slice(-3)).toEqual(['/bin/sh', '-c', 'echo hi | wc -c']);
  });

  it('parses each metric from the output (CRLF of a serial console, thousands separators)', () => {
    expect(parseOutput(s, 'warming up\r\nops/s: 12,345.5\r\ndone\r\n')).toEqual({ ops: 12345.5 });
  });

  it('a missing metric is an error naming it, never a guess', () => {
    expect(() => parseOutput(s, 'crashed\n')).toThrow(WorkloadOutputError);
    expect(() => parseOutput(s, 'crashed\n')).toThrow(/metric ops/);
  });
});

describe('bench run --command', () => {
  it('splits a command line like sh (quotes, escapes) without running a shell', () => {
    expect(splitCommandLine(`sh -c "i=0; while [ \\$i -lt 3 ]; do i=\\$((i+1)); done"`)).toEqual(['sh', '-c', 'i=0; while [ $i -lt 3 ]; do i=$((i+1)); done']);
    expect(splitCommandLine(`gzip -c 'a b' c\\ d ""`)).toEqual(['gzip', '-c', 'a b', 'c d', '']);
    expect(() => splitCommandLine('echo "oops')).toThrow(/unterminated " quote/);
  });

  it('makes one command scenario per --command, in every environment, with the image', () => {
    const [a, b] = adhocScenarios(['true', 'sleep 0.1'], '/tmp/img.tar');
    expect(a).toMatchObject({ name: 'command-1', description: 'true', image: '/tmp/img.tar', workload: { type: 'command' } });
    expect(b!.name).toBe('command-2');
    expect(a!.environments).toEqual(environmentNames());
    expect(a!.primaryMetric.name).toBe('execMs');
    expect(() => adhocScenarios(['  '], undefined)).toThrow(/--command 1 is empty/);
  });
});
