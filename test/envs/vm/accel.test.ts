import { describe, it, expect } from 'vitest';
import { mkdtemp, rm, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { detectKvmFlavor, decideAccelerator, cachedAccelDecision, accelCacheFile, accelCacheKey, accelCacheParts, ACCEL_CACHE_MAX_AGE_MS, type KvmFsView, type ProbeBoot } from '../../../src/envs/vm/accel.js';
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
  const kvm = { flavor: 'pvm' as const, detail: 'PVM' };
  const partsOn = (bootId: string) => accelCacheParts({ kernelSha256: 'k1', qemuVersion: '7.2', kvm, boot: { bootId, kernelRelease: '6.18.0' } });

  it('probes once per key (boot, kernel, QEMU, KVM module), then serves the cache until it is too old', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'isobench-accel-'));
    try {
      const home = resolveHome(root);
      let now = new Date('2026-01-01T00:00:00Z');
      let probes = 0;
      const compute = async (key: string) => { probes++; return decideAccelerator(kvm, async (ms) => ({ ok: false, ms, detail: 'timeout' }), 1000, key, () => now); };
      const a = await cachedAccelDecision(home, partsOn('boot-1'), compute, { now: () => now });
      const b = await cachedAccelDecision(home, partsOn('boot-1'), compute, { now: () => now });
      expect(probes).toBe(1);
      expect([a.cached, b.cached]).toEqual([false, true]);
      expect(b.accelerator).toBe('tcg');
      expect(b.decidedAt).toBe('2026-01-01T00:00:00.000Z');
      expect(b.key).toBe(accelCacheKey(partsOn('boot-1')));
      const stored = JSON.parse(await readFile(accelCacheFile(home), 'utf8')) as Record<string, { parts: Record<string, string> }>;
      expect(stored[a.key]?.parts).toMatchObject({ bootId: 'boot-1', kvmFlavor: 'pvm', qemuVersion: '7.2' });
      // A reboot is a new key: probed again.
      await cachedAccelDecision(home, partsOn('boot-2'), compute, { now: () => now });
      expect(probes).toBe(2);
      // --reprobe: probed again although the entry is young.
      const r = await cachedAccelDecision(home, partsOn('boot-2'), compute, { now: () => now, fresh: true });
      expect([r.cached, probes]).toEqual([false, 3]);
      now = new Date(now.getTime() + ACCEL_CACHE_MAX_AGE_MS + 1);
      const c = await cachedAccelDecision(home, partsOn('boot-1'), compute, { now: () => now });
      expect(c.cached).toBe(false);
      expect(probes).toBe(4);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
