import { StringDecoder } from 'node:string_decoder';
import type { Running, RunPresentation, Session, WorkloadInvocation, WorkloadOutput } from '../types.js';
import type { TimedProcess } from '../launch.js';
import { BenchError, ProcessError } from '../../core/errors.js';
import { LaunchError, outputTail } from '../launch-errors.js';
import { encodeSessionCommand, escapeRe, SESSION_HALT } from './protocol.js';
import type { SessionFailure } from './errors.js';
import { parseClockReply, type ClockRead } from './clock.js';
import { pinTree } from '../pin-tree.js';

/** What a backend hands a session once its instance printed the ready token. */
export interface CommandSessionParts {
  /** The instance, started interactive (its stdin takes the commands, its output comes through feed()). */
  proc: TimedProcess;
  /** The token the instance printed as "session ready". */
  readyToken: string;
  /** Spawn -> "session ready", from the timer. */
  startMs: number;
  presentation?: RunPresentation;
  /** One line for the results (Session.description). */
  description: string;
  /** How messages name the session and its instance: "VM session" and "guest", "docker session" and "container". */
  names: { session: string; instance: string };
  /** Removes what the instance left (its dir, a container the runtime kept); the process is already gone. */
  reap: () => Promise<void>;
  /** The backend forgets the session (called once, when it ends). */
  onEnd: () => void;
  /** A run's environment and working directory as its command carries them (absent: the reader's own). */
  commandFor: (w: WorkloadInvocation) => { env?: Record<string, string>; cwd?: string };
  /** The text from a run's token to its exit marker (included) as the run's output and status. */
  parse: (text: string, token: string) => { output: string; exitCode: number | undefined };
  /** The error for a failure of the session itself, with the output it saw. */
  error: (failure: SessionFailure, message: string, output: string) => Error;
  /** Why the instance stopped on its own, for the error every later run gets; `readyExitSeen`: it reported an exit for its ready token (a one-shot reader). */
  exitedReason?: (exitCode: number, readyExitSeen: boolean) => string;
  /** How long close() lets the instance stop after the halt line before it is killed, ms. */
  haltWaitMs?: number;
  /**
   * The instance keeps its own clock (a VM guest, gVisor's Sentry) and runs in
   * the process tree under `proc`: the session then offers `ownClock` (timed
   * clock reads, and pinning that tree to a host CPU) for paired slots.
   */
  ownClock?: boolean;
}

/** How long close() lets the instance halt by default before it is killed. */
export const SESSION_HALT_WAIT_MS = 5000;
/** Output kept while no run is in flight, for the error when an instance dies idle. */
const IDLE_TAIL = 4000;

interface InFlight {
  token: string;
  argv: string[];
  /** performance.now() when the command was written. */
  t0: number;
  readyMs?: number;
  /** Output since the command was written (after the ready token, once seen). */
  text: string;
  /** How much of text was already searched for the exit marker. */
  scanned: number;
  timer: NodeJS.Timeout;
  resolveReady: (ms: number) => void;
  resolveDone: (o: WorkloadOutput) => void;
  fail: (e: Error) => void;
}

const runs = new WeakMap<Running, Promise<WorkloadOutput>>();

/** The output of a run started in a session (a backend's wait()), or undefined for any other Running. */
export function sessionRunOutput(r: Running): Promise<WorkloadOutput> | undefined {
  return runs.get(r);
}

/**
 * One instance of an environment serving every run of a scenario through
 * the session protocol (src/native/probe/session-loop.c): a VM guest's init
 * on its console, a container's PID 1 on its stdin. Each run: write its
 * command line; ready = the run's token seen, done = its exit marker seen,
 * both timed here with performance.now() (rate figures come from the
 * workload's own output; the instance's start was timed by isobench-timer).
 * One run at a time. A run that overruns its timeout, or an instance that
 * stops, ends the session: the instance is killed, what it left removed,
 * and every later start fails with the reason.
 */
export class CommandSession implements Session {
  readonly description: string;
  readonly ownClock: Session['ownClock'];
  readonly startMs: number;
  readonly presentation: RunPresentation | undefined;
  readonly commandLine: string[];
  private readonly decoder = new StringDecoder('utf8');
  private current: InFlight | undefined;
  private idleText = '';
  private ended: Error | undefined;
  private closing: Promise<void> | undefined;
  private readyExitSeen = false;
  private lastChunkTail = '';
  /** A clock read waiting for its reply (readClock), never while a run is in flight. */
  private clockWait: { token: string; sentNs: bigint; text: string; resolve: (r: ClockRead) => void; reject: (e: Error) => void; timer: NodeJS.Timeout } | undefined;
  private clockSeq = 0;

  constructor(private readonly parts: CommandSessionParts) {
    this.startMs = parts.startMs;
    this.presentation = parts.presentation;
    this.description = parts.description;
    this.commandLine = [...parts.proc.commandLine];
    // Every thread of the tree takes the CPU, not only the one that runs the workload: under TCG the vCPU waits on
    // QEMU's main-loop lock, and with the main loop left free on the other CPU that wait landed in the guest's slots
    // (a memory cell's paired runs spread over 0.11-0.25 instead of 0.18-0.22).
    this.ownClock = parts.ownClock ? { read: () => this.readClock(), pinTo: (cpu) => pinTree(parts.proc.pid, cpu) } : undefined;
    const { session, instance } = parts.names;
    // The instance stopping on its own (crash, killed from outside) ends the session.
    parts.proc.done.then(
      (o) => this.end(parts.error('exited', parts.exitedReason?.(o.exitCode, this.readyExitSeen) ?? `the ${session}'s ${instance} stopped (exit status ${o.exitCode})`, this.tail())),
      (e: unknown) => this.end(e instanceof Error ? e : new Error(String(e))),
    );
  }

  /** The instance's output as it arrives (LaunchOptions.interactive). */
  feed(chunk: Buffer): void {
    const s = this.decoder.write(chunk);
    // A marker may straddle two chunks: look at the end of the previous one too.
    this.readyExitSeen ||= (this.lastChunkTail + s).includes(`isobench.exit ${this.parts.readyToken} `);
    this.lastChunkTail = s.slice(-200);
    const run = this.current;
    if (!run) {
      this.idleText = (this.idleText + s).slice(-IDLE_TAIL);
      const c = this.clockWait;
      if (c) {
        const receivedNs = process.hrtime.bigint();
        c.text += s;
        const instanceNs = parseClockReply(c.text, c.token);
        if (instanceNs !== undefined) {
          clearTimeout(c.timer);
          this.clockWait = undefined;
          c.resolve({ sentNs: c.sentNs, instanceNs, receivedNs });
        }
      }
      return;
    }
    run.text += s;
    if (run.readyMs === undefined) {
      const m = new RegExp(`(^|\\n)${escapeRe(run.token)}\\r?\\n`).exec(run.text);
      if (!m) return;
      run.readyMs = performance.now() - run.t0;
      run.text = run.text.slice(m.index + m[0].length);
      run.resolveReady(run.readyMs);
    }
    // Only the new text (and a marker's length before it) can hold the marker: a chatty workload costs no rescans.
    const marker = new RegExp(`\\n?isobench\\.exit ${escapeRe(run.token)} (\\d+)\\r?\\n`, 'g');
    marker.lastIndex = Math.max(0, run.scanned - run.token.length - 40);
    const exit = marker.exec(run.text);
    run.scanned = run.text.length;
    if (!exit) return;
    const exitMs = performance.now() - run.t0;
    const g = this.parts.parse(run.text.slice(0, exit.index + exit[0].length), run.token);
    clearTimeout(run.timer);
    this.current = undefined;
    this.idleText = run.text.slice(exit.index + exit[0].length);
    run.resolveDone({ startupMs: run.readyMs, exitMs, exitCode: g.exitCode ?? Number(exit[1]), output: g.output });
  }

  async start(w: WorkloadInvocation): Promise<Running> {
    const { session, instance } = this.parts.names;
    const cmd = { token: w.token, argv: w.argv, timeoutMs: w.timeoutMs, ...this.parts.commandFor(w) };
    if (this.ended) throw this.parts.error('ended', `the ${session} ended before this run: ${this.ended.message}`, this.tail());
    if (this.current) throw this.parts.error('busy', `the ${session} is still running ${this.current.token}: one run at a time`, '');
    if (this.clockWait) throw this.parts.error('busy', `the ${session} is waiting for a clock read: one request at a time`, '');
    const line = encodeSessionCommand({ token: cmd.token, argv: cmd.argv, ...(cmd.env ? { env: cmd.env } : {}), ...(cmd.cwd ? { cwd: cmd.cwd } : {}) });
    let resolveReady!: (ms: number) => void;
    let rejectReady!: (e: Error) => void;
    let resolveDone!: (o: WorkloadOutput) => void;
    let rejectDone!: (e: Error) => void;
    const ready = new Promise<number>((res, rej) => { resolveReady = res; rejectReady = rej; });
    const done = new Promise<WorkloadOutput>((res, rej) => { resolveDone = res; rejectDone = rej; });
    ready.catch(() => {});
    done.catch(() => {});
    const run: InFlight = {
      token: cmd.token,
      argv: cmd.argv,
      t0: performance.now(),
      text: '',
      scanned: 0,
      timer: setTimeout(() => {
        const where = run.readyMs === undefined ? 'before printing its ready token' : 'after the ready token';
        void this.kill(new LaunchError('timeout', `${cmd.argv[0]} did not finish within ${cmd.timeoutMs} ms in the ${session} (${where}); the session's ${instance} was killed`, outputTail(run.text), cmd.argv));
      }, cmd.timeoutMs),
      resolveReady,
      resolveDone,
      fail: (e) => { rejectReady(e); rejectDone(e); },
    };
    this.current = run;
    this.idleText = '';
    this.parts.proc.stdin!.write(line);
    const running: Running & { kill: () => void } = {
      // What ran: the workload's argv inside the instance (the instance's own argv is the session's commandLine).
      commandLine: [...cmd.argv],
      ready,
      ...(this.parts.presentation ? { presentation: this.parts.presentation } : {}),
      // A run abandoned while in flight (the harness gave up on it) takes the session with it: nothing of it may leak into the next run.
      kill: () => {
        if (this.current === run) void this.kill(this.parts.error('abandoned', `a run of the ${session} was abandoned while in flight; the session's ${instance} was killed`, outputTail(run.text)));
      },
    };
    runs.set(running, done);
    return running;
  }

  /**
   * One timed read of the instance's CLOCK_MONOTONIC (session-loop.c's
   * `isobench.clock`), between runs: the host's clock when the request was
   * written and when the reply arrived, and the instance's between
   * (src/envs/session/clock.ts turns reads into an offset).
   */
  readClock(timeoutMs = 2000): Promise<ClockRead> {
    const { session, instance } = this.parts.names;
    if (this.ended) return Promise.reject(this.parts.error('ended', `the ${session} ended before a clock read: ${this.ended.message}`, this.tail()));
    if (this.current || this.clockWait) return Promise.reject(this.parts.error('busy', `the ${session} is busy: a clock read waits for no run and no other read`, ''));
    const token = `clock-${++this.clockSeq}`;
    return new Promise<ClockRead>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.clockWait = undefined;
        reject(new ProcessError('SESSION_CLOCK_TIMEOUT', `the ${session}'s ${instance} did not answer a clock read within ${timeoutMs} ms`, { hint: 'its reader predates clock reads (rebuild the image with this isobench), or the instance is stuck' }));
      }, timeoutMs);
      this.clockWait = { token, sentNs: process.hrtime.bigint(), text: '', resolve, reject, timer };
      this.parts.proc.stdin!.write(`isobench.clock ${token}\n`);
    });
  }

  /** Asks the instance to halt (the reader resets and exits), kills it if it does not stop in time, removes what it left. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      // An instance between runs halts itself; one with a run in flight is killed.
      const graceful = !this.ended && !this.current;
      this.end(this.parts.error('closed', `the ${this.parts.names.session} was closed`, ''));
      if (graceful) {
        this.parts.proc.stdin?.write(SESSION_HALT);
        this.parts.proc.stdin?.end();
        const t = new Promise<void>((r) => setTimeout(r, this.parts.haltWaitMs ?? SESSION_HALT_WAIT_MS).unref());
        await Promise.race([this.parts.proc.done.then(() => undefined, () => undefined), t]);
      } else {
        // A container's reader kills a run in flight when its stdin ends: the runtime's own death (SIGTERM below) may not reach it.
        this.parts.proc.stdin?.end();
      }
      this.parts.proc.kill('SIGTERM');
      await this.parts.proc.done.catch(() => undefined);
      await this.parts.reap();
    })();
    return this.closing;
  }

  /** Ends the session with `why`: the run in flight fails with it, the instance is killed and what it left removed. */
  private async kill(why: Error): Promise<void> {
    this.end(why);
    await this.close();
  }

  private end(why: Error): void {
    if (this.ended) return;
    this.ended = why;
    const c = this.clockWait;
    this.clockWait = undefined;
    if (c) { clearTimeout(c.timer); c.reject(why); }
    const run = this.current;
    this.current = undefined;
    if (run) {
      clearTimeout(run.timer);
      run.fail(why instanceof LaunchError || why instanceof BenchError
        ? why
        : this.parts.error('no-exit-status', `the ${this.parts.names.session}'s ${this.parts.names.instance} stopped without reporting the workload's exit status: ${why.message}`, run.text));
    }
    this.parts.onEnd();
  }

  private tail(): string {
    return outputTail(this.current?.text ?? this.idleText);
  }
}
