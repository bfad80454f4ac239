import { describe, it, expect } from 'vitest';
import { mkdtemp, rm, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { detectKvmFlavor, decideAccelerator, cachedAccelDecision, accelCacheFile, ACCEL_CACHE_MAX_AGE_MS, type KvmFsView, type ProbeBoot } from '../../../src/envs/vm/accel.js';
import { resolveHome } from '../../../src/core/home.js';

function fakeFs(paths: string[], rw = true): KvmFsView {
  return { exists: (p) => paths.includes(p), readWrite: () => rw };
}

describe('detectKvmFlavor', () => {
  it('names PVM when the kvm_pvm module is loaded', () => {
    const k = detectKvmFlavor(fakeFs(['/dev/kvm', '/sys/module/kvm', '/sys/module/kvm_pvm']));
    expect(k.flavor).toBe('pvm');
    expect(k.detail).toMatch(/PVM/);
  });
  it('tells absent, inaccessible and hardware KVM apart', () => {
    expect(detectKvmFlavor(fakeFs([])).flavor).toBe('absent');
    expect(detectKvmFlavor(fakeFs(['/dev/kvm'], false)).flavor).toBe('no-access');
    const hw = detectKvmFlavor(fakeFs(['/dev/kvm', '/sys/module/kvm_intel']));
    expect(hw).toEqual({ flavor: 'kvm', detail: '/dev/kvm present (kvm_intel)' });
  });
});

describe('decideAccelerator', () => {
  const pvm = { flavor: 'pvm' as const, detail: '/dev/kvm is PVM (module kvm_pvm)' };
  const hw = { flavor: 'kvm' as const, detail: '/dev/kvm present (kvm_amd)' };

  it('falls back to TCG with the reason when the probe boot times out (PVM)', async () => {
    let asked = 0;
    const probe: ProbeBoot = async (ms) => { asked = ms; return { ok: false, ms, detail: 'timeout' }; };
    const d = await decideAccelerator(pvm, probe, 3000, 'k');
    expect(asked).toBe(3000);
    expect(d.accelerator).toBe('tcg');
    expect(d.reason).toMatch(/^emulated \(TCG\): .*PVM.*within 3000 ms/);
  });

  it('uses KVM when the probe boot prints its marker', async () => {
    const d = await decideAccelerator(hw, async () => ({ ok: true, ms: 142.4, detail: 'marker printed' }), 3000, 'k');
    expect(d.accelerator).toBe('kvm');
    expect(d.reason).toBe('KVM: a probe boot reached user space in 142 ms');
  });

  it('treats a probe that throws as a failed probe', async () => {
    const d = await decideAccelerator(hw, async () => { throw new Error('qemu: failed to initialize kvm'); }, 3000, 'k');
    expect(d.accelerator).toBe('tcg');
    expect(d.probe?.detail).toMatch(/failed to initialize kvm/);
  });

  it('does not probe when there is no usable /dev/kvm', async () => {
    let probed = false;
    const d = await decideAccelerator({ flavor: 'absent', detail: 'no /dev/kvm' }, async () => { probed = true; return { ok: true, ms: 1, detail: '' }; }, 3000, 'k');
    expect(probed).toBe(false);
    expect(d).toMatchObject({ accelerator: 'tcg', reason: 'emulated (TCG): no /dev/kvm' });
  });
});

describe('cachedAccelDecision', () => {
  it('probes once per key, then serves the cache until it is too old', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'isobench-accel-'));
    try {
      const home = resolveHome(root);
      let now = new Date('2026-01-01T00:00:00Z');
      let probes = 0;
      const compute = async () => { probes++; return decideAccelerator({ flavor: 'pvm', detail: 'PVM' }, async (ms) => ({ ok: false, ms, detail: 'timeout' }), 1000, 'key1', () => now); };
      const a = await cachedAccelDecision(home, 'key1', compute, () => now);
      const b = await cachedAccelDecision(home, 'key1', compute, () => now);
      expect(probes).toBe(1);
      expect([a.cached, b.cached]).toEqual([false, true]);
      expect(b.accelerator).toBe('tcg');
      expect(JSON.parse(await readFile(accelCacheFile(home), 'utf8'))).toHaveProperty('key1.decidedAt', '2026-01-01T00:00:00.000Z');
      await cachedAccelDecision(home, 'key2', compute, () => now);
      expect(probes).toBe(2);
      now = new Date(now.getTime() + ACCEL_CACHE_MAX_AGE_MS + 1);
      const c = await cachedAccelDecision(home, 'key1', compute, () => now);
      expect(c.cached).toBe(false);
      expect(probes).toBe(3);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
