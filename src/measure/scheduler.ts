import type { Environment, Prepared, RunPresentation } from '../envs/types.js';
import type { EnvResult, EnvResultFailed, EnvResultOk, Sample, ScenarioResult } from '../results/types.js';
import type { Scenario } from '../scenario/schema.js';
import { planScenario, type ScenarioPlan } from '../scenario/plan.js';
import { jsonRecordSchema } from '../results/common.js';
import { BenchError, describeError, HostRequirementError } from '../core/errors.js';
import { LaunchError } from '../envs/launch-errors.js';
import { RunFailedError, runOnce } from './one-run.js';
import { finishScenario, scenarioMetrics } from './summarize-env.js';
import type { ProgressSink, RunStep } from './progress.js';
import { startHostPeer, type HostPeer } from './host-peer.js';
import { NATIVE_DIR } from '../core/version.js';
import type { Ledger } from '../core/run-ledger.js';

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
  /** Where helper processes (host peers) are recorded for gc. */
  ledger?: Ledger;
}

/** The plan of a scenario over the environments that are ready, in slot (report) order. */
function planOver(s: Scenario, slots: EnvSlot[]): ScenarioPlan {
  return planScenario(s, slots.filter((x) => x.state === 'ready').map((x) => x.env.name));
}

/** Number of runs a scenario will make on the environments that are ready. */
export function plannedRuns(s: Scenario, slots: EnvSlot[]): number {
  return planOver(s, slots).runs.length;
}

/** The plan's runs grouped into passes: one per (phase, round), environments in plan order. */
function passesOf(plan: ScenarioPlan): { warmup: boolean; round: number; envs: string[] }[] {
  const passes: { warmup: boolean; round: number; envs: string[] }[] = [];
  for (const run of plan.runs) {
    const warmup = run.phase === 'warmup';
    const last = passes[passes.length - 1];
    if (last && last.warmup === warmup && last.round === run.round) last.envs.push(run.env);
    else passes.push({ warmup, round: run.round, envs: [run.env] });
  }
  return passes;
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
}

/**
 * One scenario across environments. Warm-up rounds, then measured rounds in
 * which every environment runs once per round (A B C, A B C ... so slow drift
 * of the machine hits all alike). The start of each round rotates (A B C,
 * B C A, C A B) so no environment always runs right after another one: that
 * would turn cache or frequency effects of the predecessor into order bias.
 * An environment that fails stops for this scenario and is recorded as
 * failed with its error and output tail; the others go on.
 */
export async function runScenario(s: Scenario, slots: EnvSlot[], opts: ScenarioRunOptions): Promise<ScenarioResult> {
  const wanted = slots.filter((x) => s.environments.includes(x.env.name));
  const live: Live[] = wanted.filter((x): x is Live['slot'] => x.state === 'ready').map((slot) => ({ slot, warmup: [], samples: [] }));

  // The scheduler runs the plan's runs (scenario/plan.ts), pass by pass.
  const passes = passesOf(planOver(s, slots));
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
        opts.counter.total -= passes.length; // none of its runs will happen
      }
    }
  }
  // Ctrl-C ends the scenario between runs; what was measured so far is kept
  // and returned (marked interrupted) so the caller can save it before stopping.
  let interrupted = false;
  try {
    passes: for (const [p, pass] of passes.entries()) {
      const inPass = live.filter((l) => pass.envs.includes(l.slot.env.name));
      for (const l of rotate(inPass, p)) {
        if (opts.signal?.aborted) { interrupted = true; break passes; }
        if (l.failure || l.skipped) continue;
        opts.counter.done++;
        const step: RunStep = {
          scenario: s.name,
          env: l.slot.env.name,
          round: pass.warmup ? 0 : pass.round,
          rounds: s.rounds,
          warmup: pass.warmup,
          index: opts.counter.done,
          total: opts.counter.total,
        };
        opts.progress.runStarted(step);
        const t0 = performance.now();
        try {
          const { sample, commandLine, presentation } = await runOnce(l.slot.env, l.slot.prepared, s, pass.round, peers.get(l));
          (pass.warmup ? l.warmup : l.samples).push(sample);
          l.commandLine ??= commandLine;
          l.presentation ??= presentation;
          opts.progress.runFinished(step, { ok: true, ms: performance.now() - t0 });
        } catch (err) {
          if (opts.signal?.aborted) {
            // A terminal's Ctrl-C signals the whole process group, so the run in
            // flight dies with the harness's SIGINT: that is not the
            // environment's failure. The run is dropped; the others are kept.
            opts.progress.runFinished(step, { ok: false, ms: performance.now() - t0, error: `interrupted by ${stopLabel(opts.signal)}: this run is discarded` });
            interrupted = true;
            break passes;
          }
          l.failure = failedResult(l, err);
          opts.progress.runFinished(step, { ok: false, ms: performance.now() - t0, error: describeError(err).message });
          // The runs this environment will not make no longer count toward the ETA.
          const remaining = passes.length - p - 1;
          opts.counter.total -= remaining;
        }
      }
    }
  } finally {
    // Also when interrupted: no peer outlives its scenario.
    for (const peer of peers.values()) await peer.stop().catch(() => {});
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
    };
    return ok;
  });
  const metrics = scenarioMetrics(s.metrics);
  finishScenario(s.name, envs, metrics, s.definition.comparability?.bind(s.definition));
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
