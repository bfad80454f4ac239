import * as z from 'zod';
import { manifestSchema } from './manifest.js';
import { imageInfoSchema } from './image.js';
import { environmentInfoSchema } from './environments.js';
import { scenarioResultSchema } from './scenarios.js';
import { isolationResultsSchema } from './isolation.js';
import { claimsSchema } from './claims.js';
import { factsSchema } from './facts/index.js';

/**
 * results.json — the one artefact every report is rendered from. Versioned:
 * bump RESULTS_SCHEMA_VERSION on any incompatible change and teach
 * migrate.ts to lift (or reject) the older files.
 */
export const RESULTS_SCHEMA_VERSION = 2 as const;

export const runResultsSchema = z.object({
  schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
  runId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  command: z.array(z.string()).describe('the exact bench invocation'),
  tool: z.object({ name: z.literal('isobench'), version: z.string(), gitRevision: z.string() }),
  manifest: manifestSchema,
  image: imageInfoSchema.optional(),
  images: z.array(imageInfoSchema).optional()
    .describe('every image the run used when more than one (the workload image first, then e.g. the applications image); each environment result names its own imageDigest'),
  options: z.object({
    rounds: z.number().int().optional(),
    warmup: z.number().int().optional(),
    scenarios: z.array(z.string()),
    envs: z.array(z.string()),
    precision: z.number().optional().describe('--precision of sequential sampling'),
    maxRounds: z.number().int().optional().describe('--max-rounds'),
    budgetMs: z.number().optional().describe('--budget, ms'),
  }),
  environments: z.array(environmentInfoSchema),
  scenarios: z.array(scenarioResultSchema),
  isolation: isolationResultsSchema.optional().describe('per check x environment evidence (the isolation phase)'),
  claims: claimsSchema.optional().describe('one row per seed sentence (the claims phase, last)'),
  facts: factsSchema.optional().describe('measured facts beside the timed scenarios, one key per fact'),
  warnings: z.array(z.string()),
});
export type RunResults = z.infer<typeof runResultsSchema>;

