import * as z from 'zod';
import { factStatusSchema } from '../common.js';
import { ratioEstimateSchema } from '../scenarios.js';

/** The VM's startup figures of one presentation, pooled over the scenarios that booted it. */
export const vmPresentationStartupSchema = z.object({
  medianMs: z.number().describe('median startupMs (spawn -> ready token) of these rounds'),
  p5Ms: z.number(),
  p95Ms: z.number(),
  n: z.number().int().describe('boots pooled: measured rounds of cells that booted a VM per run (warm-ups excluded), plus one per cell whose runs shared one VM'),
  scenarios: z.array(z.string()).describe('the scenarios whose vm boots are pooled here'),
  sessionBoots: z.number().int().optional().describe("of n, boots that served a whole cell (a session): their time is spawn to ready for commands, the session's startMs"),
});
export type VmPresentationStartup = z.infer<typeof vmPresentationStartupSchema>;

/**
 * results.facts.vmDiskStartup: what booting from the virtio-blk disk costs the
 * VM's startup, from rounds the run measured anyway (no extra boots).
 */
export const vmDiskStartupSchema = z.object({
  status: factStatusSchema,
  reason: z.string().optional(),
  accelerator: z.string().optional().describe('the accelerator of these boots (one per run)'),
  initramfs: vmPresentationStartupSchema.optional().describe("the startup scenario's vm rounds: the image unpacked into guest RAM"),
  disk: vmPresentationStartupSchema.optional().describe("every vm boot of a scenario that booted from the disk (ext4 base + qcow2 overlay): fileio, fio, sqlite and the applications image's others"),
  ratio: ratioEstimateSchema.optional().describe('median(disk) / median(initramfs) with a 95% bootstrap interval'),
  extraMs: z.number().optional().describe('median(disk) - median(initramfs), ms'),
  note: z.string().optional().describe('how to read it: the rounds come from different scenarios, taken at different moments of the run'),
}).describe("results.facts.vmDiskStartup: the VM's startup from its disk presentation beside the initramfs presentation, from the run's own rounds.");
export type VmDiskStartup = z.infer<typeof vmDiskStartupSchema>;
