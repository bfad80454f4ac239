import { readFileSync } from 'node:fs';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * "Who made this, and are they still alive?" for anything the tool leaves on
 * disk while it works (run dirs, VM dirs). A pid alone is not enough — pids
 * are reused — so the owner is pid + the kernel's start time of that pid.
 */
export interface ProcessOwner {
  harnessPid: number;
  /** Field 22 of /proc/<pid>/stat (clock ticks since boot). */
  harnessStart: string;
  startedAt: string;
}

export const OWNER_FILE = 'owner.json';

/**
 * Field 22 of /proc/<pid>/stat (start time in clock ticks since boot), or
 * undefined when the pid is gone or a zombie (it runs nothing any more).
 * Synchronous: one small procfs read, and callers use it in tight checks.
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) may hold spaces and parens: fields restart after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (rest[0] === 'Z' || rest[0] === 'X') return undefined;
    return rest[19];
  } catch {
    return undefined;
  }
}

export async function ownerRecord(pid = process.pid): Promise<ProcessOwner> {
  return { harnessPid: pid, harnessStart: processStartTime(pid) ?? '?', startedAt: new Date().toISOString() };
}

export async function writeOwnerFile(dir: string, owner?: ProcessOwner): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, OWNER_FILE), JSON.stringify(owner ?? (await ownerRecord())));
}

/** undefined when dir has no readable owner file. */
export async function readOwnerFile(dir: string): Promise<ProcessOwner | undefined> {
  try {
    return JSON.parse(await readFile(path.join(dir, OWNER_FILE), 'utf8')) as ProcessOwner;
  } catch {
    return undefined;
  }
}

export async function ownerIsAlive(owner: ProcessOwner): Promise<boolean> {
  return processStartTime(owner.harnessPid) === owner.harnessStart;
}
