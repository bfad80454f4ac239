import * as z from 'zod';
import { factStatusSchema } from '../common.js';

/** results.facts.startupCrossCheck: the harness clock against `hyperfine -N` on the host probe. */
export const startupCrossCheckSchema = z.object({
  status: factStatusSchema,
  reason: z.string().optional(),
  command: z.array(z.string()).optional().describe('exact hyperfine command line'),
  hyperfineMedianMs: z.number().optional(),
  hyperfineMeanMs: z.number().optional(),
  hyperfineRuns: z.number().int().optional(),
  benchMedianMs: z.number().optional().describe('median startupMs of the host arm of the `startup` scenario in this run'),
  ratio: z.number().optional(),
  withinTolerance: z.boolean().optional(),
  tolerance: z.number().optional(),
}).describe('results.facts.startupCrossCheck: the harness clock against `hyperfine -N` on the host probe.');
export type StartupCrossCheck = z.infer<typeof startupCrossCheckSchema>;
