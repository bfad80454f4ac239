import { HostRequirementError } from '../core/errors.js';

/**
 * `run`, `verify` and `ctr` say "run as root" before doing anything, instead
 * of failing half-way with EACCES on the home.
 */
export function requireRoot(command: string, why: string): void {
  const uid = process.getuid?.();
  if (uid === undefined || uid === 0) return;
  throw new HostRequirementError('NOT_ROOT', `${command} needs root (${why}); this is uid ${uid}`, { hint: `run it as root, e.g. sudo ./bench ${command.replace(/^bench /, '')} …` });
}

export function isRoot(): boolean {
  const uid = process.getuid?.();
  return uid === undefined || uid === 0;
}
