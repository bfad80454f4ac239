import * as z from 'zod';
import { acceleratorSchema } from './common.js';

/* results.manifest: the machine the figures were measured on. */

export const manifestSchema = z.object({
  hostname: z.string(),
  cpu: z.object({ model: z.string(), cores: z.number().int(), physicalCores: z.number().int(), mhz: z.number().optional(), flags: z.string().optional() }),
  memoryBytes: z.number(),
  os: z.object({ distro: z.string(), release: z.string(), kernel: z.string(), arch: z.string() }),
  virtualization: z.object({ hostIsVirtual: z.boolean(), hypervisor: z.string().optional(), kvm: z.string(), accelerator: acceleratorSchema.optional() }),
  cgroup: z.string(),
  tools: z.record(z.string(), z.string()),
  node: z.string(),
  gitRevision: z.string(),
  label: z.string().optional().describe('bench run --label: names this host in a cross-host merge (default: the hostname)'),
  concurrentRunsAllowed: z.boolean().optional().describe('--allow-concurrent: another run on this home may have shared the CPUs with this one'),
});
export type Manifest = z.infer<typeof manifestSchema>;
