import { spawn } from 'node:child_process';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { HostRequirementError } from '../core/errors.js';
import type { Running, WorkloadOutput } from './types.js';
import { LaunchError, outputTail } from './launch-errors.js';
import { timerServer, timerServerEnabled } from './timer-server.js';

export { LaunchError, outputTail } from './launch-errors.js';
export type { LaunchFailure } from './launch-errors.js';

export interface LaunchOptions {
  /** The line the environment's first process prints when it is up. */
  token: string;
  /** Whole-process limit (spawn -> exit); the child is SIGKILLed after it. */
  timeoutMs: number;
  /** Environment of the spawned program (default: inherit the harness's). */
  env?: Record<string, string>;
  cwd?: string;
  /** Pause of the timer before its clock starts (default LAUNCH_DEFAULTS.settleUs). */
  settleUs?: number;
  /**
   * A long-lived program the harness talks to (a VM session's console): its
   * stdin is a pipe (TimedProcess.stdin), every chunk of its output goes to
   * onOutput as it arrives, and `done` keeps no copy of it.
   */
  interactive?: { onOutput: (chunk: Buffer) => void };
  /**
   * The timer holds the child's output and its reports until the child has
   * exited (--quiet-until-exit): nothing wakes the harness while the child
   * runs. `ready` then resolves only at the end, with the same timestamp.
   * For spawn -> exit compared with a tool that writes nothing meanwhile
   * (the startup cross-check against hyperfine).
   */
  quietUntilExit?: boolean;
}

export const LAUNCH_DEFAULTS = {
  /**
   * Node keeps working for a millisecond or two after spawn() returns
   * (pipes, handles, promise jobs). On a 2-core host that work competed with
   * the child for a CPU and inflated a 0.6 ms startup to 1-3 ms, against
   * 0.6 ms for `hyperfine -N` on the same binary. The timer therefore waits
   * this long before taking its start timestamp, so the harness is idle
   * (blocked in epoll) while the measured process starts. Not part of any
   * figure: startup is timed from after the pause.
   */
  settleUs: 3000,
  /**
   * The same pause for a run the shared timer server times
   * (src/envs/timer-server.ts). The harness only wrote a request, so there
   * is less of its work to wait out, but the pause also sets how long the
   * CPU idled before the clock starts, and a start after a shorter idle is
   * faster: with 0.5 ms the served spawn -> exit read x0.86-0.92 of
   * `hyperfine -N`'s in the startup cross-check (four runs), at or past its
   * ±10%; with 3 ms, x0.91-1.02 (six runs). A timer spawned per run read
   * x1.03-1.06 in five earlier full runs.
   */
  servedSettleUs: 3000,
} as const;

export interface TimedProcess extends Running {
  /** PID of the isobench-timer process (its child is the program): the shared server's for a served run. */
  readonly pid: number;
  /** Resolves when the program exited after printing the token (any exit code). */
  readonly done: Promise<WorkloadOutput>;
  /**
   * Signals the timer, which forwards it to the program (TERM/INT/HUP become
   * KILL and the timer still reports the exit). SIGKILL kills the timer
   * itself; the program then dies by its PDEATHSIG and done rejects 'killed'.
   */
  kill(signal?: NodeJS.Signals): void;
  /** The program's stdin (interactive launches only; the timer passes its own stdin on). */
  readonly stdin?: NodeJS.WritableStream;
}

export function timerPath(nativeDir: string): string {
  return path.join(nativeDir, 'isobench-timer');
}

/**
 * Spawns `argv` under the native timer (src/native/timer), which timestamps
 * spawn, token arrival and exit with CLOCK_MONOTONIC: Node's own spawn and
 * event-loop jitter (1-3 ms) would swamp a sub-millisecond start. `ready`
 * resolves with spawn -> token in ms; it rejects with a LaunchError (carrying
 * the output tail) if the program exits, fails to exec or times out first.
 * `done` resolves with the timings and the output after the token line.
 * A run without stdin goes to the shared timer server when it is free
 * (src/envs/timer-server.ts); the timings and errors are the same.
 */
export function launchTimed(nativeDir: string, argv: string[], opts: LaunchOptions): TimedProcess {
  const timer = timerPath(nativeDir);
  if (!existsSync(timer)) {
    throw new HostRequirementError('TIMER_MISSING', `the native timer ${timer} is missing`, { hint: 'run `npm run build` (builds src/native)' });
  }
  if (argv.length === 0) throw new LaunchError('spawn-error', 'nothing to launch: empty argv', '', argv);
  if (!opts.token || /\s/.test(opts.token)) throw new LaunchError('spawn-error', `bad ready token ${JSON.stringify(opts.token)}`, '', argv);
  const timeoutMs = Math.max(1, Math.round(opts.timeoutMs));
  const run = collectRun(argv, opts.token, timeoutMs);
  // A run that needs no stdin goes to the shared timer server when it is free (src/envs/timer-server.ts): no
  // spawn of a timer per run. A console session, or a launch while another is in flight, spawns its own timer.
  if (!opts.interactive && timerServerEnabled()) {
    const settleUs = Math.max(0, Math.round(opts.settleUs ?? LAUNCH_DEFAULTS.servedSettleUs));
    const served = timerServer(timer).tryRun(
      // Absolute: the server chdir()s for each run, so a relative cwd would follow the last run's, not ours.
      { token: opts.token, timeoutMs, settleUs, quiet: opts.quietUntilExit === true, cwd: path.resolve(opts.cwd ?? '.'), env: opts.env ?? process.env, argv },
      { output: run.output, report: run.report, timerError: run.timerError, end: run.end },
    );
    if (served) return { pid: served.pid, commandLine: [...argv], ready: run.ready, done: run.done, kill: (signal: NodeJS.Signals = 'SIGTERM') => served.kill(signal) };
  }
  const settleUs = Math.max(0, Math.round(opts.settleUs ?? LAUNCH_DEFAULTS.settleUs));
  const timerArgs = ['--token', opts.token, '--timeout-ms', String(timeoutMs), '--settle-us', String(settleUs), ...(opts.quietUntilExit ? ['--quiet-until-exit'] : []), '--', ...argv];
  const child = spawn(timer, timerArgs, {
    stdio: [opts.interactive ? 'pipe' : 'ignore', 'pipe', 'pipe', 'pipe'],
    env: opts.env ?? process.env,
    cwd: opts.cwd,
  });
  const onOutput = opts.interactive?.onOutput;
  child.stdout!.on('data', onOutput ?? run.output);
  // A program that exits while we write to it: the write fails, the exit is reported by 'close'.
  child.stdin?.on('error', () => {});
  child.stderr!.on('data', run.timerError);
  const fd3 = child.stdio[3] as NodeJS.ReadableStream;
  fd3.setEncoding('utf8');
  fd3.on('data', run.report);
  child.on('error', (e) => run.fail(new LaunchError('timer-failed', `cannot run ${timer}: ${e.message}`, '', argv, e)));
  // 'close' waits for all stdio streams, so every report line is in.
  child.on('close', (code, signal) => run.end(code, signal));

  return {
    pid: child.pid ?? -1,
    commandLine: [...argv],
    ready: run.ready,
    done: run.done,
    kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    ...(child.stdin ? { stdin: child.stdin } : {}),
  };
}

/** What a run's timer reports, however it reaches us (a timer of its own, or the shared server), turned into ready and done. */
interface RunCollector {
  ready: Promise<number>;
  done: Promise<WorkloadOutput>;
  /** The program's output (stdout and stderr, in order). */
  output: (b: Buffer) => void;
  /** The timer's own stderr (its failures). */
  timerError: (b: Buffer) => void;
  /** Report lines ("ready", "exit", ...), in chunks. */
  report: (chunk: string) => void;
  /** The timer is done with this run: exit code 0 once it reported, else its failure. */
  end: (code: number | null, signal: NodeJS.Signals | null) => void;
  fail: (e: LaunchError) => void;
}

function collectRun(argv: string[], token: string, timeoutMs: number): RunCollector {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let reports = '';
  let readyNs: number | undefined;
  let resolveReady!: (ms: number) => void;
  let rejectReady!: (e: unknown) => void;
  const ready = new Promise<number>((res, rej) => { resolveReady = res; rejectReady = rej; });
  let resolveDone!: (o: WorkloadOutput) => void;
  let rejectDone!: (e: unknown) => void;
  const done = new Promise<WorkloadOutput>((res, rej) => { resolveDone = res; rejectDone = rej; });
  // Callers may await only one of the two; never leave the other unhandled.
  ready.catch(() => {});
  done.catch(() => {});
  const fail = (e: LaunchError): void => { rejectReady(e); rejectDone(e); };
  const report = (chunk: string): void => {
    reports += chunk;
    // "ready" is acted on as soon as it arrives: the workload is still running.
    const m = /^ready (\d+)$/m.exec(reports);
    if (m && readyNs === undefined) {
      readyNs = Number(m[1]);
      resolveReady(readyNs / 1e6);
    }
  };
  const end = (code: number | null, signal: NodeJS.Signals | null): void => {
    const text = Buffer.concat(out).toString('utf8');
    const tail = outputTail(text + Buffer.concat(err).toString('utf8'));
    const lines = reports.split('\n');
    const exitLine = lines.find((l) => l.startsWith('exit '));
    const spawnErr = lines.find((l) => l.startsWith('spawn-error '));
    const timedOut = lines.some((l) => l.startsWith('timeout '));
    if (spawnErr) return fail(new LaunchError('spawn-error', `cannot execute ${argv[0]}: ${spawnErr.split(' ').slice(2).join(' ')}`, tail, argv));
    if (timedOut) {
      const where = readyNs === undefined ? 'before printing the ready token' : 'after the ready token';
      return fail(new LaunchError('timeout', `${argv[0]} did not finish within ${timeoutMs} ms (killed ${where})`, tail, argv));
    }
    if (signal && !exitLine) {
      return fail(new LaunchError('killed', `${argv[0]} was killed (timer got ${signal}) ${readyNs === undefined ? 'before' : 'after'} the ready token`, tail, argv));
    }
    if (code !== 0 || !exitLine) {
      const why = signal ? `killed by ${signal}` : `exit code ${code}`;
      return fail(new LaunchError('timer-failed', `isobench-timer failed (${why}): ${Buffer.concat(err).toString('utf8').trim() || 'no report'}`, tail, argv));
    }
    const [, exitNsText, statusText] = exitLine.split(' ');
    const exitMs = Number(exitNsText) / 1e6;
    const exitCode = Number(statusText);
    if (readyNs === undefined) {
      return fail(new LaunchError('exited-before-ready', `${argv[0]} exited with status ${exitCode} before printing the ready token`, tail, argv, undefined, exitCode));
    }
    resolveDone({ startupMs: readyNs / 1e6, exitMs, exitCode, output: afterToken(text, token) });
  };
  return { ready, done, output: (b) => out.push(b), timerError: (b) => err.push(b), report, end, fail };
}

/** The text after the first line that equals the token (what the workload itself printed). */
export function afterToken(text: string, token: string): string {
  let from = 0;
  for (;;) {
    const at = text.indexOf(token, from);
    if (at < 0) return '';
    const startsLine = at === 0 || text[at - 1] === '\n';
    let end = at + token.length;
    if (text[end] === '\r') end++;
    if (startsLine && (text[end] === '\n' || end === text.length)) return text.slice(Math.min(end + 1, text.length));
    from = at + 1;
  }
}
