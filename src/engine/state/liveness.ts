import { readFileSync } from 'node:fs';

/** Field 22 of /proc/<pid>/stat (start time in clock ticks), or null when the pid is gone. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) may hold spaces and parens: split after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = rest[19];
    const state = rest[0];
    if (state === 'Z' || state === 'X') return null;
    return start ?? null;
  } catch {
    return null;
  }
}

/** True while `pid` runs and is the same process that had `startTime`. */
export function isAlive(pid: number | null, startTime: string | null): boolean {
  if (pid === null || pid <= 0) return false;
  const now = processStartTime(pid);
  return now !== null && (startTime === null || now === startTime);
}
