import fsp from 'node:fs/promises';
import { StoreError } from './errors.js';

/**
 * A cross-process lock on index.json: an O_EXCL lock file holding the owner's
 * pid. A lock whose pid is gone (crashed CLI) is broken; otherwise we retry
 * for up to `timeoutMs`. Only index.json needs it: blobs are content-addressed
 * and written by atomic rename.
 */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  for (;;) {
    try {
      const fh = await fsp.open(lockPath, 'wx', 0o644);
      await fh.writeFile(String(process.pid));
      await fh.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (await isStale(lockPath)) {
        await fsp.rm(lockPath, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new StoreError('STORE_LOCKED', `the image store is locked (${lockPath})`, {
          hint: 'another bench process is writing the store; retry, or remove the lock file if no bench process is running',
        });
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 100);
    }
  }
  try {
    return await fn();
  } finally {
    await fsp.rm(lockPath, { force: true });
  }
}

async function isStale(lockPath: string): Promise<boolean> {
  let text: string;
  try {
    text = await fsp.readFile(lockPath, 'utf8');
  } catch {
    return false; // vanished: the next open will tell
  }
  const pid = Number.parseInt(text, 10);
  // An empty file is a writer between open and write: not stale.
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
