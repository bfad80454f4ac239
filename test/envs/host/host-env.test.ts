import { describe, it, expect, afterEach } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { HostEnvironment, mapArgv } from '../../../src/envs/host/index.js';
import type { HostPrepared } from '../../../src/envs/host/index.js';
import { fixtureImage, fixtureUnpack, tempContext } from '../chroot/fixture-rootfs.js';

const invocation = (argv: string[], token = `tok${Math.random().toString(36).slice(2)}`) => ({ argv, token, env: {}, timeoutMs: 10_000, limits: {} });

describe('mapArgv', () => {
  it('rewrites image paths only', () => {
    expect(mapArgv(['/isobench/probe', 'proc', '3', '/isobench/probe', 'ready', 'x'], '/r')).toEqual(['/r/isobench/probe', 'proc', '3', '/r/isobench/probe', 'ready', 'x']);
    expect(mapArgv(['/usr/bin/sysbench', '--file=/tmp/f', 'cpu', '/dev/null', '/proc/self', '/tmpfoo'], '/r')).toEqual(['/r/usr/bin/sysbench', '--file=/r/tmp/f', 'cpu', '/dev/null', '/proc/self', '/tmpfoo']);
  });
});

describe('host backend (real processes)', () => {
  let dispose: (() => Promise<void>) | undefined;
  afterEach(async () => { await dispose?.(); dispose = undefined; });

  it('runs the image copy of the probe, times startup and exit, and cleans up', async () => {
    const t = await tempContext('isobench-host-');
    dispose = t.dispose;
    const env = new HostEnvironment(t.ctx, fixtureUnpack);
    expect((await env.available()).ok).toBe(true);
    const p = (await env.prepare(fixtureImage)) as HostPrepared;
    expect(p.imageDigest).toBe(fixtureImage.digest);
    const r = await env.start(p, invocation(['/isobench/probe', 'syscall', '1000']));
    expect(r.commandLine[0]).toBe(path.join(p.rootfs, 'isobench/probe'));
    const startup = await r.ready;
    const out = await env.wait(r);
    expect(startup).toBeGreaterThan(0);
    expect(out.exitMs).toBeGreaterThanOrEqual(out.startupMs);
    expect(out.exitCode).toBe(0);
    expect(out.output).toMatch(/^isobench\.result syscalls_per_sec=[0-9.]+ 1\/s\nisobench\.result syscalls_per_sec_whole=[0-9.]+ 1\/s\nisobench\.result slices=1 1\n/);
    // The workload's cwd is the image's scratch dir.
    const pwd = await env.start(p, invocation(['/bin/busybox', 'pwd']));
    expect((await env.wait(pwd)).output.trim()).toBe(path.join(p.rootfs, 'tmp'));
    await env.cleanup();
    expect(existsSync(p.rootfs)).toBe(false);
    await env.cleanup();
  });

  it('cleanup kills a run still going', async () => {
    const t = await tempContext('isobench-host-');
    dispose = t.dispose;
    const env = new HostEnvironment(t.ctx, fixtureUnpack);
    const p = await env.prepare(fixtureImage);
    const r = await env.start(p, invocation(['/bin/busybox', 'sleep', '30']));
    await r.ready;
    const t0 = Date.now();
    await env.cleanup();
    expect(Date.now() - t0).toBeLessThan(3000);
    await expect(env.wait(r)).resolves.toMatchObject({ exitCode: 137 });
  });
});
