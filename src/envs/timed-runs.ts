import type { Running, WorkloadOutput } from './types.js';
import type { TimedProcess } from './launch.js';
import { BenchError } from '../core/errors.js';

/**
 * The processes a backend has started and not yet seen exit, so wait() can
 * find a run's completion and cleanup() can kill whatever is left.
 */
export class TimedRuns {
  private readonly live = new Set<TimedProcess>();

  track(p: TimedProcess): TimedProcess {
    this.live.add(p);
    const forget = (): void => { this.live.delete(p); };
    p.done.then(forget, forget);
    return p;
  }

  wait(r: Running): Promise<WorkloadOutput> {
    if (!isTimed(r)) throw new BenchError('ENV_FOREIGN_RUN', 'wait() got a Running this backend did not start');
    return r.done;
  }

  /** Kills every live process (SIGTERM to the timer's PID; it SIGKILLs its child and reports) and waits. */
  async killAll(): Promise<void> {
    const left = [...this.live];
    for (const p of left) p.kill('SIGTERM');
    await Promise.allSettled(left.map((p) => p.done));
  }
}

function isTimed(r: Running): r is TimedProcess {
  return typeof (r as Partial<TimedProcess>).done?.then === 'function';
}
