import { accessSync, existsSync, constants } from 'node:fs';
import path from 'node:path';
import type { HomePaths } from '../../core/home.js';
import type { Accelerator } from '../../results/types.js';
import { cachedVerdict, verdictKey, VERDICT_MAX_AGE_MS, type BootIdentity, type VerdictOptions } from '../verdict-cache.js';

/**
 * What /dev/kvm is on this host. "pvm" is the case that matters here: the
 * host kernel provides PVM (pagetable-based virtualization, module kvm_pvm,
 * "kvm-pvm" in dmesg), which runs only PVM-enlightened guest kernels; an
 * ordinary kernel crawls through KVM's instruction emulator and never boots.
 * /dev/kvm opening fine therefore proves nothing: only a probe boot does.
 */
export type KvmFlavor = 'absent' | 'no-access' | 'pvm' | 'kvm';

export interface KvmHostInfo {
  flavor: KvmFlavor;
  detail: string;
}

export interface KvmFsView {
  exists(p: string): boolean;
  readWrite(p: string): boolean;
}

const realFs: KvmFsView = {
  exists: (p) => existsSync(p),
  readWrite: (p) => { try { accessSync(p, constants.R_OK | constants.W_OK); return true; } catch { return false; } },
};

export function detectKvmFlavor(fs: KvmFsView = realFs): KvmHostInfo {
  if (!fs.exists('/dev/kvm')) return { flavor: 'absent', detail: 'no /dev/kvm (no KVM module loaded, or nested virtualization off)' };
  if (!fs.readWrite('/dev/kvm')) return { flavor: 'no-access', detail: '/dev/kvm is not readable and writable by this user' };
  if (fs.exists('/sys/module/kvm_pvm')) {
    return { flavor: 'pvm', detail: '/dev/kvm is PVM (module kvm_pvm): pagetable-based virtualization that only runs PVM-enlightened guest kernels' };
  }
  const vendor = fs.exists('/sys/module/kvm_intel') ? 'kvm_intel' : fs.exists('/sys/module/kvm_amd') ? 'kvm_amd' : 'kvm';
  return { flavor: 'kvm', detail: `/dev/kvm present (${vendor})` };
}

export interface ProbeBootResult {
  ok: boolean;
  /** Spawn -> marker (ok) or -> giving up. */
  ms: number;
  detail: string;
}

/** Boots the guest kernel with KVM and reports whether its init's marker arrived within timeoutMs. */
export type ProbeBoot = (timeoutMs: number) => Promise<ProbeBootResult>;

export interface AccelDecision {
  accelerator: Accelerator;
  /** One sentence for doctor, manifest and reports. */
  reason: string;
  kvm: KvmHostInfo;
  probe?: ProbeBootResult;
  /** ISO time the decision was made (cached decisions keep theirs). */
  decidedAt: string;
  /** Cache key: guest kernel + QEMU version + KVM flavour and module + boot id + host kernel. */
  key: string;
  /** Set when the decision came from the home's cache (an earlier run's probe on this boot). */
  cached?: boolean;
}

export async function decideAccelerator(kvm: KvmHostInfo, probe: ProbeBoot, timeoutMs: number, key: string, now: () => Date = () => new Date()): Promise<AccelDecision> {
  const decidedAt = now().toISOString();
  if (kvm.flavor === 'absent' || kvm.flavor === 'no-access') {
    return { accelerator: 'tcg', reason: `emulated (TCG): ${kvm.detail}`, kvm, decidedAt, key };
  }
  let result: ProbeBootResult;
  try {
    result = await probe(timeoutMs);
  } catch (e) {
    result = { ok: false, ms: timeoutMs, detail: `probe boot failed: ${(e as Error).message}` };
  }
  if (result.ok) {
    return { accelerator: 'kvm', reason: `KVM: a probe boot reached user space in ${Math.round(result.ms)} ms`, kvm, probe: result, decidedAt, key };
  }
  const why = kvm.flavor === 'pvm'
    ? `${kvm.detail}; a probe boot of the guest kernel with KVM did not reach user space within ${timeoutMs} ms`
    : `/dev/kvm exists but a probe boot with KVM did not reach user space within ${timeoutMs} ms (${result.detail})`;
  return { accelerator: 'tcg', reason: `emulated (TCG): ${why}`, kvm, probe: result, decidedAt, key };
}

/**
 * What the probe's verdict depends on: the guest kernel (its file's hash),
 * the QEMU version, /dev/kvm's flavour and module, and this boot of this host
 * kernel (boot_id changes with every boot, so a module loaded or unloaded
 * across a reboot is probed again).
 */
export function accelCacheParts(p: { kernelSha256: string; qemuVersion: string; kvm: KvmHostInfo; boot: BootIdentity }): Record<string, string> {
  return { kernelSha256: p.kernelSha256, qemuVersion: p.qemuVersion, kvmFlavor: p.kvm.flavor, kvmDetail: p.kvm.detail, bootId: p.boot.bootId, hostKernel: p.boot.kernelRelease };
}

export function accelCacheKey(parts: Record<string, string>): string {
  return verdictKey(parts);
}

export function accelCacheFile(home: HomePaths): string {
  return path.join(home.cache, 'vm', 'accelerator.json');
}

/** Decisions older than this are probed again, even on the same boot. */
export const ACCEL_CACHE_MAX_AGE_MS = VERDICT_MAX_AGE_MS;

/**
 * The cached decision for these key parts if young enough, else compute()
 * (given the key) and store it; `fresh` (--reprobe) always probes. A cached
 * decision keeps its decidedAt, the time of the probe it came from.
 */
export async function cachedAccelDecision(home: HomePaths, parts: Record<string, string>, compute: (key: string) => Promise<AccelDecision>, o: VerdictOptions = {}): Promise<AccelDecision & { cached: boolean }> {
  const key = accelCacheKey(parts);
  const v = await cachedVerdict(accelCacheFile(home), parts, () => compute(key), o);
  return { ...v.value, decidedAt: v.value.decidedAt ?? v.probedAt, cached: v.cached };
}

/** How a figure is labelled next to every VM number. */
export function acceleratorLabel(a: Accelerator): string {
  return a === 'kvm' ? 'KVM' : 'emulated (TCG)';
}
