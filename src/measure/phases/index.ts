import type { RunPhase } from './types.js';
import { registryPhase } from './registry.js';

export type { RunPhase, PhaseContext } from './types.js';

/** Phases of `bench run all` after the timed scenarios, in order. Features add theirs here. */
export const phases: RunPhase[] = [
  registryPhase,
  // isolation (probe checks), portability (export/import, registry), engine facts, claims (last)
];
