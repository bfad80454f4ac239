import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { parseScenarioText, planMatrix, type Scenario } from '../../src/scenario/index.js';

function scenario(name: string, extra = ''): Scenario {
  return parseScenarioText(`name: ${name}\ndescription: d\nworkload: { type: startup }\n${extra}`, `/virtual/${name}.yaml`);
}

const label = (r: { scenario: Scenario; env: string; phase: string; round: number }): string =>
  `${r.scenario.name}:${r.env}:${r.phase === 'warmup' ? 'w' : 'r'}${r.round}`;

describe('planMatrix', () => {
  it('warm-up then rounds, environments interleaved A B A B, scenario by scenario', () => {
    const a = scenario('a', 'rounds: 2\nwarmup: 1\n');
    const b = scenario('b', 'rounds: 1\nwarmup: 0\n');
    const plan = planMatrix([a, b], ['host', 'chroot']);
    expect(plan.runs.map(label)).toEqual([
      'a:host:w1', 'a:chroot:w1',
      'a:host:r1', 'a:chroot:r1',
      'a:host:r2', 'a:chroot:r2',
      'b:host:r1', 'b:chroot:r1',
    ]);
    expect(plan.totalRuns).toBe(8);
    expect(plan.pairs.map((p) => `${p.scenario.name}:${p.env}`)).toEqual(['a:host', 'a:chroot', 'b:host', 'b:chroot']);
    expect(plan.scenarios[0]?.runs.length).toBe(6);
  });

  it('environment order follows envNames; a scenario can exclude environments', () => {
    const s = scenario('s', 'environments: [vm, host]\nrounds: 1\nwarmup: 0\n');
    const plan = planMatrix([s], ['host', 'chroot', 'vm']);
    expect(plan.runs.map(label)).toEqual(['s:host:r1', 's:vm:r1']);
    expect(plan.scenarios[0]?.excludedEnvs).toEqual(['chroot']);
  });

  it('--rounds/--warmup override every scenario', () => {
    const plan = planMatrix([scenario('a', 'rounds: 9\nwarmup: 3\n')], ['host'], { rounds: 2, warmup: 0 });
    expect(plan.runs.map(label)).toEqual(['a:host:r1', 'a:host:r2']);
    expect(plan.scenarios[0]).toMatchObject({ rounds: 2, warmup: 0 });
  });

  it('rejects bad overrides and unknown environments', () => {
    const a = scenario('a');
    expect(() => planMatrix([a], ['host'], { rounds: 0 })).toThrow(ConfigError);
    expect(() => planMatrix([a], ['host'], { rounds: 1.5 })).toThrow(/--rounds: expected a whole number from 1 to 10000, got 1.5/);
    expect(() => planMatrix([a], ['host'], { warmup: -1 })).toThrow(/--warmup/);
    expect(() => planMatrix([a], ['host', 'lxd'])).toThrow(/unknown environment "lxd"; valid: host, chroot/);
  });

  it('no environments -> empty plan', () => {
    expect(planMatrix([scenario('a')], []).totalRuns).toBe(0);
  });
});
