import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { HomePaths } from '../core/home.js';
import { BenchError } from '../core/errors.js';
import { ownerIsAlive, ownerRecord, type ProcessOwner } from '../core/process-owner.js';

/**
 * One measuring run per home at a time: two runs on one home (and on 2
 * cores) skew each other's figures silently. `<home>/run.lock` holds the
 * owner (pid + start time); a lock whose owner is dead (SIGKILL) is taken
 * over. --allow-concurrent skips the lock (and the manifest says so).
 */
export const RUN_LOCK_FILE = 'run.lock';

export class RunLockedError extends BenchError {}

export interface RunLock {
  release(): Promise<void>;
}

async function readLock(file: string): Promise<(ProcessOwner & { command?: string }) | undefined> {
  try { return JSON.parse(await readFile(file, 'utf8')) as ProcessOwner & { command?: string }; } catch { return undefined; }
}

/** The live run that holds this home, if any. */
export async function runLockHolder(home: HomePaths): Promise<(ProcessOwner & { command?: string }) | undefined> {
  const owner = await readLock(path.join(home.root, RUN_LOCK_FILE));
  return owner && (await ownerIsAlive(owner)) ? owner : undefined;
}

export async function acquireRunLock(home: HomePaths, command: string): Promise<RunLock> {
  await mkdir(home.root, { recursive: true });
  const file = path.join(home.root, RUN_LOCK_FILE);
  const mine = { ...(await ownerRecord()), command };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(file, JSON.stringify(mine), { flag: 'wx' });
      return { release: async () => { const o = await readLock(file); if (o?.harnessPid === process.pid) await unlink(file).catch(() => {}); } };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = await readLock(file);
    if (holder && (await ownerIsAlive(holder))) {
      throw new RunLockedError('HOME_BUSY', `another run holds ${home.root}: pid ${holder.harnessPid}${holder.command ? ` (${holder.command})` : ''}, since ${holder.startedAt}`, {
        hint: 'wait for it to finish, use another --home, or pass --allow-concurrent (both runs then share the CPUs and their figures skew)',
      });
    }
    // The holder is dead (killed): move its lock out of the way atomically and retry.
    const stale = `${file}.stale-${process.pid}`;
    await rename(file, stale).catch(() => {});
    await unlink(stale).catch(() => {});
  }
  throw new RunLockedError('HOME_BUSY', `cannot take the run lock ${file}`, { hint: 'another run is starting on this home right now: retry' });
}
