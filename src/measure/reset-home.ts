import { existsSync } from 'node:fs';
import { rm, unlink } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import type { HomePaths } from '../core/home.js';
import { BenchError } from '../core/errors.js';
import { writableOutsideViews } from '../core/mount-views.js';
import { mountsUnder } from '../engine/rootfs/mounts.js';
import { gcAll, type FullGcReport } from './gc-all.js';
import { RUN_LOCK_FILE, runLockHolder } from './run-lock.js';

const run = promisify(execFile);

export class ResetRefusedError extends BenchError {}

export interface ResetReport {
  gc: FullGcReport;
  /** Mounts still under the home after gc, unmounted here. */
  unmounted: string[];
  removed: string;
}

/**
 * `bench reset`: the safe way to delete a home. A plain `rm -rf` of a home
 * whose run was killed can follow a mount under it; this runs gc first
 * (processes, containers, cgroups, netns, run dirs), unmounts whatever is
 * still mounted under the home (made rslave first, so no unmount propagates
 * to the host), and deletes the tree only once the mount table shows
 * nothing under it. Refused while a live run or container uses the home.
 */
export async function resetHome(home: HomePaths): Promise<ResetReport> {
  if (!existsSync(home.root)) throw new ResetRefusedError('RESET_NO_HOME', `${home.root} does not exist`, { hint: 'nothing to reset' });
  if (path.resolve(home.root) === '/') throw new ResetRefusedError('RESET_REFUSED', 'refusing to reset /');
  const holder = await runLockHolder(home);
  if (holder) {
    throw new ResetRefusedError('RESET_HOME_BUSY', `a run is using ${home.root}: pid ${holder.harnessPid}${holder.command ? ` (${holder.command})` : ''}`, { hint: 'wait for it to end (or stop it), then reset' });
  }
  const gc = await gcAll(home);
  const live = [...gc.engine.kept, ...gc.vms.kept, ...gc.runs.kept];
  if (live.length > 0) {
    throw new ResetRefusedError('RESET_HOME_BUSY', `still in use in ${home.root}: ${live.join('; ')}`, { hint: 'stop them first (bench ctr rm -f ID for containers), then reset' });
  }
  const unmounted: string[] = [];
  for (const m of [...mountsUnder(home.root)].reverse()) await run('mount', ['--make-rslave', m]).catch(() => {});
  for (const m of mountsUnder(home.root)) {
    try {
      await run('umount', [m]);
    } catch {
      await run('umount', ['-l', m]).catch(() => {});
    }
    unmounted.push(m);
  }
  const left = mountsUnder(home.root);
  const views = writableOutsideViews(home.root);
  if (left.length > 0 || views.length > 0) {
    throw new ResetRefusedError('RESET_MOUNTS_LEFT', `still mounted under ${home.root}: ${left.join(', ')}; nothing was deleted`, { hint: 'unmount them by hand (umount -l), then run bench reset again' });
  }
  await unlink(path.join(home.root, RUN_LOCK_FILE)).catch(() => {});
  await rm(home.root, { recursive: true, force: true });
  return { gc, unmounted, removed: home.root };
}
