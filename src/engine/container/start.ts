import { openSync, readSync, closeSync, unlinkSync, constants } from 'node:fs';
import type { Engine } from './engine.js';
import { loadState, writeState } from '../state/store.js';
import { assertCan } from '../state/guards.js';
import { isAlive } from '../state/liveness.js';
import { containerPaths } from '../rootfs/paths.js';
import { ProcessError } from '../../core/errors.js';
import type { ContainerState } from '../state/types.js';

/**
 * Lets a created container exec its program: opening the start fifo for
 * reading unblocks the init's open-for-write (runc's exec.fifo). Non-blocking
 * reads so a container that died during set-up cannot hang us.
 */
export async function startContainer(engine: Engine, id: string, timeoutMs = 10_000): Promise<ContainerState> {
  const state = await loadState(engine.home, id);
  assertCan('start', id, state.status);
  const paths = containerPaths(engine.home, id);
  const fd = openSync(paths.fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const deadline = Date.now() + timeoutMs;
  const buf = Buffer.alloc(1);
  try {
    for (;;) {
      let n = 0;
      try {
        n = readSync(fd, buf, 0, 1, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      }
      if (n === 1) break;
      if (!isAlive(state.shimPid, state.shimStartTime)) throw new ProcessError('CONTAINER_DIED', `container ${id} exited before it could start`, { hint: `see \`bench ctr logs ${id}\`` });
      if (Date.now() > deadline) throw new ProcessError('START_TIMEOUT', `container ${id} did not reach its start point within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 2));
    }
  } finally {
    closeSync(fd);
  }
  unlinkSync(paths.fifo);
  state.status = 'running';
  state.startedAt = new Date().toISOString();
  await writeState(engine.home, state);
  return state;
}
