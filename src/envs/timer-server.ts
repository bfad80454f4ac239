/**
 * One long-lived `isobench-timer --serve` per timer binary, shared by every
 * launch of this process (src/native/timer/serve.c has the protocol).
 *
 * Why: Node's spawn() forks the whole harness process, ~3.4 ms of its own
 * CPU per run here, and the timer waits out the harness's post-spawn work
 * before its clock starts (LAUNCH_DEFAULTS.settleUs). For a 1 ms host start
 * that was most of a run's cost, and the startup scenario buys precision
 * with runs. Writing a request to a running timer costs microseconds; the
 * timing code is the same as a single run's.
 *
 * One run at a time: a launch while a run is in flight gets undefined and
 * spawns a timer of its own, as before. The server is unreferenced while
 * idle (it never keeps the harness alive) and dies with the harness
 * (PDEATHSIG, and end of its stdin). A server that dies fails its run in
 * progress ("timer-failed", with its stderr); the next launch starts another.
 *
 * ISOBENCH_TIMER_SERVER=0 turns it off: every run spawns its own timer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';

export interface ServedRequest {
  token: string;
  timeoutMs: number;
  settleUs: number;
  quiet: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv | Record<string, string>;
  argv: string[];
}

export interface ServedHandlers {
  output: (b: Buffer) => void;
  report: (chunk: string) => void;
  /** The server's stderr, when it died during the run. */
  timerError: (b: Buffer) => void;
  /** Called once: (0, null) after the run's last report, else the server's exit code or signal. */
  end: (code: number | null, signal: NodeJS.Signals | null) => void;
}

export interface ServedRun {
  /** The server's PID (the program is its child). */
  pid: number;
  /** Asks the server to signal the program (TERM, INT and HUP become KILL, as with a timer of its own). */
  kill(signal: NodeJS.Signals): void;
}

interface InFlight {
  id: string;
  handlers: ServedHandlers;
  reports: string;
}

export function timerServerEnabled(): boolean {
  return process.env.ISOBENCH_TIMER_SERVER !== '0';
}

const servers = new Map<string, TimerServer>();

/** The shared server for this timer binary (started on its first run). */
export function timerServer(timer: string): TimerServer {
  let s = servers.get(timer);
  if (!s) servers.set(timer, (s = new TimerServer(timer)));
  return s;
}

export class TimerServer {
  private child?: ChildProcess;
  private current?: InFlight;
  private pending: Buffer = Buffer.alloc(0);
  private stderr = '';
  private seq = 0;

  constructor(readonly timer: string) {}

  /** PID of the running server (undefined before its first run or after it died). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the run if the server is free; undefined when a run is in flight or a field cannot be sent (a NUL in it). */
  tryRun(req: ServedRequest, handlers: ServedHandlers): ServedRun | undefined {
    if (this.current) return undefined;
    const env = Object.entries(req.env).filter((e): e is [string, string] => e[1] !== undefined).map(([k, v]) => `${k}=${v}`);
    const fields = ['run', '', req.token, String(req.timeoutMs), String(req.settleUs), req.quiet ? '1' : '0', req.cwd, String(env.length), ...env, String(req.argv.length), ...req.argv];
    if (fields.some((f) => f.includes('\0'))) return undefined;
    const child = this.ensure();
    if (!child?.stdin || child.pid === undefined) return undefined;
    const id = `r${++this.seq}`;
    fields[1] = id;
    const run: InFlight = { id, handlers, reports: '' };
    this.current = run;
    this.setRef(true);
    child.stdin.write(fields.map((f) => `${f}\0`).join(''));
    const pid = child.pid;
    return {
      pid,
      kill: (signal) => {
        if (this.current !== run || this.child !== child) return;
        const n = constants.signals[signal];
        if (n !== undefined) child.stdin?.write(`kill\0${id}\0${n}\0`);
      },
    };
  }

  private ensure(): ChildProcess | undefined {
    if (this.child) return this.child;
    const child = spawn(this.timer, ['--serve'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    this.pending = Buffer.alloc(0);
    this.stderr = '';
    child.stdout!.on('data', (b: Buffer) => this.onData(b));
    child.stderr!.on('data', (b: Buffer) => { this.stderr = (this.stderr + b.toString('utf8')).slice(-4000); });
    // A write to a server that died: its 'close' fails the run.
    child.stdin!.on('error', () => {});
    child.on('error', () => {}); // spawn failed: 'close' follows with a code
    child.on('close', (code, signal) => {
      if (this.child === child) this.child = undefined;
      const run = this.current;
      this.current = undefined;
      if (run) {
        // Its stderr is what a timer of its own would have left there: the collector names the failure from it.
        run.handlers.timerError(Buffer.from(this.stderr || `isobench-timer --serve ended during the run`));
        run.handlers.end(code, signal);
      }
    });
    this.setRef(false);
    return child;
  }

  /** Frames "K ID LEN\n" + LEN bytes: K = O (the program's output) or R (report lines). */
  private onData(b: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, b]) : b;
    for (;;) {
      const nl = this.pending.indexOf(0x0a);
      if (nl < 0) return;
      const header = /^([OR]) (\S+) (\d+)$/.exec(this.pending.subarray(0, nl).toString('latin1'));
      if (!header) {
        // Not the protocol: end this server (its 'close' fails the run in flight); the next run starts another.
        this.pending = Buffer.alloc(0);
        this.child?.kill('SIGKILL');
        return;
      }
      const [, kind, id, lenText] = header;
      const len = Number(lenText);
      if (this.pending.length < nl + 1 + len) return;
      const body = this.pending.subarray(nl + 1, nl + 1 + len);
      this.pending = this.pending.subarray(nl + 1 + len);
      const run = this.current;
      if (!run || run.id !== id) continue;
      if (kind === 'O') run.handlers.output(Buffer.from(body));
      else {
        const text = body.toString('utf8');
        run.reports += text;
        run.handlers.report(text);
        if (/^(exit|spawn-error) /m.test(run.reports)) {
          this.current = undefined;
          this.setRef(false);
          run.handlers.end(0, null);
        }
      }
    }
  }

  /** While a run is in flight the server keeps the harness alive; idle, it does not. */
  private setRef(on: boolean): void {
    const c = this.child;
    if (!c) return;
    const streams = [c.stdin, c.stdout, c.stderr] as unknown as ({ ref?: () => void; unref?: () => void } | null)[];
    if (on) { c.ref(); for (const s of streams) s?.ref?.(); } else { c.unref(); for (const s of streams) s?.unref?.(); }
  }
}
