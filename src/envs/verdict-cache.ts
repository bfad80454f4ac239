import { readFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { writeFileAtomic } from '../core/atomic-write.js';

/**
 * Some availability checks cost seconds because they must try the real thing
 * (a KVM probe boot that hangs until its deadline under PVM, a gVisor platform
 * that hangs under nested KVM). Their verdicts cannot change while the host
 * keeps its boot, its kernel and the tools involved, so they are stored in the
 * home keyed by all of these, and served until one of them changes (or a
 * backstop age passes). ISOBENCH_REPROBE=1 or --reprobe forces a fresh probe.
 */

/** Entries older than this are probed again even on the same boot. */
export const VERDICT_MAX_AGE_MS = 7 * 24 * 3600 * 1000;

export const REPROBE_ENV = 'ISOBENCH_REPROBE';

/** What every cached verdict depends on: this boot of this kernel. */
export interface BootIdentity {
  bootId: string;
  kernelRelease: string;
}

/** The host's boot (a fresh random id per boot, from the kernel) and kernel release. */
export function bootIdentity(): BootIdentity {
  let bootId = 'unknown';
  try { bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || 'unknown'; } catch { /* no procfs: key by kernel release only */ }
  return { bootId, kernelRelease: os.release() };
}

/** A stable short hash of the key parts (order-independent). */
export function verdictKey(parts: Record<string, string>): string {
  const sorted = Object.fromEntries(Object.entries(parts).sort(([a], [b]) => a.localeCompare(b)));
  return crypto.createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 16);
}

interface Entry<T> {
  probedAt: string;
  parts: Record<string, string>;
  value: T;
}

export interface Verdict<T> {
  value: T;
  /** ISO time of the probe that produced the value (an earlier run's when cached). */
  probedAt: string;
  /** True when the value came from the file, not from a probe in this call. */
  cached: boolean;
  key: string;
}

export interface VerdictOptions {
  /** Probe even when a fresh entry exists (--reprobe), and store the new result. */
  fresh?: boolean;
  now?: () => Date;
  maxAgeMs?: number;
}

/**
 * The verdict stored in `file` under the key of `parts` if young enough,
 * else compute() and store it. One file per kind of probe holds
 * { [key]: { probedAt, parts, value } }; entries past the age limit are
 * dropped on every write, so the file does not grow with every reboot.
 * An unreadable or corrupt file counts as empty; a failed write only costs
 * the next run a probe.
 */
export async function cachedVerdict<T>(file: string, parts: Record<string, string>, compute: () => Promise<T>, o: VerdictOptions = {}): Promise<Verdict<T>> {
  const now = o.now ?? (() => new Date());
  const maxAge = o.maxAgeMs ?? VERDICT_MAX_AGE_MS;
  const key = verdictKey(parts);
  const young = (e: Entry<unknown> | undefined): boolean => !!e && typeof e.probedAt === 'string' && now().getTime() - Date.parse(e.probedAt) < maxAge;
  let all: Record<string, Entry<T>> = {};
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) all = parsed as Record<string, Entry<T>>;
  } catch { /* none yet, or unreadable: probe */ }
  const hit = all[key];
  if (!o.fresh && hit && young(hit) && 'value' in hit) return { value: hit.value, probedAt: hit.probedAt, cached: true, key };
  const probedAt = now().toISOString();
  const value = await compute();
  const kept = Object.fromEntries(Object.entries(all).filter(([, e]) => young(e)));
  kept[key] = { probedAt, parts, value };
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, `${JSON.stringify(kept, null, 2)}\n`);
  } catch { /* read-only home: the verdict stands for this run */ }
  return { value, probedAt, cached: false, key };
}

/** One line for facts and reports: where a verdict came from. */
export function verdictOrigin(v: { cached: boolean; probedAt: string }): string {
  return v.cached
    ? `cached: probed at ${v.probedAt} on this boot with the same kernel and tools (${REPROBE_ENV}=1 or --reprobe probes again)`
    : `probed in this run at ${v.probedAt}`;
}

/** --reprobe, or ISOBENCH_REPROBE=1 in the environment. */
export function reprobeRequested(flag: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  return flag === true || env[REPROBE_ENV] === '1' || env[REPROBE_ENV] === 'true';
}
