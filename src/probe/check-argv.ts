import crypto from 'node:crypto';
import { IMAGE_PATHS } from '../image/types.js';
import type { SentinelFacts } from './sentinels.js';

export interface CheckArgvOptions {
  /** Memory limit the environment was started with (MiB); 0 or absent = none. */
  memLimitMiB?: number;
  /** Scratch dir inside the environment; must not exist yet (the probe creates and removes it). */
  scratch?: string;
  /** Extra host facts for the escape checks (loop device, sentinel cgroup, host binaries). */
  extraFacts?: Record<string, string>;
}

/** Inside every environment the image's /tmp is the environment's own scratch; the probe adds a fresh subdir. */
export function scratchInside(): string {
  return `${IMAGE_PATHS.scratch}/isobench-check-${crypto.randomBytes(6).toString('hex')}`;
}

/** Percent-encodes everything but [A-Za-z0-9-_.]: the probe's --facts decoder accepts exactly this. */
function enc(v: string): string {
  return v.replace(/[^A-Za-z0-9._-]/g, (c) => Buffer.from(c).toString('hex').replace(/(..)/g, '%$1'));
}

/** k=v,k=v with encoded values: one argv element that no backend rewrites or splits. */
export function encodeFacts(facts: Record<string, string | number>): string {
  return Object.entries(facts).map(([k, v]) => `${k}=${enc(String(v))}`).join(',');
}

/**
 * argv of the isolation workload. The scratch path stays a separate argument:
 * the host arm maps image paths (/tmp/...) to its unpacked copy, which is
 * exactly where its writes belong; the sentinel's host path travels inside
 * --facts so it is never rewritten.
 */
export function buildCheckArgv(s: SentinelFacts, opts: CheckArgvOptions = {}): string[] {
  const facts = encodeFacts({
    pid: s.pid,
    token: s.token,
    'shm-key': s.shmKey,
    port: s.port,
    sentinel: s.filePath,
    'sentinel-token': s.fileToken,
    'mem-limit-mib': Math.max(0, Math.round(opts.memLimitMiB ?? 0)),
    ...(opts.extraFacts ?? {}),
  });
  return [IMAGE_PATHS.probe, 'check', 'all', '--facts', facts, '--scratch', opts.scratch ?? scratchInside()];
}
