import { describe, it, expect, afterEach } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { ContainerEnvironment } from '../../../src/envs/container/index.js';
import { RuncEnvironment } from '../../../src/envs/runc/index.js';
import { BwrapEnvironment } from '../../../src/envs/bwrap/index.js';
import type { Environment } from '../../../src/envs/types.js';
import { handImage } from '../hand-image.js';
import { NATIVE_DIR } from '../../../src/core/version.js';
import { makeTestHome, skipReason, hashTree, type TestHome } from '../../engine/fixtures/hand-rootfs.js';
import { whichSync } from '../../../src/envs/container/shared.js';

const reason = skipReason();

let t: TestHome | undefined;
afterEach(() => { t?.cleanup(); t = undefined; });

async function roundTrip(make: (t: TestHome) => Environment): Promise<void> {
  t = makeTestHome();
  const env = make(t);
  const avail = await env.available();
  expect(avail.ok, avail.reason).toBe(true);
  const before = hashTree(t.lower);
  const p = await env.prepare(handImage(t.home.store));
  try {
    for (let i = 0; i < 2; i++) {
      const token = `tok${i}x${Math.random().toString(36).slice(2)}`;
      const r = await env.start(p, { argv: ['/bin/sh', '-c', 'echo out-$((1+1)); hostname; echo w > /tmp/f; cat /proc/self/status | grep NoNewPrivs'], token, env: {}, timeoutMs: 10_000, limits: { memoryMiB: 128, pids: 64 } });
      const ms = await r.ready;
      expect(ms).toBeGreaterThan(0);
      const out = await env.wait(r);
      expect(out.exitCode).toBe(0);
      expect(out.output).toContain('out-2');
      expect(out.output).toContain('container');
      expect(out.output).toMatch(/NoNewPrivs:\s+1/);
    }
  } finally {
    await env.cleanup();
  }
  expect(hashTree(t.lower)).toBe(before);
  expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(t.home.root);
  expect(existsSync(`/sys/fs/cgroup/memory/isobench-${t.home.tag}`)).toBe(false);
}

describe.skipIf(reason !== '')(`container/runc/bwrap backends over a hand-made rootfs ${reason}`, () => {
  const ctx = (t: TestHome) => ({ home: t.home, nativeDir: NATIVE_DIR, runId: `t${process.pid}`, log: () => {} });
  const snaps = (t: TestHome) => async () => [t.lower];

  it('container: new container per round, output, limits, nothing left after cleanup', async () => {
    await roundTrip((t) => new ContainerEnvironment(ctx(t), { snapshots: snaps(t) }));
  });

  it.skipIf(!whichSync('runc'))('runc: bundle over an overlay of the same snapshots', async () => {
    await roundTrip((t) => new RuncEnvironment(ctx(t), snaps(t)));
  });

  it.skipIf(!whichSync('bwrap'))('bwrap: over an overlay of the same snapshots', async () => {
    await roundTrip((t) => new BwrapEnvironment(ctx(t), snaps(t)));
  });
});

describe('container.weaken test option', () => {
  it('maps items to engine options and rejects unknown ones', async () => {
    const { weakenedOptions } = await import('../../../src/envs/container/weaken.js');
    expect(weakenedOptions(undefined)).toEqual({});
    const w = weakenedOptions('caps,masks,nnp,net');
    expect(w.capabilities).toBe('all');
    expect(w.maskedPaths).toEqual([]);
    expect(w.noNewPrivileges).toBe(false);
    expect(w.namespaces).not.toContain('net');
    expect(w.namespaces).toContain('pid');
    expect(() => weakenedOptions('pivot')).toThrow(/unknown item/);
  });
});

describe.skipIf(reason !== '')(`cleanup ${reason}`, () => {
  it('concurrent cleanup calls share one teardown and leave nothing', async () => {
    t = makeTestHome();
    const tt = t;
    const env = new ContainerEnvironment({ home: tt.home, nativeDir: NATIVE_DIR, runId: `c${process.pid}`, log: () => {} }, { snapshots: async () => [tt.lower] });
    const p = await env.prepare(handImage(tt.home.store));
    const r = await env.start(p, { argv: ['/bin/sleep', '30'], token: 'tokc', env: {}, timeoutMs: 10_000, limits: {} });
    await r.ready;
    await Promise.all([env.cleanup(), env.cleanup()]);
    await env.cleanup();
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(tt.home.root);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(tt.home.containers)).toEqual([]);
  });
});
