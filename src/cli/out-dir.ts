import { mkdtemp, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, HostRequirementError } from '../core/errors.js';

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
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'read-only filesystem' : code === 'ENOENT' ? 'this filesystem accepts no new folders' : code;
    const Err = code === 'EACCES' || code === 'EPERM' ? HostRequirementError : ConfigError;
    throw new Err('OUT_NOT_WRITABLE', `${option} ${dir}: cannot create folders in ${probe} (${why})`, { hint: `choose a writable folder for ${option}` });
  }
  await rmdir(scratch);
  return abs;
}
