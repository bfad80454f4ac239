import type { HomePaths } from '../core/home.js';
import { checkWritableDir } from '../core/fs-errors.js';
import { checkOutDir } from './out-dir.js';
import type { Environment } from '../envs/types.js';
import type { ProgressSink } from '../measure/progress.js';
import { acquireRunLock, type RunLock } from '../measure/run-lock.js';

/** Exit codes of a run stopped by a signal: 128 + the signal number, as shells report it. */
export const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

/** Free space checked before a run starts (estimates: image store, unpacked copies, VM caches; results and reports). */
export const HOME_MIN_FREE = 128 * 2 ** 20;
export const OUT_MIN_FREE = 8 * 2 ** 20;

export interface StopHandle {
  /** Aborted on the first SIGINT/SIGTERM; its reason is the signal's name. */
  signal: AbortSignal;
  dispose(): void;
}

/**
 * SIGINT and SIGTERM stop a run the same way: the first one is honoured
 * between two steps (runs, phases, VM boots); the run then cleans up, saves
 * what it measured and renders the reports, and exits 130 / 143. A second
 * signal cleans the environments up right away and exits.
 */
export function installStop(progress: ProgressSink, environments: () => Environment[]): StopHandle {
  const stop = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => {
    const name = sig === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
    if (!stop.signal.aborted) {
      stop.abort(name);
      progress.warn(`${name === 'SIGINT' ? 'SIGINT (Ctrl-C)' : 'SIGTERM'}: stopping after the current step, then cleaning up, saving results and rendering reports (send it again to stop now)`);
      return;
    }
    progress.warn(`${name} again: cleaning up environments now, without reports`);
    void Promise.allSettled(environments().map((e) => e.cleanup())).then(() => process.exit(SIGNAL_EXIT[name]));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: stop.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/**
 * Before any work: --out and the home must be writable with room to spare
 * (found now, not after minutes of measuring), and no other live run may
 * hold the home unless --allow-concurrent. Returns the lock to release.
 */
export async function preflight(home: HomePaths, outDir: string, command: string, allowConcurrent: boolean): Promise<RunLock> {
  // Shape first (a file in the path, /proc): a recursive mkdir there fails late or, on procfs, never returns.
  await checkOutDir(outDir);
  await checkWritableDir(outDir, OUT_MIN_FREE, '--out');
  await checkWritableDir(home.root, HOME_MIN_FREE, 'the home');
  if (allowConcurrent) return { release: async () => {} };
  return acquireRunLock(home, command);
}
