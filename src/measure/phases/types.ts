import type { RunResults } from '../../results/types.js';
import type { ImageRef } from '../../image/types.js';
import type { Environment, Prepared } from '../../envs/types.js';
import type { EnvContext } from '../../envs/context.js';

/**
 * A step of `bench run all` beyond the timed scenarios: the isolation probe,
 * portability round-trips, engine facts (disk bytes per container), claims.
 * Phases run after the scenarios, in list order; each writes into `results`
 * (its own key) and the harness saves results.json after every phase, so a
 * crash in one phase loses nothing measured before.
 */
export interface RunPhase {
  readonly name: string;
  run(ctx: PhaseContext): Promise<void>;
}

export interface PhaseContext {
  results: RunResults;
  image: ImageRef;
  /** Environments that were available and prepared in this run. */
  environments: Environment[];
  /** prepare() handles of those environments, by name (prepared once per run). */
  prepared: Map<string, Prepared>;
  env: EnvContext;
  /** Folder of this run's reports (results.json, report.md ...). */
  outDir: string;
  progress: (line: string) => void;
  /** Aborted when the user stops the run (reason: 'SIGINT' | 'SIGTERM'); long phases check it between steps (e.g. VM boots). */
  signal?: AbortSignal;
}
