import * as z from 'zod';
import { factStatusSchema } from '../common.js';

/** results.facts.volumes: data written by one container into a named volume, read by the next one. */
export const volumeFactsSchema = z.object({
  status: factStatusSchema,
  reason: z.string().optional(),
  persisted: z.boolean().optional().describe('a file written into a named volume by one container was read back by a second one after the first was removed'),
  volumePath: z.string().optional().describe("the volume's directory (on the host) after both containers were gone"),
  detail: z.string().optional(),
}).describe('results.facts.volumes: data written by one container into a named volume, read by the next one.');
export type VolumeFacts = z.infer<typeof volumeFactsSchema>;
