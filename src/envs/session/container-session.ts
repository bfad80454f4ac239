import type { Limits, RunPresentation, Session, SessionSpec, WorkloadInvocation } from '../types.js';
import { launchTimed, type TimedProcess } from '../launch.js';
import { BASE_ENV } from '../image-rootfs.js';
import { CommandSession } from './command-session.js';
import { sessionError } from './errors.js';
import { escapeRe } from './protocol.js';
import { awaitInstanceReady, EarlyOutput, sessionToken } from './instance-start.js';

/** Longest a container session may stay up: a scenario's runs end long before; this only bounds a forgotten one. */
export const CONTAINER_SESSION_MAX_MS = 6 * 60 * 60 * 1000;
/** How long a container session's instance may take to print its ready token (gVisor's sandbox is the slowest, ~1 s). */
export const CONTAINER_SESSION_START_MS = 60_000;

export interface ContainerSessionInput {
  nativeDir: string;
  /** The runtime's command line that starts the image with `/isobench/probe session TOKEN` as its PID 1, stdin passed through. */
  argv: (token: string) => Promise<string[]> | string[];
  /** "docker", "gVisor", "nspawn": how messages name the session. */
  runtime: string;
  /** One line for the results, given the instance's start (ms). */
  describe: (startMs: number) => string;
  presentation?: RunPresentation;
  /** The session's spec: every run's environment must be this one (it was given to the instance at its start). */
  spec: SessionSpec;
  /** The backend tracks the instance's process (its cleanup kills it if a session is never closed). */
  track: (p: TimedProcess) => void;
  /** Removes what the instance left once its process is gone (a container the runtime kept, a bundle, a machine's dirs). */
  reap: () => Promise<void>;
  /** The backend forgets the session. */
  onEnd: () => void;
  startAllowanceMs?: number;
  /** The runtime keeps its own clock and runs the container in the process tree it starts (gVisor): paired slots go through clock reads (CommandSessionParts.ownClock). */
  ownClock?: boolean;
}

/** The text between a run's token and its exit marker, without the marker: the workload's own output (a pipe, no tty). */
export function parsePipeOutput(text: string, token: string): { output: string; exitCode: number | undefined } {
  const marker = new RegExp(`\\n?isobench\\.exit ${escapeRe(token)} (\\d+)\\n?$`);
  const m = marker.exec(text);
  return m ? { output: text.slice(0, m.index), exitCode: Number(m[1]) } : { output: text, exitCode: undefined };
}

/**
 * The limits a session's container gets so that each run has what a
 * container of its own would: the reader is one more process in it, so a
 * pids limit grows by one. Its memory (a static binary's few hundred KiB)
 * is left inside the limit.
 */
export function sessionLimits(l: Limits): Limits {
  return l.pids === undefined ? l : { ...l, pids: l.pids + 1 };
}

/** Same keys and values: a run's environment is the session's (what its instance was started with). */
function sameEnv(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k]);
}

/**
 * One container for all runs of a rate scenario (Docker, gVisor, nspawn):
 * the runtime starts the image as it would for one run, with the probe's
 * session reader (`probe session TOKEN`, src/native/probe/session.c) as PID 1
 * in place of the workload; each run is then a process that reader forks
 * inside the container, under the same namespaces, seccomp filter,
 * capabilities, cgroup and limits a run of its own would have. Between runs
 * the reader kills whatever the run left and empties /tmp and /dev/shm, as a
 * fresh container would find them. The runtime's own start (hundreds of ms
 * for Docker and gVisor) is then paid once per scenario, not per run. A run
 * whose environment differs from the session's gets it on its command line
 * (over the image's base environment) instead of the container's own.
 */
export async function openContainerSession(i: ContainerSessionInput): Promise<Session> {
  const token = sessionToken();
  const names = { session: `${i.runtime} session`, instance: 'container' };
  const early = new EarlyOutput();
  const argv = await i.argv(token);
  const proc = launchTimed(i.nativeDir, argv, { token, timeoutMs: CONTAINER_SESSION_MAX_MS, cwd: '/', interactive: { onOutput: early.onOutput } });
  i.track(proc);
  const startMs = await awaitInstanceReady(proc, i.startAllowanceMs ?? CONTAINER_SESSION_START_MS, `the ${names.session}'s container`, early, i.reap);
  const s = new CommandSession({
    proc, readyToken: token, startMs, names,
    ...(i.presentation ? { presentation: i.presentation } : {}),
    description: i.describe(startMs),
    reap: i.reap,
    onEnd: i.onEnd,
    commandFor: (w: WorkloadInvocation) => (sameEnv(w.env, i.spec.env) ? {} : { env: { ...BASE_ENV, ...w.env } }),
    parse: parsePipeOutput,
    error: sessionError,
    exitedReason: (exitCode) => `the ${names.session}'s container stopped (exit status ${exitCode})`,
    ...(i.ownClock ? { ownClock: true } : {}),
  });
  early.attach(s);
  return s;
}
