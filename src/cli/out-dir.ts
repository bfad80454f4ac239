import { mkdtemp, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../core/errors.js';
import { fsUserError } from '../core/fs-errors.js';

/**
 * Checks an output folder before any work starts, so a wrong --out costs a
 * second, not a measured run: the path, if it exists, is a directory; its
 * deepest existing ancestor is a directory we can create entries in (proved by
 * creating and removing a scratch directory — access(2) says yes to root on
 * /proc, where mkdir then fails). Nothing is left behind. Shared by every
 * command with an --out folder.
 */
export async function checkOutDir(dir: string, option = '--out'): Promise<string> {
  const abs = path.resolve(dir);
  let probe = abs;
  for (;;) {
    const st = await stat(probe).catch((e: NodeJS.ErrnoException) => e);
    if (!(st instanceof Error)) {
      if (!st.isDirectory()) {
        throw new ConfigError('OUT_NOT_DIR', `${option} ${dir}: ${probe === abs ? 'is' : `${probe} is`} a file, not a directory`, { hint: `choose a folder for ${option}` });
      }
      break;
    }
    if (st.code !== 'ENOENT' && st.code !== 'ENOTDIR') throw new ConfigError('OUT_UNUSABLE', `${option} ${dir}: ${st.code} on ${probe}`, { hint: `choose a writable folder for ${option}` });
    const up = path.dirname(probe);
    if (up === probe) break;
    probe = up;
  }
  let scratch: string;
  try {
    scratch = await mkdtemp(path.join(probe, '.isobench-out-check-'));
  } catch (e) {
    // procfs and the like answer ENOENT to any new name: say what it means. A refusal (EROFS, EACCES, ENOSPC) is the filesystem's, reported as such.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ConfigError('OUT_NOT_WRITABLE', `${option} ${dir}: cannot create folders in ${probe} (this filesystem accepts no new folders)`, { hint: `choose a writable folder for ${option}` });
    }
    throw fsUserError(e, `${option} ${dir} is not writable`);
  }
  await rmdir(scratch);
  return abs;
}
