import * as z from 'zod';
import { errorInfoSchema, factStatusSchema } from '../common.js';

/** results.facts.registry: push to a registry on loopback, push again, pull into an empty store, run what was pulled. */
export const registryFactsSchema = z.object({
  status: factStatusSchema,
  reason: z.string().optional(),
  error: errorInfoSchema.optional(),
  registry: z.string().optional().describe('host:port of the registry'),
  server: z.string().optional().describe('e.g. "docker-registry (distribution 2.x) on loopback"'),
  reference: z.string().optional(),
  pushedDigest: z.string().optional(),
  pulledDigest: z.string().optional(),
  identical: z.boolean().optional(),
  layers: z.number().int().optional(),
  bytesUploaded: z.number().optional(),
  uploadMode: z.literal('monolithic').optional(),
  layersSkippedOnSecondPush: z.number().int().optional().describe('second push of the same image: every blob answered HEAD 200 and was skipped'),
  blobsUploadedOnSecondPush: z.number().int().optional(),
  pushMs: z.number().optional(),
  pullMs: z.number().optional(),
  ranAfter: z.boolean().optional(),
  ranDetail: z.string().optional(),
}).describe('results.facts.registry: push to a registry on loopback, push again, pull into an empty store, run what was pulled.');
export type RegistryFacts = z.infer<typeof registryFactsSchema>;
