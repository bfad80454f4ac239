import { existsSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { processStartTime } from './process-owner.js';
import type { Ledger } from './run-ledger.js';

export const SETPRIV = '/usr/bin/setpriv';

/**
 * argv run under `setpriv --pdeathsig KILL`: setpriv sets PR_SET_PDEATHSIG
 * and execs the program in the same pid, so when the harness dies (even by
 * SIGKILL) the kernel kills the helper too. Without setpriv the argv is
 * unchanged and the ledger + `bench gc` are the only net.
 */
export function dieWithParent(argv: readonly string[]): string[] {
  return existsSync(SETPRIV) ? [SETPRIV, '--pdeathsig', 'KILL', '--', ...argv] : [...argv];
}

/** Records a just-spawned helper (pid + kernel start time) so gc can prove a pid is still that helper. */
export function recordChild(ledger: Ledger, child: ChildProcess, argv: readonly string[]): void {
  if (child.pid === undefined) return;
  const start = processStartTime(child.pid);
  if (start === undefined) return;
  ledger({ kind: 'process', pid: child.pid, start, argv: [...argv] });
}

/**
 * SIGKILLs a recorded helper only if that pid still has the recorded start
 * time (pids are reused: an unrelated process with the same pid has another
 * start time). True when it was killed.
 */
export function killIfStillOurs(pid: number, start: string): boolean {
  if (!Number.isInteger(pid) || pid <= 1 || processStartTime(pid) !== start) return false;
  try {
    process.kill(pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}
