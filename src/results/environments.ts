import * as z from 'zod';
import { acceleratorSchema, envKindSchema } from './common.js';

/* results.environments: what each environment of the run was, available or skipped. */

export const environmentInfoSchema = z.object({
  name: z.string(),
  kind: envKindSchema,
  status: z.enum(['available', 'skipped']),
  reason: z.string().optional(),
  description: z.string().optional().describe('e.g. "runc 1.1.5", "QEMU 7.2.x, tcg (emulated)"'),
  version: z.string().optional(),
  accelerator: acceleratorSchema.optional(),
  facts: z.record(z.string(), z.string()).optional().describe('extra facts a report prints beside the figures'),
});
export type EnvironmentInfo = z.infer<typeof environmentInfoSchema>;
