import { describe, it, expect } from 'vitest';
import { gate, gateOptionsOf } from '../../src/probe/gating.js';
import type { IsolationResults } from '../../src/results/isolation.js';
import { check, typicalIsolation } from '../claims/synthetic.js';

function iso(envs: IsolationResults['envs'], checks = typicalIsolation().checks): IsolationResults {
  return { hostFacts: typicalIsolation().hostFacts, envs, checks: checks.filter((c) => envs.some((e) => e.env === c.env && e.status === 'ok')) };
}

describe('verify gate', () => {
  it('passes when every required environment was probed and holds', () => {
    const g = gate(typicalIsolation(), { require: ['container', 'vm'], allowSkip: false });
    expect(g).toMatchObject({ ok: true, failures: [], contradictions: [], untested: [] });
  });

  it('a required environment that was skipped fails the gate as untested, unless skips are allowed', () => {
    const i = iso([{ env: 'host', status: 'ok' }, { env: 'container', status: 'skipped', reason: 'needs root' }]);
    const strict = gate(i, { require: ['container'], allowSkip: false });
    expect(strict.ok).toBe(false);
    expect(strict.contradictions).toEqual([]);
    expect(strict.untested).toEqual(['container: required but skipped: needs root']);
    expect(gate(i, { require: ['container'], allowSkip: true }).ok).toBe(true);
  });

  it('a required environment that was not run at all is untested; a failed probe is untested even with --allow-skip', () => {
    const i = iso([{ env: 'host', status: 'ok' }, { env: 'vm', status: 'failed', reason: 'qemu died' }]);
    const g = gate(i, { require: ['container', 'vm'], allowSkip: false });
    expect(g.untested).toEqual(['container: required but not run (not selected with --env)', 'vm: the isolation probe failed to run: qemu died']);
    expect(gate(i, { require: ['container', 'vm'], allowSkip: true }).untested).toEqual(['vm: the isolation probe failed to run: qemu died']);
  });

  it('only required environments\' contradictions fail it', () => {
    const i = typicalIsolation();
    i.checks.push(check('container', 'network', 'contradicts', 'connected'));
    expect(gate(i, { require: ['container'], allowSkip: false }).contradictions).toEqual(['network@container: expected network expected; observed connected']);
    // chroot escapes in typicalIsolation: a finding, unless someone requires chroot.
    expect(gate(i, { require: ['vm'], allowSkip: false }).ok).toBe(true);
    expect(gate(i, { require: ['chroot'], allowSkip: false }).contradictions).toHaveLength(1);
    expect(gate(i, { require: [], allowSkip: false }).ok).toBe(true);
  });

  it('reads the gate a results file was judged with, defaulting to container+vm with skips allowed', () => {
    expect(gateOptionsOf({ options: { scenarios: [], envs: [] } })).toEqual({ require: ['container', 'vm'], allowSkip: true });
    expect(gateOptionsOf({ options: { scenarios: [], envs: [], gate: { require: ['vm'], allowSkip: false } } })).toEqual({ require: ['vm'], allowSkip: false });
  });
});
