import type { Engine } from './engine.js';
import { listStates } from '../state/store.js';
import type { ContainerState } from '../state/types.js';
import { compareStrings } from '../../core/compare.js';

/** Containers of this home with their live status (running ones first by creation). */
export async function listContainers(engine: Engine, opts: { all?: boolean } = {}): Promise<ContainerState[]> {
  const states = await listStates(engine.home);
  return states.filter((s) => opts.all || s.status !== 'stopped').sort((a, b) => compareStrings(a.createdAt, b.createdAt));
}
