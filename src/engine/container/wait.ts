import type { Engine } from './engine.js';
import { loadState } from '../state/store.js';
import type { ContainerState } from '../state/types.js';
import { ProcessError } from '../../core/errors.js';

/** Polls until the container is stopped; resolves with its final state. */
export async function waitContainer(engine: Engine, id: string, timeoutMs = 60_000): Promise<ContainerState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await loadState(engine.home, id);
    if (s.status === 'stopped') return s;
    if (Date.now() > deadline) throw new ProcessError('WAIT_TIMEOUT', `container ${id} still ${s.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
