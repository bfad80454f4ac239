import { describe, expect, it } from 'vitest';
import { classify } from '../../src/probe/expectations.js';
import type { HostFacts } from '../../src/probe/host-facts.js';

const host = { bootId: 'aaaa-host', kernelRelease: '6.1.0', hostname: 'h', ns: {}, hypervisor: { bit: false, vendor: null, brand: 'X' }, memTotalMiB: 1000 } as unknown as HostFacts;

describe('per-runtime expectations', () => {
  it('gVisor without boot_id but another uname -r: its own kernel, as its model says; our engine would contradict', () => {
    const line = { check: 'kernel', boot_id: 'error:ENOENT', release: '4.4.0' } as never;
    const g = classify({ check: 'kernel', env: 'gvisor', kind: 'container', line, host });
    expect(g.outcome).toBe('as-claimed');
    expect(g.observed).toContain('uname -r 4.4.0');
    expect(classify({ check: 'kernel', env: 'container', kind: 'container', line, host }).outcome).toBe('contradicts');
  });

  it('nspawn: a random boot_id on the host kernel is not counted as another kernel', () => {
    const line = { check: 'kernel', boot_id: 'bbbb-random', release: '6.1.0' } as never;
    expect(classify({ check: 'kernel', env: 'nspawn', kind: 'container', line, host }).outcome).toBe('not-applicable');
  });

  it('runtimes without an override use the container column', () => {
    const line = { check: 'kernel', boot_id: 'aaaa-host', release: '6.1.0' } as never;
    expect(classify({ check: 'kernel', env: 'runc', kind: 'container', line, host }).outcome).toBe('as-claimed');
    expect(classify({ check: 'kernel', env: 'docker', kind: 'container', line, host }).outcome).toBe('as-claimed');
  });
});
