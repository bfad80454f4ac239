import { BenchError, ConfigError } from '../core/errors.js';
import { fsUserError, isFsErrno } from '../core/fs-errors.js';

/** Prints an error the way users read it and returns the exit code for it. */
export function reportError(err: unknown): number {
  // A filesystem refusing (ENOSPC, EROFS, EACCES ...) is the user's to fix: one line with path and errno, no trace.
  if (!(err instanceof BenchError) && isFsErrno(err)) err = fsUserError(err);
  if (err instanceof BenchError) {
    process.stderr.write(`Error: ${err.message}\n`);
    if (err.hint) process.stderr.write(`Hint: ${err.hint}\n`);
    if (process.env.ISOBENCH_DEBUG && err.stack) process.stderr.write(`${err.stack}\n`);
    return err instanceof ConfigError ? 2 : 1;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`Error: internal: ${e.message}\n${e.stack ?? ''}\n`);
  return 70;
}
