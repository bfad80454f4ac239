import * as z from 'zod';
import { factStatusSchema } from '../common.js';

/** results.facts.vmKernelComparison: the run's VM startup beside the same image booted with the distribution's kernel. */
export const vmKernelComparisonSchema = z.object({
  status: factStatusSchema,
  reason: z.string().optional(),
  accelerator: z.string().optional().describe("the accelerator both kernels ran under (the run's decision)"),
  ours: z.object({ kernel: z.string(), medianMs: z.number(), n: z.number().int() }).optional().describe("the run's own vm startup figure (isobench's guest kernel)"),
  stock: z
    .object({ kernel: z.string(), source: z.string(), medianMs: z.number(), n: z.number().int(), samplesMs: z.array(z.number()) })
    .optional()
    .describe('the same image, initramfs and QEMU, booted with the distribution kernel'),
  ratio: z.number().optional().describe('stock / ours'),
  command: z.array(z.string()).optional().describe('exact QEMU command line of the first stock boot'),
}).describe('results.facts.vmKernelComparison: the run\'s VM startup beside the same image booted with the distribution\'s kernel.');
export type VmKernelComparison = z.infer<typeof vmKernelComparisonSchema>;
