import type { ClockRead } from './session/clock.js';
import type { EnvKind, Accelerator } from '../results/types.js';
import type { ImageRef } from '../image/types.js';

/** Resource limits a scenario may ask for; backends that cannot enforce them say so in notes. */
export interface Limits {
  memoryMiB?: number;
  pids?: number;
  /** CPU quota in cores (e.g. 1.5). */
  cpus?: number;
}

/** One run of a workload, as the scheduler asks for it. */
export interface WorkloadInvocation {
  /** The workload's argv inside the environment (absolute paths inside the image). */
  argv: string[];
  /** Random token the probe prints as the ready marker before exec'ing argv. */
  token: string;
  env: Record<string, string>;
  timeoutMs: number;
  limits: Limits;
  /**
   * The workload talks to a peer on the host side (network scenario): the
   * environment must give the run a network that reaches peerAddress().
   */
  hostPeer?: boolean;
  /**
   * 'disk': the workload writes to storage, so its writable layer must be a
   * disk (the VM boots from its base disk + overlay instead of RAM).
   */
  storage?: 'disk';
}

/** What the scenarios about to run in a prepared image need, so a backend builds only that up front. */
export interface PrepareHints {
  /** Every one of them writes to storage (WorkloadInvocation.storage): the VM builds its disk, not an initramfs. */
  storage?: 'disk';
}

/** How an environment presented the image to one run, when it has more than one way (the VM). */
export interface RunPresentation {
  readonly name: string;
  /** The writable scratch dir is RAM: storage figures measured there are not comparable. */
  readonly scratchInRam: boolean;
  readonly description: string;
}

/** Where the host-side peer of a network workload listens and how the environment reaches it. */
export interface PeerAddress {
  /** Address the host process binds (127.0.0.1, or the engine bridge's gateway). */
  listen: string;
  /** Address the environment connects to (same, or the VM's alias of host loopback). */
  connect: string;
}

export interface Availability {
  ok: boolean;
  /** Why not, and what to install or change (when ok is false). */
  reason?: string;
  description?: string;
  version?: string;
  accelerator?: Accelerator;
  facts?: Record<string, string>;
}

/** Backend-private state produced by prepare(); the scheduler only reads these fields. */
export interface Prepared {
  readonly env: string;
  readonly imageDigest: string;
  /** Facts only known once prepared (e.g. Docker's image id): merged into the environment's facts in results. */
  readonly facts?: Record<string, string>;
}

export interface Running {
  /** The exact argv spawned (the first element is the program). */
  readonly commandLine: string[];
  /** Resolves with spawn -> ready-token time in ms, rejects if the process exits first. */
  readonly ready: Promise<number>;
  /** Set by environments with more than one presentation (the VM: initramfs or disk). */
  readonly presentation?: RunPresentation;
}

export interface WorkloadOutput {
  startupMs: number;
  exitMs: number;
  exitCode: number;
  /** Output after the ready token (the workload's own output), stdout and stderr interleaved as seen. */
  output: string;
}

/** What every run of a session shares: fixed when the instance starts. */
export interface SessionSpec {
  env: Record<string, string>;
  limits: Limits;
  /** Timeout of one run inside the session (the instance's own start has the backend's allowance). */
  timeoutMs: number;
  hostPeer?: boolean;
  storage?: 'disk';
}

/**
 * One instance of an environment kept up for many runs of a scenario (the VM:
 * one boot, then each run is a process started inside the guest; Docker,
 * gVisor, nspawn: one container, each run a process forked inside it). Only for
 * scenarios whose figure is the workload's own rate (a `roundMs` in the
 * scenario file) under sequential sampling: startup is measured with a fresh
 * instance per run, always.
 */
export interface Session {
  /** Like Environment.start, inside the running instance; Environment.wait waits for it. */
  start(w: WorkloadInvocation): Promise<Running>;
  /** Stops the instance and removes what it made. Idempotent; also done by Environment.cleanup. */
  close(): Promise<void>;
  /** One line for the results: what the session is, e.g. "one VM boot (1.2 s) for all runs of this scenario". */
  readonly description: string;
  /** How long the instance took to come up (spawn to ready for commands), ms: the VM's boot with this presentation. */
  readonly startMs?: number;
  /** How the instance presents the image (the VM: initramfs or disk). */
  readonly presentation?: RunPresentation;
  /** The argv that started the instance (QEMU, `docker run`, `runsc run`, systemd-nspawn); each run's Running.commandLine is what ran inside it. */
  readonly commandLine?: string[];
  /**
   * An instance that keeps its own clock (a VM guest, gVisor's Sentry) and can take turns with
   * a host process on one CPU (src/measure/paired.ts): one timed read of its
   * CLOCK_MONOTONIC (src/envs/session/clock.ts), and pinning every host
   * thread that runs it to a host CPU (false when that failed).
   */
  readonly ownClock?: {
    read(): Promise<ClockRead>;
    pinTo(cpu: number): Promise<boolean>;
  };
}

export interface Environment {
  /** Unique name in reports and --env: host, chroot, container, runc, bwrap, vm. */
  readonly name: string;
  readonly kind: EnvKind;
  /**
   * prepare() writes only to this backend's own dirs and starts only its own
   * processes (no engine group, snapshot extraction, cgroup or bridge shared
   * with another backend), so the harness may run it beside the others'.
   */
  readonly independentPrepare?: boolean;
  /**
   * Its processes run on the host's kernel, read the host's CLOCK_MONOTONIC
   * and are placed on CPUs by the host's scheduler (sched_setaffinity pins
   * them to a host CPU): a run can then take turns with a host process in
   * time slots on one CPU (src/measure/paired.ts). Not a VM (its own clock
   * and vCPUs), not gVisor (its Sentry's clock and threads): their sessions
   * pair through Session.ownClock instead.
   */
  readonly hostClock?: boolean;
  /** Cheap check of what this host can run; never throws. */
  available(): Promise<Availability>;
  /** Once per run and image, not timed. */
  prepare(image: ImageRef, hints?: PrepareHints): Promise<Prepared>;
  /** Timed: spawn -> ready marker. */
  start(p: Prepared, w: WorkloadInvocation): Promise<Running>;
  /** Timed separately: execution until exit. */
  wait(r: Running): Promise<WorkloadOutput>;
  /**
   * Optional: start one instance for a scenario's runs (untimed), when
   * starting one per run would cost far more than the work (a VM boot, a
   * `docker run`, a gVisor sandbox).
   * Resolves undefined when this scenario cannot share one (the backend
   * then starts one per run as usual).
   */
  openSession?(p: Prepared, spec: SessionSpec): Promise<Session | undefined>;
  /** Leaves no mount, netns, cgroup, process or scratch dir. Idempotent. */
  cleanup(): Promise<void>;
  /**
   * Between two images of one run: undoes what the previous prepare() and its
   * runs left, like cleanup(), but keeps what serves every image of the run
   * (Docker's daemon), so the next prepare() does not start it again.
   * cleanup() at the end still removes everything. Absent = cleanup().
   */
  release?(): Promise<void>;
  /**
   * Network workloads: where a host-side peer must listen to be reachable
   * from this environment. Absent = the environment shares the host's network
   * (127.0.0.1 both ways); throws when the environment cannot reach the host.
   */
  peerAddress?(p: Prepared): Promise<PeerAddress>;
}
