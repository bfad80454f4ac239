import { describe, it, expect, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { ContainerEnvironment } from '../../src/envs/container/index.js';
import { RuncEnvironment } from '../../src/envs/runc/index.js';
import { BwrapEnvironment } from '../../src/envs/bwrap/index.js';
import type { Environment } from '../../src/envs/types.js';
import type { EnvContext } from '../../src/envs/context.js';
import { handImage } from './hand-image.js';
import { NATIVE_DIR } from '../../src/core/version.js';
import { networkLeftovers } from '../../src/engine/network/index.js';
import { whichSync } from '../../src/envs/container/shared.js';
import { makeTestHome, skipReason, type TestHome } from '../engine/fixtures/hand-rootfs.js';

/**
 * Network workloads on the engine bridge: each run that has a host peer gets
 * its own veth, given back when wait() sees the run end, or by cleanup() for
 * a run never waited; the bridge the peer holds goes with the teardown.
 */
const reason = skipReason();

let t: TestHome | undefined;
afterEach(() => { t?.cleanup(); t = undefined; });

async function vethPerRun(make: (ctx: EnvContext, snapshots: () => Promise<string[]>) => Environment): Promise<void> {
  t = makeTestHome();
  const home = t.home;
  const lower = t.lower;
  const env = make({ home, nativeDir: NATIVE_DIR, runId: `n${process.pid}`, log: () => {} }, async () => [lower]);
  const p = await env.prepare(handImage(home.store));
  try {
    const peer = await env.peerAddress!(p);
    const subnet = peer.connect.split('.').slice(0, 3).join('.');
    const base = { env: {}, timeoutMs: 20_000, limits: {}, hostPeer: true };
    const r = await env.start(p, { ...base, argv: ['/bin/sh', '-c', 'ip -4 addr'], token: `tok${Math.random().toString(36).slice(2)}` });
    const out = await env.wait(r);
    expect(out.exitCode, out.output).toBe(0);
    expect(out.output).toContain(`inet ${subnet}.`);
    // The run's veth and netns went with wait(); the bridge and the peer's lease stay for the next run.
    const afterWait = await networkLeftovers(home);
    expect(afterWait.filter((l) => /^(veth|netns) /.test(l))).toEqual([]);
    expect(afterWait.some((l) => l.startsWith('bridge '))).toBe(true);

    const live = await env.start(p, { ...base, argv: ['/bin/sleep', '30'], token: `tok${Math.random().toString(36).slice(2)}` });
    await live.ready;
    expect((await networkLeftovers(home)).some((l) => l.startsWith('netns '))).toBe(true);
  } finally {
    await env.cleanup();
  }
  expect(await networkLeftovers(home)).toEqual([]);
  expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(home.root);
}

describe.skipIf(reason !== '')(`a veth per networked run, given back at its end ${reason}`, () => {
  it('container (our engine)', async () => {
    await vethPerRun((ctx, snapshots) => new ContainerEnvironment(ctx, { snapshots }));
  }, 60_000);

  it.skipIf(!whichSync('runc'))('runc (joins the netns by path in its bundle)', async () => {
    await vethPerRun((ctx, snapshots) => new RuncEnvironment(ctx, snapshots));
  }, 60_000);

  it.skipIf(!whichSync('bwrap') || !whichSync('nsenter'))('bwrap (under nsenter --net)', async () => {
    await vethPerRun((ctx, snapshots) => new BwrapEnvironment(ctx, snapshots));
  }, 60_000);
});
