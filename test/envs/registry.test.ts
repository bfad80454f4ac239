import { afterEach, describe, expect, it } from 'vitest';
import { ENVIRONMENTS, createEnvironments, environmentNames, type Environment, type EnvironmentEntry } from '../../src/envs/index.js';
import { envList, envOptionHelp, allEnvironments } from '../../src/cli/env-options.js';
import { parseScenarioText, planMatrix } from '../../src/scenario/index.js';
import { resolveHome } from '../../src/core/home.js';

const ctx = { home: resolveHome('/tmp/isobench-unused-home'), nativeDir: '/nonexistent', runId: 'x', log: () => {} };

function dummy(name: string): Environment {
  const reason = 'a table row added by a test';
  const fail = (): never => { throw new Error(reason); };
  return { name, kind: 'container', available: async () => ({ ok: false, reason }), prepare: fail, start: fail, wait: fail, cleanup: async () => {} };
}

describe('the environment table', () => {
  const added: EnvironmentEntry = { name: 'dummy', kind: 'container', description: 'test row', create: () => dummy('dummy') };
  afterEach(() => {
    const i = ENVIRONMENTS.indexOf(added);
    if (i >= 0) ENVIRONMENTS.splice(i, 1);
  });

  it('every row builds the environment it names, in report order', () => {
    const envs = createEnvironments(ctx);
    expect(envs.map((e) => [e.name, e.kind])).toEqual(ENVIRONMENTS.map((e) => [e.name, e.kind]));
    const core = ['host', 'chroot', 'container', 'runc', 'bwrap', 'vm'];
    expect(environmentNames().filter((n) => core.includes(n))).toEqual(core);
    expect(environmentNames()[0]).toBe('host');
    expect(environmentNames().filter((n) => ['docker', 'gvisor', 'nspawn'].includes(n))).toEqual(['docker', 'gvisor', 'nspawn']);
    for (const e of ENVIRONMENTS) expect(e.description.length).toBeGreaterThan(10);
  });

  it('a row added to the table alone is known to the scenario schema, --env, the plan and the run', () => {
    expect(() => envList('dummy')).toThrow(/unknown environment "dummy"/);
    expect(() => parseScenarioText('name: s\ndescription: d\nworkload: { type: startup }\nenvironments: [dummy]\n', '/virtual/s.yaml')).toThrow(/expected an environment name/);

    ENVIRONMENTS.push(added);

    expect(envList('host,dummy')).toEqual(['host', 'dummy']);
    expect(envOptionHelp()).toContain('dummy');
    const s = parseScenarioText('name: s\ndescription: d\nworkload: { type: startup }\nenvironments: [host, dummy]\nrounds: 1\nwarmup: 0\n', '/virtual/s.yaml');
    expect(s.environments).toEqual(['host', 'dummy']);
    const all = parseScenarioText('name: a\ndescription: d\nworkload: { type: startup }\n', '/virtual/a.yaml');
    expect(all.environments.at(-1)).toBe('dummy');
    expect(planMatrix([s], ['host', 'dummy']).runs.map((r) => r.env)).toEqual(['host', 'dummy']);
    expect(allEnvironments(ctx).map((e) => e.name).at(-1)).toBe('dummy');
  });

  it('a row whose backend reports another name is refused', () => {
    ENVIRONMENTS.push({ ...added, create: () => dummy('other') });
    try {
      expect(() => createEnvironments(ctx)).toThrow(/row "dummy" \(container\) built "other"/);
    } finally {
      ENVIRONMENTS.pop();
    }
  });
});
