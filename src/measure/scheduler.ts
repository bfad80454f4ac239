import type { Environment, Prepared, RunPresentation, Session } from '../envs/types.js';
import type { EnvResult, EnvResultFailed, EnvResultOk, Sample, ScenarioResult, StopReason } from '../results/types.js';
import type { Scenario } from '../scenario/schema.js';
import { planScenario, type ScenarioPlan } from '../scenario/plan.js';
import { jsonRecordSchema } from '../results/common.js';
import { NATIVE_DIR } from '../core/version.js';
import type { Ledger } from '../core/run-ledger.js';
import { BenchError, describeError, HostRequirementError } from '../core/errors.js';
import { LaunchError } from '../envs/launch-errors.js';
import { invocationFor, RunFailedError, runOnce, type RunOutcome } from './one-run.js';
import { controlShare, logSpread } from '../stats/allocation.js';
import { finishScenario, scenarioMetrics } from './summarize-env.js';
import type { ProgressSink, RunStep } from './progress.js';
import { startHostPeer, type HostPeer } from './host-peer.js';
import { isStartupScenario, look, ownHalfWidth, pairedRatio, samplingPolicy, sequentialRatio, type SamplingOptions, values } from './sampling.js';
import { inOwnClock, leadMs, measureOffset, misaligned, PAIR_ATTEMPTS, pairCpu, runPaired, scheduleFrom } from './paired.js';
import { ClockTracker, type ClockOffset } from '../envs/session/clock.js';
import { stoppingThresholds } from '../claims/thresholds.js';
import { cannotReach, relativeHalfWidth } from '../stats/index.js';
import { nextFactor, scaleParams, SIZE_PROBE_FACTOR, targetRoundMs, type SizePoint } from '../scenario/work-size.js';

/** Fewest measured rounds a budget leaves a cell: three samples make an interval. */
export const BUDGET_FLOOR_ROUNDS = 3;
/**
 * Most runs one environment makes in a round. A round gives each environment
 * about the time one run of the costliest takes, so a 1.5 ms host start gets
 * many runs beside one VM boot; the cap keeps a round short enough that slow
 * drift of the machine still hits every environment alike.
 */
export const BATCH_MAX = 25;
/** Runs shorter than this count as this long when sizing a batch: a batch of instant runs would only be noise. */
const BATCH_MIN_COST_MS = 1;

/** Where each selected environment stands before any scenario runs. */
export type EnvSlot =
  | { env: Environment; state: 'ready'; prepared: Prepared; accelerator?: EnvResultOk['accelerator']; notes?: string[] }
  | { env: Environment; state: 'skipped'; reason: string }
  | { env: Environment; state: 'failed'; error: ReturnType<typeof describeError>; outputTail?: string };

export interface ScenarioRunOptions {
  progress: ProgressSink;
  /** Checked before every run: an aborted run stops here and the caller cleans up. */
  signal?: AbortSignal;
  /** Runs already done / total runs of the whole `bench run`, for the ETA. */
  counter: { done: number; total: number };
  /**
   * Sequential sampling (src/measure/sampling.ts): rounds go on after the
   * scenario's own count until every environment is decided, at max rounds,
   * or out of this scenario's budget. Absent: exactly `rounds` rounds.
   */
  sampling?: SamplingOptions;
  /** Clock for the budget, ms (tests pass a fake one). */
  now?: () => number;
  /** Where helper processes (host peers) are recorded for gc. */
  ledger?: Ledger;
}

/** The plan of a scenario over the environments that are ready, in slot (report) order. */
function planOver(s: Scenario, slots: EnvSlot[]): ScenarioPlan {
  return planScenario(s, slots.filter((x) => x.state === 'ready').map((x) => x.env.name));
}

/** Number of runs a scenario will make on the environments that are ready (its minimum under sequential sampling). */
export function plannedRuns(s: Scenario, slots: EnvSlot[]): number {
  return planOver(s, slots).runs.length;
}

/** Rotates a list left by k: round r starts with a different environment. */
export function rotate<T>(xs: readonly T[], k: number): T[] {
  if (xs.length === 0) return [];
  const n = ((k % xs.length) + xs.length) % xs.length;
  return [...xs.slice(n), ...xs.slice(0, n)];
}

interface Live {
  slot: Extract<EnvSlot, { state: 'ready' }>;
  warmup: Sample[];
  samples: Sample[];
  commandLine?: string[];
  presentation?: RunPresentation;
  failure?: EnvResultFailed;
  /** The environment cannot run this scenario at all (e.g. no network path to the host peer). */
  skipped?: string;
  /** Set once sampling of this environment ended (decided, budget ...). */
  stop?: StopReason;
  looks: number;
  halfWidth?: number;
  /** Its spread at the last look, as the MAD forecasts it: what futility projects from. */
  spread?: number;
  /** At its last look the interval cleared every claim threshold: only the precision target was left. */
  clear?: boolean;
  /**
   * It waits while other cells use the time: 'share', past its even share of the budget (it comes back once the
   * others are done); 'futile', its target out of reach in the time left (it comes back only if that changed, or
   * when no scenario after this one could use the time; else it stops there).
   */
  parked?: 'share' | 'futile';
  /** Wall time of its runs (warm-up included). */
  spentMs: number;
  /** Wall time of its measured runs only, and of its last run: the cost estimate of its next run. */
  measuredMs: number;
  lastMs: number;
  /** Sample size at its last look check (a batch can step over a scheduled look). */
  checkedAt: number;
  /** Work sizing (scenario roundMs): the factor of the next run, the round time it aims at, the params the measured rounds ran. */
  factor: number;
  sizePoints: SizePoint[];
  /** One instance for all of this scenario's runs, when the backend offers it (the VM boots once). */
  session?: Session;
  /** Its session keeps its own clock and its host threads were pinned to the pair CPU (true) or not (false); undefined: not asked. */
  pinned?: boolean;
  /** The recent reads of that clock (paired runs). */
  clock?: ClockTracker;
  targetMs?: number;
  sizedParams?: Record<string, unknown>;
}

const isHost = (l: Live): boolean => l.slot.env.kind === 'host';
/** Fewest runs whose spread a futility stop may trust. */
export const FUTILITY_MIN_RUNS = 5;
/** A measured run's cost: the mean of its measured runs, else its last run (a sized scenario's first warm-up does a tenth of the work). */
const costOf = (l: Live): number => (l.samples.length ? l.measuredMs / l.samples.length : l.lastMs);

/**
 * The runs of one round, spread out: an environment with k runs has them at
 * the fractions (i + 1/2) / k of the round, ties in the given (rotated)
 * order. Cheap environments' batches interleave with each other and the host
 * across the whole round, instead of running back to back: the host's
 * startup time here drifts by x2 over seconds, and a batch that sat in one
 * such stretch would bias its cell.
 */
export function roundOrder<T>(members: readonly T[], runs: ReadonlyMap<T, number>): T[] {
  const slots: { at: number; i: number; m: T }[] = [];
  members.forEach((m, i) => {
    const k = runs.get(m) ?? 1;
    for (let j = 0; j < k; j++) slots.push({ at: (j + 0.5) / k, i, m });
  });
  return slots.sort((a, b) => a.at - b.at || a.i - b.i).map((x) => x.m);
}

/**
 * Runs of each member in the next round, in sequential mode: as many as fit
 * in the time one run of the costliest non-host member takes, at least one,
 * at most BATCH_MAX and the rounds cap (none once there: the host, at its
 * cap, stays the baseline without more runs). Equal time per environment and
 * round, not equal runs: a cheap, noisy figure gets many samples and a VM
 * boot few. The host is the baseline of every one of the m ratios: it gets
 * the share of src/stats/allocation.ts (sqrt(m) times that time while the
 * spreads are unknown, Dunnett's rule; less once a cheap, steady host start
 * is known to need far fewer runs than the costly cells it is compared
 * with). Paired cells do not count: their ratios come from their own runs'
 * host companions.
 */
export function batchSizes(costs: readonly { cost: number; host: boolean; left: number; paired?: boolean; spread?: number }[]): number[] {
  const others = costs.filter((c) => !c.host);
  const slice = Math.max(...(others.length ? others : costs).map((c) => c.cost));
  // A paired cell (src/measure/paired.ts) takes its ratio from its own runs' companions, not from the host's runs.
  const compared = others.filter((c) => !c.paired);
  const host = costs.find((c) => c.host);
  const hostShare = host ? controlShare(host, compared) : 1;
  // The cap in runs stays Dunnett's (sqrt(m) x BATCH_MAX): a round's length does not depend on the spreads.
  const hostCap = Math.sqrt(Math.max(1, compared.length));
  return costs.map((c) => {
    const share = c.host ? hostShare : 1;
    const k = Math.min(Math.round(BATCH_MAX * (c.host ? hostCap : 1)), Math.floor((slice * share) / Math.max(c.cost, BATCH_MIN_COST_MS)));
    return Math.max(0, Math.min(c.left, Math.max(1, k)));
  });
}

/**
 * One scenario across environments. Warm-up rounds, then measured rounds in
 * which every environment still sampling runs (A B C, A B C ... so slow drift
 * of the machine hits all alike): once each in the first BUDGET_FLOOR_ROUNDS
 * rounds, then a batch sized to the costliest one's run (batchSizes), its runs
 * spread over the round (roundOrder). The start of each round
 * rotates (A B C, B C A, C A B) so no environment always runs right after
 * another one: that would turn cache or frequency effects of the predecessor
 * into order bias.
 *
 * Fixed mode runs exactly `rounds` rounds. Sequential mode runs at least
 * `rounds`, then looks at each environment's interval on a geometric schedule
 * and stops sampling it once decided; the host (the baseline of every
 * unpaired ratio) runs while any other environment does, and while every
 * one still sampling is paired, only up to the minimum rounds. Before a
 * round that would overrun the scenario's budget the most expensive
 * environment still sampling stops ('budget'), so costly VM boots stop first
 * and cheap noisy figures get the remaining time.
 *
 * An environment that fails stops for this scenario and is recorded as
 * failed with its error and output tail; the others go on.
 */
export async function runScenario(s: Scenario, slots: EnvSlot[], opts: ScenarioRunOptions): Promise<ScenarioResult> {
  const now = opts.now ?? (() => performance.now());
  const t0Scenario = now();
  const policy = samplingPolicy(s, opts.sampling);
  const wanted = slots.filter((x) => s.environments.includes(x.env.name));
  const live: Live[] = wanted.filter((x): x is Live['slot'] => x.state === 'ready').map((slot) => ({ slot, warmup: [], samples: [], looks: 0, spentMs: 0, measuredMs: 0, lastMs: 0, checkedAt: 0, factor: 1, sizePoints: [] }));
  // Work sizing: a scenario with roundMs whose workload declares its work-size params, under sequential sampling
  // (fixed rounds run the params as written). It adds its own sizing run before the warm-up.
  const sizeParams = s.definition.workSize?.length && s.roundMs !== undefined && policy.mode === 'sequential' ? s.definition.workSize : undefined;
  const sizeOf = (factor: number): Record<string, unknown> => (sizeParams ? scaleParams(s.workload.params, sizeParams, factor) : s.workload.params);
  /** The factor a run's params really had once clamped: the first sized param's value against the scenario's. */
  const effectiveFactor = (params: Record<string, unknown>, nominal: number): number => {
    const p = sizeParams?.[0]?.name;
    const a = p ? params[p] : undefined;
    const b = p ? s.workload.params[p] : undefined;
    return typeof a === 'number' && typeof b === 'number' && b > 0 ? a / b : nominal;
  };
  const host = live.find(isHost);
  /**
   * Paired slots (src/measure/paired.ts): a measured run of a pairable workload in an environment on the host's
   * kernel and clock, or in a session whose own clock the harness reads (the VM's, gVisor's), takes turns with a
   * host companion on one CPU; its paired_ratio then gives the cell's ratio.
   */
  const cpu = s.definition.pairable ? pairCpu() : -1;
  const pairs = (l: Live): boolean => s.definition.pairable === true && !isHost(l) && host !== undefined && cpu >= 0 && (l.slot.env.hostClock === true || ownClock(l) !== undefined);
  /** A session that keeps its own clock (the VM's, gVisor's) and whose host threads were asked to take the pair CPU: it pairs through clock reads. */
  const ownClock = (l: Live): Session['ownClock'] => (l.slot.env.hostClock !== true && l.pinned !== undefined ? l.session?.ownClock : undefined);

  // Network workloads: one host-side peer per environment, up before its first run, stopped after the last.
  const peers = new Map<Live, HostPeer>();
  const peerSpec = s.definition.hostPeer?.(s.workload.params);
  if (peerSpec) {
    for (const l of live) {
      try {
        peers.set(l, await startHostPeer(peerSpec, l.slot.env, l.slot.prepared, NATIVE_DIR, opts.ledger));
      } catch (err) {
        if (err instanceof HostRequirementError) l.skipped = err.message;
        else l.failure = failedResult(l, err);
        opts.counter.total -= s.warmup + s.rounds; // none of its runs will happen
      }
    }
  }
  // Rate scenarios (those with a roundMs) share one instance per environment where the backend offers it: a VM boot
  // per round would cost more than the work. Startup, and scenarios run as written, keep a fresh instance per run.
  if (policy.mode === 'sequential' && s.roundMs !== undefined && !isStartupScenario(s)) {
    for (const l of live) {
      if (l.failure || l.skipped || !l.slot.env.openSession) continue;
      try {
        // The network workloads build their argv from the peer address: without it they refuse to.
        const inv = invocationFor(s, undefined, peers.get(l), s.workload.params);
        const session = await l.slot.env.openSession(l.slot.prepared, { env: inv.env, limits: inv.limits, timeoutMs: inv.timeoutMs, ...(inv.hostPeer ? { hostPeer: true } : {}), ...(inv.storage ? { storage: inv.storage } : {}) });
        if (session) l.session = session;
        // Paired slots with an instance on its own clock: its host threads take the pair CPU for this scenario.
        if (session?.ownClock && s.definition.pairable && cpu >= 0 && l.slot.env.hostClock !== true) l.pinned = await session.ownClock.pinTo(cpu);
      } catch (err) {
        l.failure = failedResult(l, err);
      }
    }
  }
  const running = (l: Live): boolean => !l.failure && !l.skipped && !l.stop;
  const others = (): Live[] => live.filter((l) => !isHost(l) && running(l));
  const hostAlone = (): boolean => live.every((l) => isHost(l) || l.skipped !== undefined || l.failure !== undefined);
  /** A cell whose ratio comes from its own runs' host companions: every measured run so far was paired. */
  const pairedOnly = (l: Live): boolean => pairs(l) && l.samples.every((x) => x.metrics.paired_ratio !== undefined);
  /**
   * Whether the host's own runs still serve a ratio. A paired cell's ratio comes from its runs' companions, so
   * once every cell sampling is paired, the host runs only up to the scenario's minimum rounds, for its own
   * figure. Its own interval on a virtual host would not settle anyway (its syscall rate alone moved ±15%
   * between runs): in a full `run all` its runs were 12% of the syscall scenario's time and fed no ratio. A
   * run that could not pair makes its cell unpaired, and the host samples again.
   */
  const hostNeeded = (h: Live, sampling: readonly Live[]): boolean =>
    policy.mode !== 'sequential' || h.samples.length < policy.minRounds || !sampling.every(pairedOnly);
  /** Every undecided environment that is not waiting (parked), and the host while any of them needs its baseline. */
  const roundMembers = (): Live[] => {
    const sampling = others().filter((l) => !l.parked);
    return live.filter((l) => running(l) && (isHost(l) ? (sampling.length > 0 && hostNeeded(l, sampling)) || hostAlone() : sampling.includes(l)));
  };
  /**
   * When only waiting (parked) cells are left: one parked for its share comes back; one parked as hopeless comes
   * back if it can now reach its target in the time left, or when no scenario after this one could use the time
   * (the run's last); else it stops, and its time goes to the next scenario.
   */
  const resumeWaiting = (timeLeftMs: number): void => {
    const waiting = others();
    if (waiting.length === 0 || !waiting.every((l) => l.parked)) return;
    for (const l of waiting) {
      if (l.parked === 'share' || opts.sampling?.last === true || !hopeless(l, timeLeftMs)) l.parked = undefined;
      else l.stop = 'budget';
    }
  };
  /**
   * Claims decided, precision out of reach in the time left (its measured runs' cost, scaled by its spread). The
   * spread is the MAD's forecast, not the interval's own half-width: at 5-7 runs that one rests on the extreme
   * runs, and one run a burst slowed by half made an nspawn cpu cell read ±46% and stop with most of its share unused.
   */
  const hopeless = (l: Live, timeLeftMs: number): boolean =>
    !isHost(l) && l.clear === true && l.spread !== undefined && Number.isFinite(l.spread) && l.samples.length >= FUTILITY_MIN_RUNS && policy.precision !== undefined &&
    cannotReach(l.measuredMs, l.spread, policy.precision, timeLeftMs);

  // Ctrl-C ends the scenario between runs; what was measured so far is kept
  // and returned (marked interrupted) so the caller can save it before stopping.
  let interrupted = false;
  const runOne = async (l: Live, warmup: boolean, round: number): Promise<'ok' | 'failed' | 'interrupted'> => {
    if (opts.signal?.aborted) return 'interrupted';
    opts.counter.done++;
    if (opts.counter.done > opts.counter.total) opts.counter.total = opts.counter.done;
    const step: RunStep = { scenario: s.name, env: l.slot.env.name, round: warmup ? 0 : round, rounds: policy.maxRounds, warmup, index: opts.counter.done, total: opts.counter.total };
    opts.progress.runStarted(step);
    const t0 = performance.now();
    const c0 = now();
    try {
      // The first warm-up of a sized scenario runs a small share of the work: the slowest environment's first run stays short.
      const factor = sizeParams && warmup && l.warmup.length === 0 ? SIZE_PROBE_FACTOR : l.factor;
      const params = sizeOf(factor);
      const go = (o: Parameters<typeof runOnce>[7] = {}) => runOnce(l.slot.env, l.slot.prepared, s, round, peers.get(l), params, l.session, o);
      // A measured run of a paired cell starts its host companion with it; the first waits for the last run's start, twice over.
      const lastStart = (l.samples.at(-1) ?? l.warmup.at(-1))?.startupMs;
      const own = ownClock(l);
      const paired = !warmup && pairs(l);
      let offset: ClockOffset | undefined;
      const pairedOnce = async (lead: number): Promise<RunOutcome> => {
        // An instance on its own clock: its schedule is the host's moved by the offset measured just before.
        offset = own ? await measureOffset(own, (l.clock ??= new ClockTracker())) : undefined;
        const hostSlots = scheduleFrom(lead, cpu);
        return runPaired(hostSlots, l.slot.env.name, go, opts.ledger, offset ? inOwnClock(hostSlots, offset) : hostSlots);
      };
      /** A start slower than the lead allowed misses a short schedule's slots: again, with twice the lead. */
      const pairedRun = async (): Promise<RunOutcome> => {
        for (let attempt = 1, lead = leadMs(lastStart); ; attempt++, lead = Math.min(3000, 2 * lead)) {
          try {
            return await pairedOnce(lead);
          } catch (err) {
            if (attempt >= PAIR_ATTEMPTS || !misaligned(err) || opts.signal?.aborted) throw err;
          }
        }
      };
      const { sample, commandLine, presentation } = paired ? await pairedRun() : await go();
      // Its process pinned itself inside the instance; what counts is whether the instance's host threads are.
      if (paired && own && !l.pinned) sample.metrics.pinned = 0;
      // How well the two clocks were lined up for this run (half the best clock read's round trip), for the reader to judge.
      if (offset) sample.metrics.clock_bound_us = Number(offset.uncertaintyNs) / 1000;
      (warmup ? l.warmup : l.samples).push(sample);
      if (sizeParams && warmup) {
        l.targetMs = targetRoundMs(s.roundMs!, sample.startupMs);
        // The workload's own clock times the work alone: one such point sizes exactly. Otherwise ready→exit, fitted.
        const work = s.definition.workMs?.(params, sample.metrics);
        const point = { factor: effectiveFactor(params, factor), execMs: work ?? sample.execMs };
        if (work !== undefined) l.sizePoints = [point];
        else l.sizePoints.push(point);
        l.factor = nextFactor(l.sizePoints, l.targetMs);
      }
      if (sizeParams && !warmup) l.sizedParams ??= params;
      // The command line a cell shows is the one its measured rounds ran (a sized warm-up ran a smaller share).
      if (!(sizeParams && warmup)) l.commandLine ??= commandLine;
      l.presentation ??= presentation;
      opts.progress.runFinished(step, { ok: true, ms: performance.now() - t0 });
      return 'ok';
    } catch (err) {
      if (opts.signal?.aborted) {
        // A terminal's Ctrl-C signals the whole process group, so the run in
        // flight dies with the harness's SIGINT: that is not the
        // environment's failure. The run is dropped; the others are kept.
        opts.progress.runFinished(step, { ok: false, ms: performance.now() - t0, error: `interrupted by ${stopLabel(opts.signal)}: this run is discarded` });
        return 'interrupted';
      }
      l.failure = failedResult(l, err);
      l.stop = 'failed';
      opts.progress.runFinished(step, { ok: false, ms: performance.now() - t0, error: describeError(err).message });
      // The runs this environment will not make no longer count toward the ETA.
      opts.counter.total -= Math.max(0, s.rounds - l.samples.length);
      return 'failed';
    } finally {
      const ms = now() - c0;
      l.spentMs += ms;
      l.lastMs = ms;
      if (!warmup) l.measuredMs += ms;
    }
  };

  try {
    rounds: {
      // A sized scenario adds its sizing run before the warm-up (src/scenario/work-size.ts).
      const warmups = s.warmup + (sizeParams ? 1 : 0);
      for (let w = 1; w <= warmups; w++) {
        for (const l of rotate(live, w - 1)) {
          if (!running(l)) continue;
          if ((await runOne(l, true, w)) === 'interrupted') { interrupted = true; break rounds; }
        }
      }
      /** Runs each member makes in a round: batches of cheap ones in sequential mode past the floor rounds, else one each. */
      const batchOf = (ms: Live[], batched: boolean): Map<Live, number> => {
        if (policy.mode !== 'sequential' || !batched) return new Map(ms.map((l) => [l, 1]));
        const ks = batchSizes(ms.map((l) => ({ cost: costOf(l), host: isHost(l), left: policy.maxRounds - l.samples.length, paired: pairs(l), spread: logSpread(values(l.samples, s.primaryMetric.name)) })));
        return new Map(ms.map((l, i) => [l, ks[i]!]));
      };
      const roundCost = (ms: Live[], ks: Map<Live, number>): number => ms.reduce((t, l) => t + (ks.get(l) ?? 1) * costOf(l), 0);
      for (let round = 1; round <= policy.maxRounds; round++) {
        let members = roundMembers();
        // The first BUDGET_FLOOR_ROUNDS rounds run once each, unchecked: they are the floor every cell gets.
        const batched = round > BUDGET_FLOOR_ROUNDS;
        /** Each non-host environment's budget share, once past the minimum rounds. */
        let share: number | undefined;
        /** This round's runs per member: batches, each within its budget share when there is one. */
        const plan = (): Map<Live, number> => {
          const ks = batchOf(members, batched);
          if (share !== undefined) for (const [l, k] of ks) if (!isHost(l)) ks.set(l, Math.max(1, Math.min(k, Math.floor((share - l.spentMs) / Math.max(costOf(l), BATCH_MIN_COST_MS)))));
          return ks;
        };
        let batch: Map<Live, number>;
        // Out of budget: past the minimum rounds, each environment still
        // sampling gets an even share of what the host and the stopped ones left,
        // so a VM boot cannot eat the time of cheap figures, and no batch runs
        // past that share; one past it waits (parked) until the others are
        // done, then samples on with what they left. While the whole round
        // would overrun the deadline, batches halve, and with one run each the
        // costliest environment stops. That second rule also applies below the
        // scenario's minimum, down to BUDGET_FLOOR_ROUNDS: a run's budget is
        // kept even when the minimums of all its environments would not fit.
        if (policy.budgetMs !== undefined && round > Math.min(policy.minRounds, BUDGET_FLOOR_ROUNDS)) {
          const deadline = t0Scenario + policy.budgetMs;
          if (round > policy.minRounds) {
            resumeWaiting(deadline - now());
            members = roundMembers();
            // Futility: a cell whose claims are already decided and whose spread says it
            // cannot reach the precision target in all the time left waits here, so its
            // share goes to the cells that can (a noisy VM boot, beside cheap starts).
            // When no cell is left that could use that time, resumeWaiting settles it as for
            // any waiting cell: it stops, and the time goes to the scenarios after this one;
            // in the run's last scenario it samples on. (Without that second step a hopeless
            // cell went on to the budget whenever the others happened to be decided before
            // its first clear look, and stopped early when they were decided after it.)
            for (const l of members.filter((x) => hopeless(x, deadline - now()))) l.parked = 'futile';
            resumeWaiting(deadline - now());
            members = roundMembers();
            const active = members.filter((l) => !isHost(l));
            const pool = policy.budgetMs - live.filter((l) => isHost(l) || !active.includes(l)).reduce((t, l) => t + l.spentMs, 0);
            share = pool / Math.max(1, active.length);
            // Past its share a cell is parked too: it samples on once the others are done, with what they left.
            const over = active.filter((l) => l.spentMs + costOf(l) > share!);
            if (over.length < active.length) for (const l of over) l.parked = 'share';
          }
          members = roundMembers();
          batch = plan();
          while (members.some((l) => !isHost(l)) && now() + roundCost(members, batch) > deadline) {
            if ([...batch.values()].some((k) => k > 1)) {
              for (const [l, k] of batch) batch.set(l, Math.max(1, Math.floor(k / 2)));
              continue;
            }
            const costliest = members.filter((l) => !isHost(l)).sort((a, b) => costOf(b) - costOf(a))[0]!;
            costliest.stop = 'budget';
            resumeWaiting(deadline - now());
            members = roundMembers();
            batch = plan();
          }
          if (members.length === 1 && now() + costOf(members[0]!) > deadline) { members[0]!.stop = 'budget'; members = []; }
        } else {
          batch = plan();
        }
        if (members.length === 0) {
          // Cells still waiting when nothing else runs: the budget ended their sampling.
          for (const l of others()) l.stop ??= 'budget';
          break;
        }
        for (const l of roundOrder(rotate(members, s.warmup + round - 1), batch)) {
          if (!running(l)) continue;
          if ((await runOne(l, false, round)) === 'interrupted') { interrupted = true; break rounds; }
        }
        // A look per environment whose sample size reached the schedule.
        for (const l of members) {
          if (!running(l) || (isHost(l) && others().length > 0)) continue;
          const base = isHost(l) ? [] : host?.samples ?? [];
          const r = look(policy, s, { name: l.slot.env.name, ...(l.slot.accelerator ? { accelerator: l.slot.accelerator } : {}) }, l.samples, base, l.checkedAt);
          l.checkedAt = l.samples.length;
          if (r.looked) l.looks++;
          if (r.halfWidth !== undefined) l.halfWidth = r.halfWidth;
          if (r.spread !== undefined) l.spread = r.spread;
          if (r.clear !== undefined) l.clear = r.clear;
          if (r.stop) l.stop = r.stop;
        }
        if (policy.mode === 'fixed' && round >= policy.maxRounds) break;
      }
    }
  } finally {
    // Also when interrupted: no session or peer outlives its scenario.
    for (const l of live) await l.session?.close().catch(() => {});
    for (const peer of peers.values()) await peer.stop().catch(() => {});
  }
  // Why each environment stopped: the host follows the others (it samples while they do).
  for (const l of live) {
    if (l.failure || l.skipped) continue;
    if (interrupted) l.stop ??= 'interrupted';
    if (policy.mode === 'fixed') l.stop = l.stop === 'interrupted' ? 'interrupted' : 'fixed';
    l.stop ??= 'max-rounds';
  }
  if (host && !host.failure && !host.skipped && policy.mode === 'sequential' && live.length > 1) {
    const reasons = live.filter((l) => l !== host).map((l) => l.stop);
    host.stop = interrupted ? 'interrupted' : (['budget', 'max-rounds', 'precision', 'decided'] as const).find((r) => reasons.includes(r)) ?? host.stop;
    const hw = ownHalfWidth(policy, s, host.samples);
    if (hw !== undefined) host.halfWidth = hw;
  }

  const envs: EnvResult[] = wanted.map((slot) => {
    const base = { env: slot.env.name, kind: slot.env.kind };
    if (slot.state === 'skipped') return { ...base, status: 'skipped', reason: slot.reason };
    if (slot.state === 'failed') return { ...base, status: 'failed', error: slot.error, samples: [], ...(slot.outputTail ? { outputTail: slot.outputTail } : {}) };
    const l = live.find((x) => x.slot === slot)!;
    if (l.failure) return l.failure;
    if (l.skipped) return { ...base, status: 'skipped', reason: l.skipped };
    if (interrupted && l.samples.length === 0) return { ...base, status: 'skipped', reason: `interrupted by ${stopLabel(opts.signal)} before its first timed run` };
    const ok: EnvResultOk = {
      ...base,
      status: 'ok',
      imageDigest: slot.prepared.imageDigest,
      commandLine: l.commandLine ?? [],
      warmup: l.warmup,
      samples: l.samples,
      stats: {},
      ...(slot.accelerator ? { accelerator: slot.accelerator } : {}),
      ...(slot.notes?.length ? { notes: [...slot.notes] } : {}),
      ...(l.presentation ? { presentation: { name: l.presentation.name, description: l.presentation.description } } : {}),
      ...(s.definition.storageBound && l.presentation?.scratchInRam
        ? { comparable: false, comparableReason: `this environment's scratch dir is RAM here (${l.presentation.description}): a storage figure measured in memory is not comparable with a disk` }
        : {}),
      sampling: { rounds: l.samples.length, stop: l.stop ?? 'fixed', looks: l.looks, spentMs: Math.round(l.spentMs), ...(l.halfWidth !== undefined ? { halfWidth: l.halfWidth } : {}) },
      ...(l.session ? { session: { description: l.session.description, ...(l.session.startMs !== undefined ? { startMs: l.session.startMs } : {}), ...(l.session.commandLine ? { commandLine: [...l.session.commandLine] } : {}) } } : {}),
      ...(l.sizedParams && l.targetMs !== undefined
        ? { workSize: { factor: effectiveFactor(l.sizedParams, l.factor), targetMs: Math.round(l.targetMs), params: jsonRecordSchema.parse(l.sizedParams) } }
        : {}),
    };
    return ok;
  });
  const metrics = scenarioMetrics(s.metrics);
  finishScenario(s.name, envs, metrics, s.definition.comparability?.bind(s.definition));
  // The primary metric's interval is the one the stopping rule decided on, so verdicts and the stop reason agree.
  const hostOk = envs.find((e): e is EnvResultOk => e.kind === 'host' && e.status === 'ok');
  for (const e of envs) {
    if (e.status !== 'ok' || e === hostOk || !hostOk || !e.ratioToHost) continue;
    const seq = sequentialRatio(policy, s, e.samples, hostOk.samples) ?? (policy.mode === 'fixed' ? pairedRatio(e.samples, 0.95) : undefined);
    if (seq) {
      e.ratioToHost[s.primaryMetric.name] = seq;
      if (e.sampling) e.sampling.halfWidth = relativeHalfWidth(seq.ratio, seq.lo, seq.hi);
    }
  }
  if (policy.mode === 'sequential') {
    const th = live.filter((l) => !isHost(l)).map((l) => stoppingThresholds(l.slot.env.name, isStartupScenario(s), l.slot.accelerator));
    policy.ratioThresholds = [...new Set(th.flatMap((t) => t.ratio))].sort((a, b) => a - b);
    policy.absoluteThresholdsMs = [...new Set(th.flatMap((t) => t.absoluteMs))].sort((a, b) => a - b);
  }
  return {
    name: s.name,
    description: s.description,
    file: s.file,
    // The scenario's params are what its YAML said, defaults filled: plain JSON, checked as such here.
    workload: { type: s.workload.type, params: jsonRecordSchema.parse(s.workload.params) },
    primaryMetric: s.primaryMetric,
    metrics,
    rounds: s.rounds,
    warmup: s.warmup,
    envs,
    sampling: policy,
    ...(interrupted ? { interrupted: { timedRunsDone: live.reduce((n, l) => n + l.samples.length, 0), timedRunsPlanned: live.length * s.rounds } } : {}),
  };
}

/** Thrown between runs once the user asked to stop (Ctrl-C, SIGTERM); cleanup still runs. */
export class RunInterruptedError extends BenchError {}

export function throwIfInterrupted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new RunInterruptedError('RUN_INTERRUPTED', `interrupted by ${stopLabel(signal)}: stopped between runs; what was measured is in results.json`);
}

/** The signal an abort carries as its reason ('SIGINT', 'SIGTERM'), if any. */
export function stopSignal(signal: AbortSignal | undefined): 'SIGINT' | 'SIGTERM' | undefined {
  const r: unknown = signal?.reason;
  return r === 'SIGINT' || r === 'SIGTERM' ? r : undefined;
}

/** How messages name the stop: "SIGINT (Ctrl-C)", "SIGTERM", or "stop request" when no signal is known. */
export function stopLabel(signal: AbortSignal | undefined): string {
  const s = stopSignal(signal);
  return s === 'SIGINT' ? 'SIGINT (Ctrl-C)' : s ?? 'stop request';
}

function failedResult(l: Live, err: unknown): EnvResultFailed {
  const tail = err instanceof LaunchError || err instanceof RunFailedError ? err.outputTail : undefined;
  const cmd = err instanceof LaunchError || err instanceof RunFailedError ? err.commandLine : l.commandLine;
  return {
    env: l.slot.env.name,
    kind: l.slot.env.kind,
    status: 'failed',
    error: describeError(err),
    samples: l.samples,
    ...(cmd ? { commandLine: cmd } : {}),
    ...(tail ? { outputTail: tail } : {}),
  };
}
