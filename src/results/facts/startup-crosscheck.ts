import * as z from 'zod';
import { factStatusSchema } from '../common.js';

export const crossCheckBlockSchema = z.object({
  tool: z.enum(['isobench-timer', 'hyperfine']),
  runs: z.number().int(),
  medianMs: z.number().describe('median of the block (timer: spawn -> ready token; hyperfine: spawn -> exit)'),
});
export type CrossCheckBlock = z.infer<typeof crossCheckBlockSchema>;

/** results.facts.startupCrossCheck: the harness clock against `hyperfine -N`, in alternating blocks on the same host probe. */
export const startupCrossCheckSchema = z.object({
  status: factStatusSchema,
  reason: z.string().optional(),
  command: z.array(z.string()).optional().describe('exact hyperfine command line of one block'),
  timerCommand: z.array(z.string()).optional().describe('exact isobench-timer command line of one run'),
  blocks: z.array(crossCheckBlockSchema).optional().describe('the blocks in the order they ran (timer and hyperfine alternate, back to back)'),
  hyperfineMedianMs: z.number().optional().describe('median over every hyperfine run of every block'),
  hyperfineMeanMs: z.number().optional(),
  hyperfineRuns: z.number().int().optional(),
  benchMedianMs: z.number().optional().describe('median over every timer run: spawn -> ready token, the startup definition'),
  benchExitMedianMs: z.number().optional().describe("the same runs' spawn -> exit median (what hyperfine measures)"),
  benchRuns: z.number().int().optional(),
  ratio: z.number().optional().describe('benchExitMedianMs / hyperfineMedianMs: the same quantity by both tools'),
  readyRatio: z.number().optional().describe('benchMedianMs / hyperfineMedianMs (token vs exit: slightly below the ratio)'),
  withinTolerance: z.boolean().optional(),
  tolerance: z.number().optional(),
  scenarioHostMedianMs: z.number().optional().describe("the startup scenario's host median, kept as its own figure (measured between other environments' runs)"),
}).describe('results.facts.startupCrossCheck: the harness clock against `hyperfine -N` in like conditions.');
export type StartupCrossCheck = z.infer<typeof startupCrossCheckSchema>;
