import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { ProcessError } from '../../core/errors.js';
import { processStartTime, isAlive } from '../state/liveness.js';

export interface DetachedShim {
  pid: number;
  startTime: string | null;
}

/**
 * Starts the shim in its own session with stdout/stderr appended to the
 * container's log, so it (and the container) outlive the CLI process. The
 * shim then records the init's pid and, later, its exit status in files.
 */
export function spawnDetached(shim: string, args: string[], logFile: string): DetachedShim {
  const log = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(shim, args, { detached: true, stdio: ['ignore', log, log], env: {} });
  } finally {
    closeSync(log);
  }
  child.unref();
  if (child.pid === undefined) throw new ProcessError('SHIM_SPAWN', `cannot start ${shim}`);
  return { pid: child.pid, startTime: processStartTime(child.pid) };
}

function readPid(file: string): number | null {
  try {
    const n = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

/** Waits for the shim's pid file; fails with the log tail when the shim died first. */
export async function waitForInitPid(shim: DetachedShim, pidFile: string, logFile: string, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pid = readPid(pidFile);
    if (pid !== null) return pid;
    if (!isAlive(shim.pid, shim.startTime) || Date.now() > deadline) {
      let tail = '';
      try { tail = readFileSync(logFile, 'utf8').slice(-2000).trim(); } catch { /* no log */ }
      throw new ProcessError('SHIM_FAILED', `the container shim did not start the container${tail ? `: ${tail}` : ''}`, { hint: 'see the message above; `bench gc` removes what is left' });
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}
