/**
 * results.json — the one artefact every report is rendered from. Versioned:
 * bump RESULTS_SCHEMA_VERSION on any incompatible change and teach the reader
 * to reject (or migrate) older files with a clear message.
 */
export const RESULTS_SCHEMA_VERSION = 1 as const;

export type EnvKind = 'host' | 'chroot' | 'container' | 'vm';
export type Accelerator = 'kvm' | 'tcg';

export interface MetricSpec {
  name: string;
  unit: string;
  higherIsBetter: boolean;
  description?: string;
}

/** One measured repetition of one workload in one environment. */
export interface Sample {
  round: number;
  /** spawn -> ready token, ms (the startup definition of DESIGN.md). */
  startupMs: number;
  /** spawn -> process exit, ms. */
  exitMs: number;
  /** ready token -> exit, ms: the workload's own wall time. */
  execMs: number;
  exitCode: number;
  /** Parsed workload metrics (e.g. events_per_sec) by name. */
  metrics: Record<string, number>;
}

export interface SummaryStats {
  n: number;
  mean: number;
  median: number;
  sd: number;
  mad: number;
  min: number;
  max: number;
  p5: number;
  p95: number;
  /** Indices (into the samples array) flagged by modified z-score > 3.5; kept, never dropped. */
  outliers: number[];
}

export interface RatioEstimate {
  /** median(env) / median(host) of the metric. */
  ratio: number;
  lo: number;
  hi: number;
  confidence: number;
  method: 'bootstrap-percentile';
  resamples: number;
}

interface EnvResultBase {
  env: string;
  kind: EnvKind;
}

export interface EnvResultOk extends EnvResultBase {
  status: 'ok';
  imageDigest: string;
  /** Exact argv the harness spawned (one representative round). */
  commandLine: string[];
  warmup: Sample[];
  samples: Sample[];
  /** Summary per metric name, including startupMs/exitMs/execMs. */
  stats: Record<string, SummaryStats>;
  /** Ratio to the host per metric (absent for the host itself or when the host failed). */
  ratioToHost?: Record<string, RatioEstimate>;
  accelerator?: Accelerator;
  notes?: string[];
}

export interface EnvResultFailed extends EnvResultBase {
  status: 'failed';
  error: { code: string; message: string; hint?: string };
  commandLine?: string[];
  /** Whatever rounds completed before the failure. */
  samples: Sample[];
  /** Tail of the environment's output, to debug the failure. */
  outputTail?: string;
}

export interface EnvResultSkipped extends EnvResultBase {
  status: 'skipped';
  reason: string;
}

export type EnvResult = EnvResultOk | EnvResultFailed | EnvResultSkipped;

export interface ScenarioResult {
  name: string;
  description: string;
  file: string;
  workload: { type: string; params: Record<string, unknown> };
  primaryMetric: MetricSpec;
  metrics: MetricSpec[];
  rounds: number;
  warmup: number;
  envs: EnvResult[];
  /**
   * Set when the user stopped the run (Ctrl-C) inside this scenario: the
   * statistics cover only the samples measured before that.
   */
  interrupted?: { timedRunsDone: number; timedRunsPlanned: number };
}

export interface EnvironmentInfo {
  name: string;
  kind: EnvKind;
  status: 'available' | 'skipped';
  reason?: string;
  /** e.g. "runc 1.1.5", "QEMU 7.2.x, tcg (emulated)". */
  description?: string;
  version?: string;
  accelerator?: Accelerator;
  /** Extra facts a report should print beside the figures. */
  facts?: Record<string, string>;
}

export interface Manifest {
  hostname: string;
  cpu: { model: string; cores: number; physicalCores: number; mhz?: number; flags?: string };
  memoryBytes: number;
  os: { distro: string; release: string; kernel: string; arch: string };
  virtualization: { hostIsVirtual: boolean; hypervisor?: string; kvm: string; accelerator?: Accelerator };
  cgroup: string;
  tools: Record<string, string>;
  node: string;
  gitRevision: string;
}

export interface ImageInfo {
  name: string;
  /** Digest of the OCI manifest; the image identity every environment reports. */
  digest: string;
  layers: { digest: string; size: number; description?: string }[];
}

/** Which environments a contradiction or a skip fails the gate for. */
export interface GateOptions {
  require: string[];
  /** A required environment that was skipped (not available here) does not fail the gate. */
  allowSkip: boolean;
}

export interface RunResults {
  schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  runId: string;
  startedAt: string;
  finishedAt?: string;
  /** The exact bench invocation. */
  command: string[];
  tool: { name: 'isobench'; version: string; gitRevision: string };
  manifest: Manifest;
  image?: ImageInfo;
  options: {
    rounds?: number; warmup?: number; scenarios: string[]; envs: string[];
    /** `bench verify --require/--allow-skip`: the environments the gate holds to their expectations. */
    gate?: GateOptions;
  };
  environments: EnvironmentInfo[];
  scenarios: ScenarioResult[];
  /** Filled by the isolation issue: per check x environment evidence. */
  isolation?: unknown;
  /** Filled by the verdict logic: one row per seed sentence. */
  claims?: unknown;
  /** Extra measured facts (e.g. disk bytes per container, portability round-trips). */
  facts?: Record<string, unknown>;
  warnings: string[];
}
