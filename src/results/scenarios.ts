import * as z from 'zod';
import { acceleratorSchema, envKindSchema, errorInfoSchema, jsonRecordSchema } from './common.js';
import { userImageInfoSchema } from './image.js';

/* results.scenarios: the timed workloads, one entry per scenario, one result per environment. */

export const metricSpecSchema = z.object({
  name: z.string(),
  unit: z.string(),
  higherIsBetter: z.boolean(),
  description: z.string().optional(),
});
export type MetricSpec = z.infer<typeof metricSpecSchema>;

/** One measured repetition of one workload in one environment. */
export const sampleSchema = z.object({
  round: z.number().int(),
  startupMs: z.number().describe('spawn -> ready token, ms (the startup definition of docs/ARCHITECTURE.md)'),
  exitMs: z.number().describe('spawn -> process exit, ms'),
  execMs: z.number().describe("ready token -> exit, ms: the workload's own wall time"),
  exitCode: z.number().int(),
  metrics: z.record(z.string(), z.number()).describe('parsed workload metrics (e.g. events_per_sec) by name'),
});
export type Sample = z.infer<typeof sampleSchema>;

export const summaryStatsSchema = z.object({
  n: z.number().int(),
  mean: z.number(),
  median: z.number(),
  sd: z.number(),
  mad: z.number(),
  min: z.number(),
  max: z.number(),
  p5: z.number(),
  p95: z.number(),
  outliers: z.array(z.number().int()).describe('indices into the samples flagged by modified z-score > 3.5; kept, never dropped'),
});
export type SummaryStats = z.infer<typeof summaryStatsSchema>;

export const ratioEstimateSchema = z.object({
  ratio: z.number().describe('median(env) / median(host) of the metric (bootstrap-percentile, median-se-sequential); trimmed-sequential: ratio of the 20% trimmed geometric means; paired-slots: exp of the mean (20% trimmed from 10 runs on) over runs of each run\'s median log(env slot / host slot)'),
  lo: z.number(),
  hi: z.number(),
  confidence: z.number(),
  method: z.enum(['bootstrap-percentile', 'median-se-sequential', 'trimmed-sequential', 'paired-slots']).describe('bootstrap-percentile: 95% percentile bootstrap; trimmed-sequential: the interval the sequential stopping rule decided on (ratio of 20% trimmed geometric means, Yuen SEs, referred to Student t; src/stats/sequential.ts), confidence = the per-look level; median-se-sequential: the same rule on the ratio of medians (McKean–Schrader SEs), in results of earlier isobench versions; paired-slots: the same rule on runs that took turns with a host companion on one CPU, t on the runs\' paired log ratios: their mean with n - 1 df, from 10 runs on their 20% trimmed mean with Yuen\'s SE (src/stats/paired.ts)'),
  resamples: z.number().int().describe('0 for the sequential interval (no resampling)'),
});
export type RatioEstimate = z.infer<typeof ratioEstimateSchema>;

/** Why sampling of one scenario x environment stopped (src/stats/sequential.ts). */
export const stopReasonSchema = z.enum(['decided', 'precision', 'max-rounds', 'budget', 'fixed', 'failed', 'interrupted']);
export type StopReason = z.infer<typeof stopReasonSchema>;

export const samplingOutcomeSchema = z.object({
  rounds: z.number().int().describe("timed runs taken (its samples): past the first rounds a round holds a batch of a cheap environment's runs"),
  stop: stopReasonSchema,
  halfWidth: z.number().optional().describe("relative half-width of the primary metric's ratio interval at the stop (the host: of its own median)"),
  looks: z.number().int().describe('interval looks made before stopping'),
  spentMs: z.number().describe("wall time of this environment's runs, ms"),
}).describe('timed runs a scenario x environment took and why sampling stopped');
export type SamplingOutcome = z.infer<typeof samplingOutcomeSchema>;

export const samplingPolicySchema = z.object({
  mode: z.enum(['fixed', 'sequential']),
  minRounds: z.number().int(),
  maxRounds: z.number().int(),
  precision: z.number().optional().describe('relative half-width target of each ratio (startup: never below ±5%)'),
  confidence: z.number().optional().describe('overall confidence target'),
  lookConfidence: z.number().optional().describe("the stricter level of every look: Pocock's boundary for the schedule of looks from the floor of 3 runs to maxRounds (src/stats/pocock.ts)"),
  budgetMs: z.number().optional().describe("this scenario's share of the run's time budget, ms"),
  ratioThresholds: z.array(z.number()).optional().describe('band edges (ratio) the stopping rule had to clear'),
  absoluteThresholdsMs: z.array(z.number()).optional().describe('startup bounds (ms) the stopping rule had to clear'),
});
export type SamplingPolicy = z.infer<typeof samplingPolicySchema>;

export const workSizeSchema = z.object({
  factor: z.number().describe("multiplier applied to the scenario's work-size params"),
  targetMs: z.number().describe('the round duration the work was sized for'),
  params: jsonRecordSchema.describe('the params every measured round of this environment ran (the warm-up ran a smaller share to find the size)'),
}).describe("work sized for this environment so a round lasts about the scenario's roundMs (rates keep their meaning; absent = the scenario's params as written)");
export type WorkSize = z.infer<typeof workSizeSchema>;

const envBase = { env: z.string(), kind: envKindSchema };

export const envResultOkSchema = z.object({
  ...envBase,
  status: z.literal('ok'),
  imageDigest: z.string(),
  commandLine: z.array(z.string()).describe('exact argv the harness spawned (one representative round)'),
  warmup: z.array(sampleSchema),
  samples: z.array(sampleSchema),
  stats: z.record(z.string(), summaryStatsSchema).describe('summary per metric name, including startupMs/exitMs/execMs'),
  ratioToHost: z.record(z.string(), ratioEstimateSchema).optional().describe('ratio to the host per metric (absent for the host itself or when the host failed)'),
  accelerator: acceleratorSchema.optional(),
  notes: z.array(z.string()).optional(),
  presentation: z.object({ name: z.string(), description: z.string() }).optional()
    .describe('how the environment presented the image to this scenario, when it has a choice (the VM: initramfs or disk)'),
  comparable: z.boolean().optional()
    .describe('false: measured, but not to be read against the host (a storage figure taken in RAM, fio buffered where the host used O_DIRECT); absent = comparable'),
  comparableReason: z.string().optional().describe('why comparable is false'),
  sampling: samplingOutcomeSchema.optional(),
  workSize: workSizeSchema.optional(),
  session: z.object({
    description: z.string(),
    startMs: z.number().optional().describe('spawn of the instance to ready for commands (the VM: its boot with this presentation; a container: the runtime starting it)'),
    commandLine: z.array(z.string()).optional().describe("the argv that started the instance (QEMU, docker run, runsc run, systemd-nspawn); the cell's commandLine is then what each run ran inside it"),
  }).optional().describe("set when every run of this cell ran in one instance of the environment (the VM: one boot, then a process per run inside the guest; Docker, gVisor, nspawn: one container, then a process per run forked inside it); the samples' startupMs are then the start of a process in that instance, not of the instance. Absent = a fresh instance per run"),
});
export type EnvResultOk = z.infer<typeof envResultOkSchema>;

export const envResultFailedSchema = z.object({
  ...envBase,
  status: z.literal('failed'),
  error: errorInfoSchema,
  commandLine: z.array(z.string()).optional(),
  samples: z.array(sampleSchema).describe('whatever rounds completed before the failure'),
  outputTail: z.string().optional().describe("tail of the environment's output, to debug the failure"),
});
export type EnvResultFailed = z.infer<typeof envResultFailedSchema>;

export const envResultSkippedSchema = z.object({
  ...envBase,
  status: z.literal('skipped'),
  reason: z.string(),
});
export type EnvResultSkipped = z.infer<typeof envResultSkippedSchema>;

export const envResultSchema = z.discriminatedUnion('status', [envResultOkSchema, envResultFailedSchema, envResultSkippedSchema]);
export type EnvResult = z.infer<typeof envResultSchema>;

export const scenarioResultSchema = z.object({
  name: z.string(),
  description: z.string(),
  file: z.string(),
  workload: z.object({ type: z.string(), params: jsonRecordSchema }),
  primaryMetric: metricSpecSchema,
  metrics: z.array(metricSpecSchema),
  rounds: z.number().int(),
  warmup: z.number().int(),
  envs: z.array(envResultSchema),
  userImage: userImageInfoSchema.optional().describe("the user's image this scenario ran in; absent = isobench's workload image (results.image)"),
  interrupted: z
    .object({ timedRunsDone: z.number().int(), timedRunsPlanned: z.number().int() })
    .optional()
    .describe('set when the user stopped the run (Ctrl-C) inside this scenario: the statistics cover only the samples measured before that'),
  sampling: samplingPolicySchema.optional().describe('the sampling policy (absent in results written before sequential sampling)'),
});
export type ScenarioResult = z.infer<typeof scenarioResultSchema>;
