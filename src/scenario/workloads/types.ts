import type * as z from 'zod';
import type { MetricSpec, Sample } from '../../results/types.js';

/**
 * A whole-number param that scales the work linearly while the primary metric
 * (a rate) keeps its meaning: the harness may size it per environment
 * (src/scenario/work-size.ts), within [min, max].
 */
export interface WorkSizeParam {
  name: string;
  min: number;
  max: number;
}

/** What a workload needs to know about the environment it will run in. */
export interface BuildContext {
  /** Writable directory inside the environment (IMAGE_PATHS.scratch, '/tmp'). */
  scratchDir: string;
  /**
   * Unique per invocation (e.g. the ready token). Workloads that create files
   * put it in the name so two runs (or two harnesses on one host) never clash.
   */
  uniqueId?: string;
  /**
   * The host-side peer of a workload with `hostPeer` (network workloads): the
   * address and port the environment reaches it at. Set by the harness.
   */
  peer?: { host: string; port: number };
  /** The process defaults of the image the scenario runs in (its config's Env, Entrypoint, Cmd, WorkingDir, User). */
  image?: { env: string[]; entrypoint: string[]; cmd: string[]; workingDir: string; user?: string };
  /** A `pairable` workload's time slots, set by the harness for the run (src/measure/paired.ts); absent: it starts on its own. */
  slots?: SlotSchedule;
}

/** When a time-slotted run works: periods from t0Ns (CLOCK_MONOTONIC, ns), which half (phase), on which CPU (-1: any). */
export interface SlotSchedule {
  t0Ns: bigint;
  phase: 0 | 1;
  cpu: number;
}

/**
 * A process the harness starts on the host side before an environment's runs
 * of a scenario and stops after them (e.g. the probe's TCP server). In argv,
 * "{probe}" is the host's native probe and "{bind}" the address to listen on
 * (chosen per environment: 127.0.0.1, or the engine bridge's gateway).
 */
export interface HostPeerSpec {
  argv: string[];
  /** Regex matched on the peer's stdout; group 1 is the port it listens on. */
  ready: RegExp;
}

export interface BuiltCommand {
  /** Absolute argv inside the image; the harness prefixes the probe's ready marker. */
  argv: string[];
  env?: Record<string, string>;
}

/**
 * A workload = command builder + output parser. `parse` is pure
 * and throws WorkloadOutputError naming what is missing; it never guesses.
 * Metrics named like a Sample timing field (startupMs, exitMs, execMs) are
 * filled by the harness from its clock, not by parse().
 */
export interface Workload<P = Record<string, unknown>> {
  readonly type: string;
  readonly description: string;
  readonly metrics: readonly MetricSpec[];
  /** Name of the metric reports rank by; one of `metrics`. */
  readonly primary: string;
  /** Validates and fills defaults of `workload.params` in a scenario file. */
  readonly paramsSchema: z.ZodType<P>;
  build(params: P, ctx: BuildContext): BuiltCommand;
  /** Set by workloads that talk to a peer on the host (network scenario); see HostPeerSpec. */
  hostPeer?: (params: P) => HostPeerSpec;
  /** Metrics that depend on the params (a user's command declares its own); default `metrics`/`primary`. */
  metricsFor?: (params: P) => { metrics: MetricSpec[]; primary: string };
  parse(output: string, params?: P): Record<string, number>;
  /**
   * The workload works in time slots (BuildContext.slots) and prints each
   * slot's rate: in an environment on the host's kernel and clock the harness
   * runs a host companion in the other half of every period, on the same CPU,
   * and takes the ratio slot by slot (src/measure/paired.ts).
   */
  readonly pairable?: boolean;
  /** name:tag of the image the workload runs in (default: the workload image); the run builds both. */
  readonly image?: string;
  /**
   * 'disk': the workload's scratch must be a disk-backed writable layer. The
   * VM then boots the image from its base disk + a per-VM qcow2 overlay
   * instead of the initramfs (whose /tmp is RAM). Also set for workloads
   * whose image is too large for an initramfs.
   */
  readonly storage?: 'disk';
  /**
   * The figure measures the storage under the scratch dir: a cell whose
   * scratch is RAM (Running.presentation.scratchInRam) is not comparable.
   */
  readonly storageBound?: boolean;
  /**
   * Reason a cell is not comparable with the host, from the medians of its
   * metrics and the host's (e.g. fio without O_DIRECT where the host had
   * it); undefined when it is.
   */
  comparability?(cell: Record<string, number>, host: Record<string, number>): string | undefined;
  /**
   * Params that set the amount of work and not its kind: scenarios with a
   * `roundMs` get them sized per environment under sequential sampling.
   * Absent: the workload always runs exactly its params.
   */
  readonly workSize?: readonly WorkSizeParam[];
  /**
   * How long a run's work took by the workload's own clock (its parsed
   * metrics), ms: what sizing aims at roundMs, without the process start-up
   * that ready→exit also holds. Absent or undefined: sizing fits ready→exit.
   */
  workMs?(params: P, metrics: Record<string, number>): number | undefined;
}

/** Timing fields every Sample carries; usable as metric names by any workload. */
export const TIMING_METRICS = {
  startupMs: { name: 'startupMs', unit: 'ms', higherIsBetter: false, description: 'spawn to ready marker' },
  exitMs: { name: 'exitMs', unit: 'ms', higherIsBetter: false, description: 'spawn to process exit' },
  execMs: { name: 'execMs', unit: 'ms', higherIsBetter: false, description: 'ready marker to exit (the workload itself)' },
} as const satisfies Record<string, MetricSpec>;

export type TimingMetricName = keyof typeof TIMING_METRICS;

export function isTimingMetric(name: string): name is TimingMetricName {
  return Object.hasOwn(TIMING_METRICS, name);
}

/** Value of a metric in a sample: timing fields from the harness clock, others from parse(). */
export function sampleMetric(sample: Sample, name: string): number | undefined {
  if (isTimingMetric(name)) return sample[name];
  return sample.metrics[name];
}
