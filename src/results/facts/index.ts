import * as z from 'zod';
import { startupCrossCheckSchema } from './startup-crosscheck.js';
import { engineFactsSchema } from './engine.js';
import { registryFactsSchema } from './registry.js';
import { volumeFactsSchema } from './volumes.js';
import { portabilityFactsSchema } from './portability.js';
import { ociArchiveFactsSchema } from './oci-archive.js';
import { containerSeparationFactsSchema } from './container-separation.js';
import { vmKernelComparisonSchema } from './vm-kernel-comparison.js';
import { vmDiskStartupSchema } from './vm-disk-startup.js';

export * from './startup-crosscheck.js';
export * from './engine.js';
export * from './registry.js';
export * from './volumes.js';
export * from './portability.js';
export * from './oci-archive.js';
export * from './container-separation.js';
export * from './vm-kernel-comparison.js';
export * from './vm-disk-startup.js';

/**
 * results.facts: measurements beside the timed scenarios, one key per fact,
 * each with its own schema. A new fact is one schema file in this folder
 * plus its line here; every key is optional (a phase that did not run
 * leaves no key).
 */
export const FACT_SCHEMAS = {
  startupCrossCheck: startupCrossCheckSchema,
  engine: engineFactsSchema,
  registry: registryFactsSchema,
  volumes: volumeFactsSchema,
  portability: portabilityFactsSchema,
  ociArchive: ociArchiveFactsSchema,
  containerSeparation: containerSeparationFactsSchema,
  vmKernelComparison: vmKernelComparisonSchema,
  vmDiskStartup: vmDiskStartupSchema,
};

export const factsSchema = z.object(FACT_SCHEMAS).partial();
export type Facts = z.infer<typeof factsSchema>;
export type FactName = keyof Facts;
