import { describe, it, expect } from 'vitest';
import { prepareInLanes } from '../../src/measure/prepare-lanes.js';
import type { Environment } from '../../src/envs/types.js';
import { ENVIRONMENTS } from '../../src/envs/registry.js';
import { resolveHome } from '../../src/core/home.js';

const env = (name: string, independentPrepare?: boolean): Environment => ({ name, independentPrepare } as unknown as Environment);

describe('prepareInLanes', () => {
  it('runs each independent prepare beside one sequential chain of the others', async () => {
    const events: string[] = [];
    const gates = new Map<string, () => void>();
    const running = new Set<string>();
    let maxChainAtOnce = 0;
    const envs = [env('host', true), env('chroot', true), env('container'), env('runc'), env('vm', true)];
    const done = prepareInLanes(envs, async (e) => {
      events.push(`start ${e.name}`);
      running.add(e.name);
      maxChainAtOnce = Math.max(maxChainAtOnce, [...running].filter((n) => n === 'container' || n === 'runc').length);
      await new Promise<void>((r) => gates.set(e.name, r));
      running.delete(e.name);
      events.push(`end ${e.name}`);
    });
    await new Promise((r) => setImmediate(r));
    // The three independent ones and the head of the chain started together; runc waits for container.
    expect([...running].sort()).toEqual(['chroot', 'container', 'host', 'vm']);
    gates.get('container')!();
    await new Promise((r) => setImmediate(r));
    expect(running.has('runc')).toBe(true);
    for (const n of ['host', 'chroot', 'vm', 'runc']) gates.get(n)!();
    await done;
    expect(maxChainAtOnce).toBe(1);
    expect(events.filter((x) => x.startsWith('end')).length).toBe(5);
  });

  it('marks exactly the backends whose prepare touches nothing shared: host, chroot, docker, vm', () => {
    const ctx = { home: resolveHome('/tmp/isobench-lanes-never-created'), nativeDir: '/nonexistent', runId: 'lanes', log: () => {} };
    const flagged = ENVIRONMENTS.map((e) => e.create(ctx)).filter((e) => e.independentPrepare).map((e) => e.name);
    expect(flagged).toEqual(['host', 'chroot', 'docker', 'vm']);
  });
});
