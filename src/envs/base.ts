import type { Availability, Environment, Prepared, Running, Session, WorkloadInvocation, WorkloadOutput } from './types.js';
import type { ImageRef } from '../image/types.js';
import type { EnvKind } from '../results/types.js';
import { TimedRuns } from './timed-runs.js';
import { sessionRunOutput } from './session/command-session.js';
import { openContainerSession, type ContainerSessionInput } from './session/container-session.js';

/**
 * What every backend shares: the processes it started (so wait() finds a
 * run's end and cleanup() kills what is left), what each run leaves to undo
 * when it ends (a bundle dir, a veth), and a cleanup that runs once however
 * many callers ask at the same time (the end of a run and a Ctrl-C).
 * A backend implements the rest and its own teardown().
 */
export abstract class TimedEnvironment implements Environment {
  abstract readonly name: string;
  abstract readonly kind: EnvKind;
  protected readonly runs = new TimedRuns();
  /** Sessions a backend opened (openSession): cleanup() closes them before it kills what is left. */
  protected readonly sessions = new Set<Session>();
  private readonly runDone = new Map<Running, Array<() => Promise<void>>>();
  private cleaning: Promise<void> | undefined;

  abstract available(): Promise<Availability>;
  abstract prepare(image: ImageRef): Promise<Prepared>;
  abstract start(p: Prepared, w: WorkloadInvocation): Promise<Running>;

  /** The run's output (a session's run: as its session saw it); then what onRunDone() registered for it, in order, whether the run succeeded or not. */
  async wait(r: Running): Promise<WorkloadOutput> {
    const inSession = sessionRunOutput(r);
    if (inSession) return inSession;
    try {
      return await this.runs.wait(r);
    } finally {
      await this.drainRunDone(r);
    }
  }

  /** Closes open sessions, kills the runs still alive, undoes what their never-waited ends left, then the backend's teardown; concurrent calls share one. Idempotent. */
  cleanup(): Promise<void> {
    this.cleaning ??= Promise.allSettled([...this.sessions].map((s) => s.close()))
      .then(() => this.runs.killAll())
      .then(() => this.drainAllRunDone())
      .then(() => this.teardown())
      .finally(() => { this.cleaning = undefined; });
    return this.cleaning;
  }

  /**
   * Something to undo when run `r` ends: wait() runs these in registration
   * order. One that throws stops wait()'s drain and the error reaches its
   * caller; the ones after it stay registered for cleanup(), which runs them
   * (ignoring errors) before teardown(), as it does for runs never waited.
   */
  protected onRunDone(r: Running, fn: () => Promise<void>): void {
    const fns = this.runDone.get(r);
    if (fns) fns.push(fn);
    else this.runDone.set(r, [fn]);
  }

  private async drainRunDone(r: Running): Promise<void> {
    const fns = this.runDone.get(r);
    if (!fns) return;
    // Taken off one at a time: if one throws, the rest are still pending for cleanup().
    for (let fn = fns.shift(); fn; fn = fns.shift()) await fn();
    this.runDone.delete(r);
  }

  private async drainAllRunDone(): Promise<void> {
    // splice: a wait() draining the same run at this moment finds nothing left to run twice.
    const pending = [...this.runDone.values()].map((fns) => fns.splice(0));
    this.runDone.clear();
    for (const fns of pending) for (const fn of fns) await fn().catch(() => {});
  }

  /**
   * A container session (src/envs/session/container-session.ts) this backend
   * owns: its process is tracked with the runs, and it is in `sessions` until
   * it ends, so cleanup() closes it.
   */
  protected async openTrackedSession(i: Omit<ContainerSessionInput, 'track' | 'onEnd'>): Promise<Session> {
    // Declared first: an instance that stops at once ends the session before openContainerSession returns.
    let s: Session | undefined;
    s = await openContainerSession({ ...i, track: (tp) => { this.runs.track(tp); }, onEnd: () => { if (s) this.sessions.delete(s); } });
    this.sessions.add(s);
    return s;
  }

  /** Removes what prepare() and the runs left: mounts, groups, scratch dirs. Runs after every live run was killed and its per-run undo ran. */
  protected abstract teardown(): Promise<void>;
}
