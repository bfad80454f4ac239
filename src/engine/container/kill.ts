import type { Engine } from './engine.js';
import { loadState } from '../state/store.js';
import { assertCan } from '../state/guards.js';
import type { ContainerState } from '../state/types.js';
import { waitContainer } from './wait.js';

/**
 * Signals the container's PID 1. From outside its pid namespace only
 * SIGKILL/SIGSTOP are forced; other signals reach it only if it handles them
 * (the kernel protects a namespace's init), hence stop's escalation.
 */
export async function killContainer(engine: Engine, id: string, signal: NodeJS.Signals | number = 'SIGKILL'): Promise<void> {
  const s = await loadState(engine.home, id);
  assertCan('kill', id, s.status);
  if (s.initPid === null) return;
  try {
    process.kill(s.initPid, signal);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

/** SIGTERM, then SIGKILL after graceMs; resolves with the stopped state. */
export async function stopContainer(engine: Engine, id: string, graceMs = 10_000): Promise<ContainerState> {
  const s = await loadState(engine.home, id);
  if (s.status === 'stopped') return s;
  await killContainer(engine, id, 'SIGTERM');
  try {
    return await waitContainer(engine, id, graceMs);
  } catch {
    await killContainer(engine, id, 'SIGKILL').catch(() => {});
    return waitContainer(engine, id, 10_000);
  }
}
