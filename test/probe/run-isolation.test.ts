import { readdirSync } from 'node:fs';
import { loopsBackedUnder } from '../../src/probe/escape-sentinels.js';
import { describe, it, expect } from 'vitest';
import path from 'node:path';
import { NATIVE_DIR } from '../../src/core/version.js';
import { HostEnvironment } from '../../src/envs/host/index.js';
import { ChrootEnvironment } from '../../src/envs/chroot/index.js';
import type { Environment, Prepared } from '../../src/envs/types.js';
import { runIsolation } from '../../src/probe/run-isolation.js';
import { shmKeyPresent } from '../../src/probe/sentinels.js';
import { gate } from '../../src/probe/gating.js';
import { tempHome, envContext, probeOnlyImage, unpackProbeOnly } from './helpers.js';

const isRoot = process.getuid?.() === 0;

describe.skipIf(!isRoot)('runIsolation over the real host and chroot backends', () => {
  it('shows the chroot escape, host resources visible from the chroot, and leaves no sentinel', async () => {
    const { home, remove } = tempHome();
    const ctx = envContext(home, 'iso1');
    const envs: Environment[] = [new HostEnvironment(ctx, unpackProbeOnly), new ChrootEnvironment(ctx, { unpack: unpackProbeOnly })];
    const prepared = new Map<string, Prepared>();
    try {
      for (const e of envs) prepared.set(e.name, await e.prepare(probeOnlyImage));
      const r = await runIsolation({
        environments: envs, prepared, nativeDir: NATIVE_DIR, runDir: path.join(home.runs, 'iso1'),
        skipped: [{ name: 'vm', kind: 'vm', status: 'skipped', reason: 'no qemu in this test' }],
      });
      // Each probed environment also records how long its checks took.
      expect(r.envs.map(({ durationMs, ...e }) => e)).toEqual([{ env: 'host', status: 'ok' }, { env: 'chroot', status: 'ok' }, { env: 'vm', status: 'skipped', reason: 'no qemu in this test' }]);
      for (const e of r.envs.slice(0, 2)) expect(e.durationMs).toBeGreaterThan(0);
      expect(r.checks).toHaveLength(34);
      const get = (env: string, check: string) => r.checks.find((c) => c.env === env && c.check === check)!;
      expect(get('chroot', 'chroot-escape')).toMatchObject({ outcome: 'contradicts' });
      expect(get('chroot', 'chroot-escape').evidence).toContain('"escaped":"present-token"');
      for (const c of ['processes', 'ipc', 'network']) expect(get('chroot', c).outcome, c).toBe('as-claimed');
      expect(get('chroot', 'network').evidence).toContain('"listener_token":true');
      expect(r.checks.filter((c) => c.env === 'host' && c.outcome === 'contradicts')).toEqual([]);
      // The escape routes are open from a chroot: host devices, the host's cgroup root, the host's binaries.
      for (const c of ['devices', 'syscalls', 'cgroup-escape', 'host-binary']) expect(get('chroot', c).outcome, c).toBe('as-claimed');
      expect(get('chroot', 'cgroup-escape').observed).toContain('HOST\'s root');
      const sentinel = r.hostFacts.sentinel as { pid: number; shmKey: number; file: string };
      expect(r.hostFacts.leftovers).toBeUndefined();
      expect(shmKeyPresent(sentinel.shmKey)).toBe(false);
      expect(() => process.kill(sentinel.pid, 0)).toThrow();
      // The loop device and the sentinel cgroups went with the run.
      const esc = r.hostFacts.escapeSentinels as { loop: { device: string; file: string } | string; cgroup: string };
      if (typeof esc.loop === 'object') {
        expect(get('chroot', 'devices').observed).toContain('read the host\'s token');
        expect(await loopsBackedUnder(home.root)).toEqual([]);
      }
      const roots = readdirSync('/sys/fs/cgroup').map((h) => path.join('/sys/fs/cgroup', h));
      expect([...roots, '/sys/fs/cgroup'].filter((d) => { try { return readdirSync(d).includes(esc.cgroup); } catch { return false; } })).toEqual([]);
    } finally {
      for (const e of envs) await e.cleanup();
      remove();
    }
  });

  it('an environment that fails to run the probe is reported failed, and the sentinels still go away', async () => {
    const { home, remove } = tempHome();
    const broken: Environment = {
      name: 'container', kind: 'container',
      available: async () => ({ ok: true }),
      prepare: async () => ({ env: 'container', imageDigest: probeOnlyImage.digest }),
      start: async () => { throw new Error('engine exploded on purpose'); },
      wait: async () => { throw new Error('unreachable'); },
      cleanup: async () => {},
    };
    try {
      let seen: { pid: number; shmKey: number } | undefined;
      const r = await runIsolation({
        environments: [broken], prepared: new Map([['container', await broken.prepare(probeOnlyImage)]]),
        nativeDir: NATIVE_DIR, runDir: path.join(home.runs, 'iso2'),
        unprepared: [{ name: 'vm', reason: 'available but could not be prepared (qemu died)' }],
      });
      seen = r.hostFacts.sentinel as { pid: number; shmKey: number };
      expect(r.envs).toEqual([
        { env: 'container', status: 'failed', reason: 'engine exploded on purpose', durationMs: expect.any(Number) },
        { env: 'vm', status: 'failed', reason: 'available but could not be prepared (qemu died)' },
      ]);
      // A broken engine or VM is a regression, not a skip.
      expect(gate(r).failures).toEqual([
        'container: the isolation probe failed to run: engine exploded on purpose',
        'vm: the isolation probe failed to run: available but could not be prepared (qemu died)',
      ]);
      expect(r.checks).toEqual([]);
      expect(shmKeyPresent(seen.shmKey)).toBe(false);
      expect(r.hostFacts.leftovers).toBeUndefined();
    } finally {
      remove();
    }
  });
});
