import path from 'node:path';
import type { Environment, Limits, Prepared } from '../envs/types.js';
import type { EnvironmentInfo } from '../results/types.js';
import type { IsolationResults } from '../results/isolation.js';
import { buildCheckArgv, scratchInside } from './check-argv.js';
import { collectHostFacts } from './host-facts.js';
import { runChecksIn } from './run-checks.js';
import { sentinelLeftovers, startSentinels } from './sentinels.js';
import { escapeFacts, startEscapeSentinels, type EscapeSentinels } from './escape-sentinels.js';

export interface IsolationRunOptions {
  environments: Environment[];
  prepared: Map<string, Prepared>;
  /** Environments known but not run (EnvironmentInfo with status 'skipped'), reported with their reason. */
  skipped?: EnvironmentInfo[];
  /** Environments that were available but could not be prepared: reported as failed (a broken engine must not pass as skipped). */
  unprepared?: { name: string; reason: string }[];
  nativeDir: string;
  /** A directory of this run the harness owns; the sentinel file goes in a subdir of it. */
  runDir: string;
  progress?: (line: string) => void;
  /** Memory limit for container-kind environments, so the memory check has a limit to hit. */
  containerMemoryMiB?: number;
  timeoutMs?: number;
}

/** Defaults, in one place. 64 MiB: enough for the probe, small enough that 64 MiB more is cheap to touch. */
export const ISOLATION_DEFAULTS = { containerMemoryMiB: 64, timeoutMs: 120_000 } as const;

/** Limits per environment kind: only containers get a cgroup limit; the VM is bounded by its own RAM. */
function limitsFor(kind: Environment['kind'], memMiB: number): Limits {
  return kind === 'container' ? { memoryMiB: memMiB } : {};
}

/**
 * Records host facts, starts the sentinels, runs the probe's checks in every
 * prepared environment (one after another: the checks are quick and the
 * memory check must not compete with anything), classifies them, and removes
 * every sentinel whatever happens.
 */
export async function runIsolation(opts: IsolationRunOptions): Promise<IsolationResults> {
  const progress = opts.progress ?? (() => {});
  const memMiB = opts.containerMemoryMiB ?? ISOLATION_DEFAULTS.containerMemoryMiB;
  const host = await collectHostFacts(opts.nativeDir);
  const sentinels = await startSentinels({ nativeDir: opts.nativeDir, dir: path.join(opts.runDir, 'isolation') });
  const results: IsolationResults = {
    hostFacts: { ...host, sentinel: { pid: sentinels.pid, shmKey: sentinels.shmKey, shmKeyHex: `0x${sentinels.shmKey.toString(16)}`, port: sentinels.port, file: sentinels.filePath } },
    envs: [],
    checks: [],
  };
  let escape: EscapeSentinels | undefined;
  try {
    escape = await startEscapeSentinels({ dir: path.join(opts.runDir, 'isolation-escape'), nativeDir: opts.nativeDir });
    results.hostFacts.escapeSentinels = {
      loop: escape.loop ? { device: escape.loop.device, majorMinor: `${escape.loop.major}:${escape.loop.minor}`, file: escape.loop.file } : (escape.loopError ?? 'none'),
      cgroup: escape.cgroupName,
      cgroupDirs: escape.cgroupDirs.length,
      hostBinaries: escape.hostBinaries.map((b) => `${b.path} (${b.dev}:${b.ino})`),
    };
    for (const env of opts.environments) {
      const prepared = opts.prepared.get(env.name);
      if (!prepared) {
        results.envs.push({ env: env.name, status: 'skipped', reason: 'not prepared in this run' });
        continue;
      }
      const limits = limitsFor(env.kind, memMiB);
      const argv = buildCheckArgv(sentinels, { memLimitMiB: limits.memoryMiB ?? 0, scratch: scratchInside(), extraFacts: escapeFacts(escape) });
      progress(`isolation: probing ${env.name}`);
      const t0 = performance.now();
      const run = await runChecksIn(env, prepared, host, { argv, limits, timeoutMs: opts.timeoutMs ?? ISOLATION_DEFAULTS.timeoutMs });
      const durationMs = Math.round((performance.now() - t0) * 10) / 10;
      results.envs.push(run.status === 'ok' ? { env: env.name, status: 'ok', durationMs } : { env: env.name, status: 'failed', reason: run.reason, durationMs });
      results.checks.push(...run.checks);
      if (run.status === 'ok') {
        const contra = run.checks.filter((c) => c.outcome === 'contradicts').map((c) => c.check);
        progress(`isolation: ${env.name}: ${run.checks.filter((c) => c.outcome === 'as-claimed').length} as claimed${contra.length ? `, contradicts: ${contra.join(', ')}` : ''}`);
      } else {
        progress(`isolation: ${env.name} failed: ${run.reason}`);
      }
    }
    for (const u of opts.unprepared ?? []) {
      if (!results.envs.some((e) => e.env === u.name)) results.envs.push({ env: u.name, status: 'failed', reason: u.reason });
    }
    for (const s of opts.skipped ?? []) {
      if (!results.envs.some((e) => e.env === s.name)) results.envs.push({ env: s.name, status: 'skipped', reason: s.reason ?? 'not available here' });
    }
  } finally {
    await escape?.stop();
    await sentinels.stop();
  }
  const left = await sentinelLeftovers(sentinels);
  if (left.length) results.hostFacts = { ...results.hostFacts, leftovers: left };
  return results;
}
