/**
 * Paired slots: a run in an environment on the host's kernel takes turns with
 * a host companion on one CPU, slot by slot (src/native/probe/slots.c), and
 * the run's figure against the host is the median of its slots' ratios to
 * their partners (src/stats/paired.ts says why and how the interval is made).
 *
 * The harness picks the schedule: the first period starts `lead` ms from now
 * on CLOCK_MONOTONIC (process.hrtime is that clock on Linux, and every
 * environment with `hostClock` reads the same one), long enough for the
 * environment to start its process; the companion takes phase 0, the run
 * phase 1; both pin themselves to the same CPU, the highest the harness may
 * use. The companion is the host's own probe, a child of the harness that
 * dies with it, and it ends by itself when its schedule does.
 *
 * An instance with its own clock (a VM's or gVisor's session:
 * Session.ownClock) pairs too: its process tree (QEMU, the sandbox) is
 * pinned to that CPU, timed reads of the guest's
 * clock just before each run (the fastest of the recent ones counts) give
 * the offset of the two clocks (src/envs/session/clock.ts), and the guest's
 * side gets the same schedule in its own time, on its CPU 0.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NATIVE_DIR } from '../core/version.js';
import { ProcessError } from '../core/errors.js';
import { dieWithParent, recordChild } from '../core/owned-process.js';
import { NO_LEDGER, type Ledger } from '../core/run-ledger.js';
import type { Session, WorkloadInvocation } from '../envs/types.js';
import { ClockTracker, type ClockOffset } from '../envs/session/clock.js';
import type { SlotSchedule } from '../scenario/workloads/index.js';
import type { RunOutcome } from './one-run.js';
import { parseSlotRates } from '../scenario/workloads/index.js';
import { slotPairRatio } from '../stats/index.js';

/**
 * Lead before the first slot: 20 ms and twice the environment's last start (spawn to ready), at most 3 s. A run
 * that starts later only loses its first slots (they find no partner); a longer lead would idle every run.
 */
export function leadMs(lastStartupMs: number | undefined): number {
  return Math.min(3000, 20 + 2 * Math.max(0, lastStartupMs ?? 100));
}

/** Highest CPU in a Cpus_allowed_list ("0-3,6"), or -1 when it cannot be read. */
export function highestCpu(allowedList: string | undefined): number {
  if (!allowedList) return -1;
  let top = -1;
  for (const part of allowedList.trim().split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (m) top = Math.max(top, Number(m[2] ?? m[1]));
  }
  return top;
}

/** The CPU paired runs share: the highest the harness itself may run on. */
export function pairCpu(status = safeRead('/proc/self/status')): number {
  return highestCpu(/^Cpus_allowed_list:\s*(\S+)/m.exec(status ?? '')?.[1]);
}

function safeRead(p: string): string | undefined {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

/** A schedule starting `lead` ms from now, for the environment's side (phase 1). */
export function scheduleFrom(lead: number, cpu: number, now = process.hrtime.bigint()): SlotSchedule {
  return { t0Ns: now + BigInt(Math.round(lead * 1e6)), phase: 1, cpu };
}

export interface Companion {
  readonly argv: string[];
  /** Its stdout once it exits 0; rejects with its stderr otherwise. */
  readonly done: Promise<string>;
  kill(): void;
}

/** Clock reads before a run of an instance with its own clock, and before its first (the tracker keeps the last ones: the fastest counts). */
export const CLOCK_READS = 3;
export const FIRST_CLOCK_READS = 16;

/**
 * The offset of an instance's own clock to the host's: a few more timed
 * reads (many before the first run), and the fastest round trip among the
 * tracker's recent reads.
 */
export async function measureOffset(own: NonNullable<Session['ownClock']>, tracker = new ClockTracker()): Promise<ClockOffset> {
  const reads = tracker.size === 0 ? FIRST_CLOCK_READS : CLOCK_READS;
  for (let i = 0; i < reads; i++) tracker.add(await own.read());
  const offset = tracker.offset();
  if (!offset) throw new ProcessError('PAIR_NO_CLOCK', 'no clock read of the instance came back in order');
  return offset;
}

/** The environment's side in an instance's own clock: the host's schedule moved by the offset, on the instance's CPU 0 (its host threads are pinned to the host's CPU). */
export function inOwnClock(host: SlotSchedule, offset: ClockOffset): SlotSchedule {
  return { t0Ns: host.t0Ns + offset.offsetNs, phase: host.phase, cpu: 0 };
}

/**
 * Starts the host side of a paired run: the run's own argv (built for the
 * image) with the host's probe in place of the image's, phase 0, and the
 * host's schedule and CPU (the environment's may be in its own clock).
 */
export function startCompanion(envArgv: readonly string[], host: SlotSchedule, ledger: Ledger = NO_LEDGER, nativeDir = NATIVE_DIR): Companion {
  const i = envArgv.indexOf('slots');
  if (i < 0 || envArgv.length < i + 7) throw new ProcessError('PAIR_NOT_SLOTS', `a paired run must be a probe "slots" command, got: ${envArgv.join(' ')}`);
  // slots WORK T0_NS PERIOD_US PAIRS PHASE CPU [PARAM]: the same period and pairs, the host's start and CPU, the other phase.
  const args = envArgv.slice(i);
  args[2] = String(host.t0Ns);
  args[5] = '0';
  args[6] = String(host.cpu);
  const argv = dieWithParent([path.join(nativeDir, 'isobench-probe'), ...args]);
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  recordChild(ledger, child, argv);
  let out = '';
  let err = '';
  child.stdout?.on('data', (b: Buffer) => { out += b.toString(); });
  child.stderr?.on('data', (b: Buffer) => { err += b.toString(); });
  const done = new Promise<string>((resolve, reject) => {
    child.once('error', (e) => reject(new ProcessError('PAIR_COMPANION_FAILED', `host companion ${argv.join(' ')} did not start: ${e.message}`, { cause: e })));
    child.once('close', (code, signal) => {
      if (code === 0) resolve(out);
      else reject(new ProcessError('PAIR_COMPANION_FAILED', `host companion ${argv.join(' ')} ended with ${signal ?? `status ${code}`}${err.trim() ? `: ${err.trim().slice(-300)}` : ''}`));
    });
  });
  // Awaited only after the environment's run: until then a failure must not count as unhandled.
  done.catch(() => {});
  return {
    argv,
    done,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** Attempts of a paired run whose slots did not line up (each with twice the lead): a start slower than usual misses a short schedule. */
export const PAIR_ATTEMPTS = 3;

/** The error says the run's slots missed the companion's: it started too late (or every slot did), worth another try with more lead. */
export function misaligned(err: unknown): boolean {
  if (err instanceof ProcessError && err.code === 'PAIR_MISALIGNED') return true;
  const tail = (err as { outputTail?: unknown } | undefined)?.outputTail;
  return err instanceof ProcessError && typeof tail === 'string' && /slots: every one of \d+ slots/.test(tail);
}

/** Fewest slot pairs a run must have for its paired figure: fewer means the two schedules did not line up. */
export const MIN_PAIRS = 3;

/**
 * The paired figures of one run from its output and its companion's:
 * paired_ratio (median slot ratio) and pairs. Throws when fewer than
 * MIN_PAIRS slots met a partner: the environment's clock or start did not
 * keep the schedule, and a ratio from a handful of slots would be a guess.
 */
export function pairedMetrics(envOutput: string, hostOutput: string, env: string): { paired_ratio: number; pairs: number } {
  const r = slotPairRatio(parseSlotRates(envOutput), parseSlotRates(hostOutput));
  if (!r || r.pairs < MIN_PAIRS) {
    throw new ProcessError('PAIR_MISALIGNED', `${env}: only ${r?.pairs ?? 0} of the run's time slots met the host companion's (need ${MIN_PAIRS})`, {
      hint: 'the environment started after its slots had passed, or does not share the host\'s CLOCK_MONOTONIC (then it must not set hostClock)',
    });
  }
  return { paired_ratio: r.ratio, pairs: r.pairs };
}

/**
 * One measured run with its host companion: `run` starts the environment's
 * side with its schedule (`envSlots`, the host's `slots` unless the
 * instance keeps its own clock; the companion starts, from the run's own
 * argv, just before the environment's process does); the outcome's metrics
 * gain paired_ratio and pairs. The companion never outlives the run.
 */
export async function runPaired(
  slots: SlotSchedule, env: string, run: (o: { slots: SlotSchedule; beforeStart: (inv: WorkloadInvocation) => void }) => Promise<RunOutcome>, ledger: Ledger = NO_LEDGER, envSlots: SlotSchedule = slots,
): Promise<RunOutcome> {
  let companion: Companion | undefined;
  try {
    const outcome = await run({ slots: envSlots, beforeStart: (inv) => { companion = startCompanion(inv.argv, slots, ledger); } });
    if (!companion) throw new ProcessError('PAIR_NO_COMPANION', `${env}: the run started without its host companion`);
    Object.assign(outcome.sample.metrics, pairedMetrics(outcome.output, await (companion as Companion).done, env));
    return outcome;
  } finally {
    (companion as Companion | undefined)?.kill();
  }
}

