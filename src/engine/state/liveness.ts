import { processStartTime as startTimeOf } from '../../core/process-owner.js';

/** Field 22 of /proc/<pid>/stat (start time in clock ticks), or null when the pid is gone or a zombie. */
export function processStartTime(pid: number): string | null {
  return startTimeOf(pid) ?? null;
}

/** True while `pid` runs and is the same process that had `startTime`. */
export function isAlive(pid: number | null, startTime: string | null): boolean {
  if (pid === null || pid <= 0) return false;
  const now = processStartTime(pid);
  return now !== null && (startTime === null || now === startTime);
}
