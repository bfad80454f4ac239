import { StringDecoder } from 'node:string_decoder';
import type { Running, RunPresentation, Session, WorkloadInvocation, WorkloadOutput } from '../types.js';
import type { TimedProcess } from '../launch.js';
import { LaunchError, outputTail } from '../launch-errors.js';
import { encodeSessionCommand, SESSION_HALT } from './cmdline.js';
import { parseGuestConsole } from './console.js';
import { VmGuestError } from './errors.js';

/** What the backend hands a session once its guest is up. */
export interface VmSessionParts {
  proc: TimedProcess;
  /** The token the guest printed as "session ready". */
  bootToken: string;
  /** Spawn -> "session ready" (the boot token), from the timer. */
  bootMs: number;
  presentation: RunPresentation;
  /** Removes the VM's dir (kills its QEMU by pidfile first, if still alive). */
  reap: () => Promise<void>;
  /** The backend forgets the session (called once, when it ends). */
  onEnd: () => void;
  /** The environment and working directory a run gets in the guest (as a one-shot run's kernel parameters would say). */
  commandFor: (w: WorkloadInvocation) => { env: Record<string, string>; cwd: string };
}

/** How long close() lets the guest sync and reset before QEMU is killed. */
export const SESSION_HALT_WAIT_MS = 5000;
/** Console text kept while no run is in flight, for the error when a guest dies idle. */
const IDLE_TAIL = 4000;

interface InFlight {
  token: string;
  argv: string[];
  /** performance.now() when the command was written. */
  t0: number;
  readyMs?: number;
  /** Console text since the command was written (after the ready token, once seen). */
  text: string;
  /** How much of text was already searched for the exit marker. */
  scanned: number;
  timer: NodeJS.Timeout;
  resolveReady: (ms: number) => void;
  resolveDone: (o: WorkloadOutput) => void;
  fail: (e: Error) => void;
}

const runs = new WeakMap<Running, Promise<WorkloadOutput>>();

/** The output of a run started in a session (VmEnvironment.wait), or undefined for any other Running. */
export function sessionRunOutput(r: Running): Promise<WorkloadOutput> | undefined {
  return runs.get(r);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * One booted guest serving every run of a scenario (init's session mode,
 * src/native/probe/init-session.c). Each run: write its command line to the
 * guest's console; ready = the run's token seen, done = its exit marker seen,
 * both timed here with performance.now() (the rate figures come from the
 * workload's own output; the boot itself was timed by isobench-timer). One
 * run at a time. A run that overruns its timeout, or a guest that dies, ends
 * the session: QEMU is killed, its dir removed, and every later start fails
 * with the reason.
 */
export class VmSession implements Session {
  readonly description: string;
  /** Spawn -> session ready: the boot with this presentation (timed by isobench-timer). */
  readonly startMs: number;
  readonly presentation: RunPresentation;
  private readonly decoder = new StringDecoder('utf8');
  private current: InFlight | undefined;
  private idleText = '';
  private ended: Error | undefined;
  private closing: Promise<void> | undefined;
  private bootExitSeen = false;
  private lastChunkTail = '';

  constructor(private readonly parts: VmSessionParts) {
    this.startMs = parts.bootMs;
    this.presentation = parts.presentation;
    this.description = `one VM boot (${(parts.bootMs / 1000).toFixed(1)} s, ${parts.presentation.name} presentation) for every run of this scenario`;
    // The guest stopping on its own (panic, crash, killed from outside) ends the session.
    parts.proc.done.then(
      (o) => this.end(new VmGuestError('VM_SESSION_GUEST_EXITED', this.oneShotGuest()
        ? 'the VM session\'s guest ran its one-shot protocol instead of session mode (its /isobench/probe predates sessions): rebuild the image with this isobench'
        : `the VM session's guest stopped (QEMU exit status ${o.exitCode})`, this.consoleTail())),
      (e: unknown) => this.end(e instanceof Error ? e : new Error(String(e))),
    );
  }

  /** Console output as QEMU writes it (LaunchOptions.interactive). */
  feed(chunk: Buffer): void {
    const s = this.decoder.write(chunk);
    // A marker may straddle two chunks: look at the end of the previous one too.
    this.bootExitSeen ||= (this.lastChunkTail + s).includes(`isobench.exit ${this.parts.bootToken} `);
    this.lastChunkTail = s.slice(-200);
    const run = this.current;
    if (!run) {
      this.idleText = (this.idleText + s).slice(-IDLE_TAIL);
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
    const g = parseGuestConsole(run.text.slice(0, exit.index + exit[0].length), run.token);
    clearTimeout(run.timer);
    this.current = undefined;
    this.idleText = run.text.slice(exit.index + exit[0].length);
    run.resolveDone({ startupMs: run.readyMs, exitMs, exitCode: g.exitCode ?? Number(exit[1]), output: g.output });
  }

  async start(w: WorkloadInvocation): Promise<Running> {
    const cmd = { token: w.token, argv: w.argv, timeoutMs: w.timeoutMs, ...this.parts.commandFor(w) };
    if (this.ended) throw new VmGuestError('VM_SESSION_ENDED', `the VM session ended before this run: ${this.ended.message}`, this.consoleTail());
    if (this.current) throw new VmGuestError('VM_SESSION_BUSY', `the VM session is still running ${this.current.token}: one run at a time`, '');
    const line = encodeSessionCommand({ token: cmd.token, argv: cmd.argv, env: cmd.env, cwd: cmd.cwd });
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
        void this.kill(new LaunchError('timeout', `${cmd.argv[0]} did not finish within ${cmd.timeoutMs} ms in the VM session (${where}); the session's guest was killed`, outputTail(run.text), cmd.argv));
      }, cmd.timeoutMs),
      resolveReady,
      resolveDone,
      fail: (e) => { rejectReady(e); rejectDone(e); },
    };
    this.current = run;
    this.idleText = '';
    this.parts.proc.stdin!.write(line);
    const running: Running & { kill: () => void } = {
      commandLine: [...this.parts.proc.commandLine],
      ready,
      presentation: this.parts.presentation,
      // A run abandoned while in flight (the harness gave up on it) takes the session with it: nothing of it may leak into the next run.
      kill: () => {
        if (this.current === run) void this.kill(new VmGuestError('VM_SESSION_RUN_ABANDONED', 'a run of the VM session was abandoned while in flight; the session\'s guest was killed', outputTail(run.text)));
      },
    };
    runs.set(running, done);
    return running;
  }

  /** Halts the guest (sync + reset), kills QEMU if it does not stop in time, removes the VM's dir. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      // A guest between runs halts itself (init syncs, then resets); one with a run in flight is killed.
      const graceful = !this.ended && !this.current;
      this.end(new VmGuestError('VM_SESSION_CLOSED', 'the VM session was closed', ''));
      if (graceful) {
        this.parts.proc.stdin?.write(SESSION_HALT);
        this.parts.proc.stdin?.end();
        const t = new Promise<void>((r) => setTimeout(r, SESSION_HALT_WAIT_MS).unref());
        await Promise.race([this.parts.proc.done.then(() => undefined, () => undefined), t]);
      }
      this.parts.proc.kill('SIGTERM');
      await this.parts.proc.done.catch(() => undefined);
      await this.parts.reap();
    })();
    return this.closing;
  }

  /** Ends the session with `why`: the run in flight fails with it, QEMU is killed and its dir removed. */
  private async kill(why: Error): Promise<void> {
    this.end(why);
    await this.close();
  }

  private end(why: Error): void {
    if (this.ended) return;
    this.ended = why;
    const run = this.current;
    this.current = undefined;
    if (run) {
      clearTimeout(run.timer);
      run.fail(why instanceof LaunchError || why instanceof VmGuestError ? why : new VmGuestError('VM_NO_EXIT_STATUS', `the guest stopped without reporting the workload's exit status: ${why.message}`, run.text));
    }
    this.parts.onEnd();
  }

  /** An init without session mode prints the boot token, finds nothing to run and reports exit status 0 for it. */
  private oneShotGuest(): boolean {
    return this.bootExitSeen;
  }

  private consoleTail(): string {
    return outputTail(this.current?.text ?? this.idleText);
  }
}
