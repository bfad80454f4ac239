import type { RunPhase } from './types.js';
import { isolationPhase } from './isolation.js';
import { startupCrossCheckPhase } from './startup-crosscheck.js';
import { claimsPhase } from './claims.js';
import { engineFactsPhase } from './engine-facts.js';
import { registryPhase } from './registry.js';
import { volumesPhase } from './volumes.js';
import { portabilityPhase } from './portability.js';
import { vmKernelComparisonPhase } from './vm-kernel-comparison.js';
import { vmDiskStartupPhase } from './vm-disk-startup.js';

export type { RunPhase, PhaseContext } from './types.js';

/** Phases of `bench run all` after the timed scenarios, in order. Features add theirs here. */
export const phases: RunPhase[] = [
  startupCrossCheckPhase, // first: right after the timed scenarios, under the same host load
  isolationPhase,
  registryPhase,
  volumesPhase,
  portabilityPhase,
  // isolation (probe checks), portability (export/import, registry), engine facts, claims (last)
  engineFactsPhase,
  vmKernelComparisonPhase, // after every other VM boot of the run: it removes the run's vm dir when done
  vmDiskStartupPhase, // no boot of its own: the scenarios' vm rounds, disk against initramfs
  claimsPhase, // must stay last: judges everything above
];
