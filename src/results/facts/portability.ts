import * as z from 'zod';

/** One move of an environment's artifact to another place, and whether it still ran there. */
export const portabilityEvidenceSchema = z.object({
  env: z.enum(['container', 'vm', 'chroot']),
  method: z.string().describe('e.g. "oci-archive export/import", "registry push/pull", "initramfs copy"'),
  digestBefore: z.string().optional(),
  digestAfter: z.string().optional(),
  identical: z.boolean().optional(),
  ranAfter: z.boolean().optional().describe('whether the moved artifact then ran the probe successfully'),
  detail: z.string(),
}).describe('One move of an environment\'s artifact to another place, and whether it still ran there.');
export type PortabilityEvidence = z.infer<typeof portabilityEvidenceSchema>;

/** results.facts.portability: every move measured in the run (OCI archive, registry, chroot tar, VM files). */
export const portabilityFactsSchema = z.array(portabilityEvidenceSchema);
