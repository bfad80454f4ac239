import { promises as fs } from 'node:fs';
import type { Engine } from './engine.js';
import { loadState } from '../state/store.js';
import { containerPaths } from '../rootfs/paths.js';

/** stdout+stderr of a detached container (foreground runs print to the terminal instead). */
export async function readLogs(engine: Engine, id: string): Promise<string> {
  await loadState(engine.home, id);
  return fs.readFile(containerPaths(engine.home, id).log, 'utf8').catch(() => '');
}
