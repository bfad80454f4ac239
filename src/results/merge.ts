import * as z from 'zod';
import { verdictSchema } from './claims.js';

/*
 * merged.json: what `bench merge` writes from several results.json of
 * different hosts. Figures are ratios to each host's own `host` environment;
 * raw figures never sit side by side across machines.
 */

export const MERGE_SCHEMA_VERSION = 1 as const;

export const mergedHostSchema = z.object({
  id: z.string().describe('column name: --label or hostname, "#2", "#3" appended for repeat runs of the same host'),
  label: z.string().optional(),
  hostname: z.string(),
  runId: z.string(),
  file: z.string(),
  repeatOf: z.string().optional().describe('id of the first run of the same host, when this is a repeat run'),
});
export type MergedHost = z.infer<typeof mergedHostSchema>;

export const manifestDiffRowSchema = z.object({
  field: z.string(),
  values: z.array(z.string()).describe('one per host, in host order'),
  differs: z.boolean(),
});
export type ManifestDiffRow = z.infer<typeof manifestDiffRowSchema>;

export const mergedRatioCellSchema = z.object({
  status: z.enum(['ok', 'failed', 'skipped', 'absent', 'baseline']),
  ratio: z.number().optional().describe('env / host of the same machine'),
  lo: z.number().optional(),
  hi: z.number().optional(),
  accelerator: z.string().optional(),
  note: z.string().optional(),
});
export type MergedRatioCell = z.infer<typeof mergedRatioCellSchema>;

export const mergedScenarioSchema = z.object({
  scenario: z.string(),
  metric: z.string(),
  unit: z.string(),
  higherIsBetter: z.boolean(),
  rows: z.array(z.object({ env: z.string(), cells: z.array(mergedRatioCellSchema) })),
});
export type MergedScenario = z.infer<typeof mergedScenarioSchema>;

export const mergedClaimSchema = z.object({
  id: z.string(),
  sentence: z.string(),
  verdicts: z.array(z.object({ verdict: verdictSchema.or(z.literal('absent')), reason: z.string(), evidence: z.array(z.string()) })),
  differs: z.boolean(),
});
export type MergedClaim = z.infer<typeof mergedClaimSchema>;

export const mergedReportSchema = z.object({
  mergeSchemaVersion: z.literal(MERGE_SCHEMA_VERSION),
  resultsSchemaVersion: z.number().int(),
  createdAt: z.string(),
  hosts: z.array(mergedHostSchema),
  manifestDiff: z.array(manifestDiffRowSchema),
  flags: z.array(z.string()).describe('what a reader must know first: different image digests, repeat runs'),
  scenarios: z.array(mergedScenarioSchema),
  claims: z.array(mergedClaimSchema),
  differingVerdicts: z.array(z.string()).describe('one line per claim whose verdict differs between hosts, with the differing evidence'),
});
export type MergedReport = z.infer<typeof mergedReportSchema>;
