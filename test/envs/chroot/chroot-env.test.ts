import { describe, it, expect, afterEach } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { parseMountInfo, writableOutsideViews } from '../../../src/core/mount-views.js';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ChrootEnvironment, parseMountPoints } from '../../../src/envs/chroot/index.js';
import type { ChrootPrepared } from '../../../src/envs/chroot/index.js';
import { fixtureImage, fixtureUnpack, tempContext } from './fixture-rootfs.js';

const isRoot = process.getuid?.() === 0;
const invocation = (argv: string[]) => ({ argv, token: `tok${Math.random().toString(36).slice(2)}`, env: {}, timeoutMs: 10_000, limits: {} });
const mountsBelow = async (dir: string) => parseMountPoints(await readFile('/proc/self/mountinfo', 'utf8')).filter((m) => m === dir || m.startsWith(`${dir}/`));

describe.skipIf(!isRoot)('chroot backend (real mounts, as root)', () => {
  let dispose: (() => Promise<void>) | undefined;
  afterEach(async () => { await dispose?.(); dispose = undefined; });

  it('runs the probe inside the chroot with /proc, /dev, /sys, then leaves no mount behind', async () => {
    const t = await tempContext('isobench-chroot-');
    dispose = t.dispose;
    const env = new ChrootEnvironment(t.ctx, { unpack: fixtureUnpack });
    expect(await env.available()).toMatchObject({ ok: true });
    const p = (await env.prepare(fixtureImage)) as ChrootPrepared;
    const runDir = path.dirname(p.root);
    try {
      expect(await mountsBelow(p.root)).toEqual(expect.arrayContaining([p.root, `${p.root}/proc`, `${p.root}/dev`, `${p.root}/sys`]));
      // Nothing under the run dir is a writable view of a host path: rm -rf of it could not reach the host.
      expect(writableOutsideViews(t.home.root)).toEqual([]);
      const info = parseMountInfo(readFileSync('/proc/self/mountinfo', 'utf8'));
      const at = (m: string) => info.filter((e) => e.mountPoint === m).at(-1);
      expect(at(`${p.root}/dev`)?.fsType).toBe('tmpfs');
      expect(at(`${p.root}/dev/pts`)?.fsType).toBe('devpts');
      expect(at(`${p.root}/proc`)).toMatchObject({ fsType: 'proc', readOnly: true });
      expect(at(`${p.root}/sys`)).toMatchObject({ fsType: 'sysfs', readOnly: true });
      const devs = await env.start(p, invocation(['/bin/busybox', 'sh', '-c', 'ls /dev; echo x > /dev/null && head -c 4 /dev/urandom | wc -c && test -c /dev/zero && test -d /dev/pts && test -d /dev/shm && echo dev-ok; touch /proc/x 2>&1 || echo proc-ro']));
      const devOut = (await env.wait(devs)).output;
      expect(devOut).toContain('dev-ok');
      expect(devOut).toContain('proc-ro');
      expect(devOut).not.toMatch(/\bsda|vda|loop0\b/);
      const r = await env.start(p, invocation(['/isobench/probe', 'syscall', '1000']));
      expect(r.commandLine.slice(1, 4)).toEqual([p.root, '/isobench/probe', 'ready']);
      expect(await r.ready).toBeGreaterThan(0);
      const out = await env.wait(r);
      expect(out.exitCode).toBe(0);
      expect(out.output).toMatch(/^isobench\.result syscalls_per_sec=/);
      // Inside, / is the tree (busybox is only there) and /proc, /dev work.
      const ls = await env.start(p, invocation(['/bin/busybox', 'sh', '-c', 'ls /; test -e /proc/self/status && test -c /dev/null && test -d /sys/kernel && echo mounts-ok']));
      const lsOut = (await env.wait(ls)).output;
      expect(lsOut).toContain('isobench');
      expect(lsOut).toContain('mounts-ok');
    } finally {
      await env.cleanup();
    }
    expect(await mountsBelow(runDir)).toEqual([]);
    expect(existsSync(runDir)).toBe(false);
    // The host's /dev is intact (nothing was deleted through the bind).
    expect(existsSync('/dev/null')).toBe(true);
    await env.cleanup();
  });

  it('cleans up mounts even when a run is still going', async () => {
    const t = await tempContext('isobench-chroot-');
    dispose = t.dispose;
    const env = new ChrootEnvironment(t.ctx, { unpack: fixtureUnpack });
    const p = (await env.prepare(fixtureImage)) as ChrootPrepared;
    const r = await env.start(p, invocation(['/bin/busybox', 'sleep', '30']));
    await r.ready;
    await env.cleanup();
    expect(await mountsBelow(path.dirname(p.root))).toEqual([]);
    await expect(env.wait(r)).resolves.toMatchObject({ exitCode: 137 });
  });
});
