import * as z from 'zod';
import { factStatusSchema } from '../common.js';

/** results.facts.engine: N containers of one image at once, what each added on disk, and that the image did not change. */
export const engineFactsSchema = z.object({
  status: factStatusSchema,
  reason: z.string().optional(),
  concurrent: z.number().int().describe('how many containers of one image were started together'),
  allRunningAtOnce: z.boolean().describe('every init was alive after every one wrote its file'),
  imageBytes: z.number().describe("allocated bytes of the image's snapshot dirs (shared by every container)"),
  rwBytesPerContainer: z.array(z.number()).describe("allocated bytes of each container's rw layer (overlay upper dir) after it wrote one small file"),
  copiedImageBytes: z.number().describe('bytes of image files found copied into any rw layer (copy-ups): 0 = nothing of the image was copied'),
  snapshotsUnchanged: z.boolean().describe('sha256 tree hash of the snapshot dirs equal before and after'),
  snapshotHash: z.string(),
  startupBreakdownMs: z.record(z.string(), z.number()).optional().describe("medians of the shim's --trace steps over sequential starts (ms)"),
  startupBreakdownNoNetMs: z.record(z.string(), z.number()).optional().describe('the same without a network namespace: the difference is what a new netns costs'),
  teardownMs: z.number().optional().describe("median of removing a container's rw layer and cgroup after exit (not part of startup)"),
}).describe('results.facts.engine: N containers of one image at once, what each added on disk, and that the image did not change.');
export type EngineFacts = z.infer<typeof engineFactsSchema>;
