import type { Availability, Environment, Prepared, Running, WorkloadInvocation, WorkloadOutput } from './types.js';
import type { ImageRef } from '../image/types.js';
import type { EnvKind } from '../results/types.js';
import { TimedRuns } from './timed-runs.js';

/**
 * What every backend shares: the processes it started (so wait() finds a
 * run's end and cleanup() kills what is left) and a cleanup that runs once
 * however many callers ask at the same time (the end of a run and a Ctrl-C).
 * A backend implements the rest and its own teardown().
 */
export abstract class TimedEnvironment implements Environment {
  abstract readonly name: string;
  abstract readonly kind: EnvKind;
  protected readonly runs = new TimedRuns();
  private cleaning: Promise<void> | undefined;

  abstract available(): Promise<Availability>;
  abstract prepare(image: ImageRef): Promise<Prepared>;
  abstract start(p: Prepared, w: WorkloadInvocation): Promise<Running>;

  wait(r: Running): Promise<WorkloadOutput> {
    return this.runs.wait(r);
  }

  /** Kills the runs still alive, then the backend's teardown; concurrent calls share one. Idempotent. */
  cleanup(): Promise<void> {
    this.cleaning ??= this.runs
      .killAll()
      .then(() => this.teardown())
      .finally(() => { this.cleaning = undefined; });
    return this.cleaning;
  }

  /** Removes what prepare() and the runs left: mounts, groups, scratch dirs. Runs after every live run was killed. */
  protected abstract teardown(): Promise<void>;
}
