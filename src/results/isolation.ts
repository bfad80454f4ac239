import * as z from 'zod';
import { jsonRecordSchema } from './common.js';

/* results.isolation: the probe's checks in every environment, classified against the seed's claims. */

export const checkOutcomeSchema = z.enum(['as-claimed', 'contradicts', 'not-applicable']);
export type CheckOutcome = z.infer<typeof checkOutcomeSchema>;

/** Whether the observation shows the environment isolated from the host on this axis (whatever the seed claims). */
export const isolationSchema = z.enum(['isolated', 'exposed', 'n/a']);
export type Isolation = z.infer<typeof isolationSchema>;

/** One JSON line the probe printed ({"check": name, ...observations}), kept as parsed. */
export const evidenceLineSchema = jsonRecordSchema;

export const checkResultSchema = z.object({
  check: z.string().describe('check name: namespaces, kernel, hypervisor, processes, root, network, hostname, ipc, mounts, chroot-escape, privileges, masked-paths, devices, memory-limit'),
  env: z.string(),
  expected: z.string().describe("what the seed's claims lead us to expect in this environment, in words"),
  observed: z.string().describe('what the probe saw, in words'),
  outcome: checkOutcomeSchema,
  state: z.string().optional().describe('the observed state in the check\'s vocabulary ("hidden", "host-kernel" ...); absent in older results'),
  isolation: isolationSchema.optional().describe('isolated or exposed, as observed (src/probe/isolation-states.ts); absent in older results'),
  evidence: z.string().describe("the probe's evidence line(s), verbatim or summarized"),
  raw: evidenceLineSchema.optional(),
});
export type CheckResult = z.infer<typeof checkResultSchema>;

/** What the host looks like, recorded before any environment is probed; classifiers compare against it. */
export const hostFactsSchema = z.object({
  recordedAt: z.string(),
  bootId: z.string(),
  kernelRelease: z.string(),
  hostname: z.string(),
  ns: z.record(z.string(), z.string()).describe('readlink /proc/self/ns/<name>, e.g. { net: "net:[4026531833]" }'),
  hypervisor: z.object({ bit: z.boolean(), vendor: z.string().nullable(), brand: z.string().nullable() }),
  capEff: z.string().optional(),
  interfaces: z.array(z.string()),
  mountinfoLines: z.number().optional(),
  devCount: z.number().optional(),
  maskedPaths: z.object({ read: z.record(z.string(), z.string()), write: z.record(z.string(), z.string()) }),
  memTotalMiB: z.number(),
  evidence: z.record(z.string(), evidenceLineSchema).describe("the probe's read-only evidence lines on the host, verbatim (same format as inside environments)"),
  sentinel: z
    .object({ pid: z.number().int(), shmKey: z.number().int(), shmKeyHex: z.string(), port: z.number().int(), file: z.string() })
    .optional()
    .describe('the host objects the probes look for from inside each environment'),
  escapeSentinels: z
    .object({
      loop: z.union([z.object({ device: z.string(), majorMinor: z.string(), file: z.string() }), z.string()]),
      cgroup: z.string(),
      cgroupDirs: z.number().int(),
      hostBinaries: z.array(z.string()),
    })
    .optional()
    .describe('what the escape checks look for: a loop device over a file holding the run token (or why none), a scratch cgroup, the engine binaries as dev:ino'),
  leftovers: z.array(z.string()).optional().describe('sentinels that could not be removed (a warning names them too)'),
});
export type HostFacts = z.infer<typeof hostFactsSchema>;

export const isolationEnvSchema = z.object({
  env: z.string(),
  status: z.enum(['ok', 'failed', 'skipped']),
  reason: z.string().optional(),
});
export type IsolationEnv = z.infer<typeof isolationEnvSchema>;

export const isolationResultsSchema = z.object({
  hostFacts: hostFactsSchema,
  envs: z.array(isolationEnvSchema),
  checks: z.array(checkResultSchema),
});
export type IsolationResults = z.infer<typeof isolationResultsSchema>;
