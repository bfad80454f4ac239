import { describe, it, expect, afterEach } from 'vitest';
import { existsSync } from 'node:fs';
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
