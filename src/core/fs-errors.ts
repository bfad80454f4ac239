import { constants as osConstants } from 'node:os';
import { constants } from 'node:fs';
import { access, mkdir, statfs, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BenchError } from './errors.js';

/** A filesystem refused (disk full, read-only, no permission ...): the user's to fix, never an internal error. */
export class FsError extends BenchError {}

/** What to do about each errno a user can fix. */
const HINTS: Record<string, string> = {
  ENOSPC: 'free some space on that filesystem, or point --home / --out at one with room',
  EDQUOT: 'your disk quota is used up: free some space, or use another --home / --out',
  EROFS: 'that filesystem is mounted read-only: choose a writable --out / --home',
  EACCES: 'no permission there: run as a user who may write it, or choose another --out / --home',
  EPERM: 'the operation is not permitted there: choose another --out / --home',
  ENOTDIR: 'a path component is a file, not a directory: fix the path',
  EISDIR: 'a directory is where a file should be: fix the path',
  EMFILE: 'too many open files: raise the limit (ulimit -n)',
  EIO: 'the disk reported an I/O error: check its health (dmesg)',
};

const describeErrno = (code: string): string => {
  const text: Record<string, string> = {
    ENOSPC: 'no space left on device', EDQUOT: 'disk quota exceeded', EROFS: 'read-only file system',
    EACCES: 'permission denied', EPERM: 'operation not permitted', ENOTDIR: 'not a directory',
    EISDIR: 'is a directory', EMFILE: 'too many open files', EIO: 'input/output error', ENOENT: 'no such file or directory',
  };
  return text[code] ?? code;
};

/** True for an error a filesystem raised (an errno code a user can act on). */
export function isFsErrno(err: unknown): err is NodeJS.ErrnoException & { code: string } {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code in osConstants.errno && (code in HINTS || code === 'ENOENT');
}

/**
 * Turns an errno from the filesystem into a one-line user error naming the
 * path and the errno; anything else is returned unchanged (so a bug still
 * shows as one).
 */
export function fsUserError(err: unknown, doing?: string): Error {
  if (err instanceof BenchError) return err;
  if (!isFsErrno(err)) return err instanceof Error ? err : new Error(String(err));
  const dest = (err as { dest?: string }).dest;
  const where = err.path ? `${err.path}${dest ? ` -> ${dest}` : ''}` : doing ?? 'a file';
  const what = doing && err.path ? `${doing}: ` : '';
  return new FsError(`FS_${err.code}`, `${what}cannot ${err.syscall ?? 'write'} ${where}: ${err.code} (${describeErrno(err.code)})`, {
    cause: err,
    hint: HINTS[err.code] ?? 'check that the path exists and is writable',
  });
}

/**
 * Checked before a run starts, so a read-only or full --out / home is found
 * before minutes of measuring, not after: the dir is created, a probe file
 * written and removed, and the free space compared with `minFreeBytes` (an
 * estimate of what the run will write there).
 */
export async function checkWritableDir(dir: string, minFreeBytes: number, label: string): Promise<void> {
  const probe = path.join(dir, `.isobench-write-check-${process.pid}`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(probe, 'x');
  } catch (err) {
    await unlink(probe).catch(() => {});
    throw fsUserError(await rootCause(dir, err), `${label} ${dir} is not writable`);
  }
  await unlink(probe).catch(() => {});
  const st = await statfs(dir);
  const free = Number(st.bavail) * Number(st.bsize);
  if (free < minFreeBytes) {
    throw new FsError('FS_LOW_SPACE', `${label} ${dir} has ${mib(free)} free; a run needs about ${mib(minFreeBytes)} there`, {
      hint: HINTS.ENOSPC!,
    });
  }
}

/**
 * mkdir -p on a read-only filesystem reports ENOENT for the missing child;
 * the real reason is the nearest existing ancestor refusing writes (EROFS,
 * EACCES): report that one.
 */
async function rootCause(dir: string, err: unknown): Promise<unknown> {
  if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return err;
  let p = path.resolve(dir);
  while (p !== path.dirname(p)) {
    p = path.dirname(p);
    try {
      await access(p, constants.F_OK);
    } catch {
      continue;
    }
    try {
      await access(p, constants.W_OK);
      return err;
    } catch (e) {
      return e;
    }
  }
  return err;
}

const mib = (n: number): string => `${(n / 2 ** 20).toFixed(n < 10 * 2 ** 20 ? 1 : 0)} MiB`;
