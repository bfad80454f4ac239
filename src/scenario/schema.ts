/**
 * The scenario file format (scenarios/<name>.yaml). Every field, its default
 * and its limits live here; scenarios/README.md explains them for users.
 *
 *   name: cpu                        # required; must equal the file name (cpu.yaml)
 *   description: "Native probe: ..." # required; printed in reports
 *   workload:
 *     type: probe-cpu                # required; one of the registry (workloads/index.ts)
 *     params: { maxPrime: 10000 }    # optional; validated by that type's own schema, defaults filled
 *   environments: all                # optional, default all; or a list: [host, chroot, container, runc, bwrap, vm]
 *   rounds: 5                        # optional, default 5; measured rounds after warm-up, environments interleaved
 *   warmup: 1                        # optional, default 1; unmeasured rounds (kept in results.json, not summarized)
 *   timeoutSeconds: 120              # optional, default 120; per single run, covers startup + workload
 *   limits: { memoryMiB: 256, pids: 512, cpus: 2 }   # optional; backends that cannot enforce a limit say so
 *   image: ./my-image.tar            # optional; store name, OCI or docker save archive (relative to this file), or host[:port]/name[:tag]
 *   roundMs: 250                     # optional; under sequential sampling, size the workload's work params per environment so a round lasts about this long
 *   budgetWeight: 6                  # optional, default 1; this scenario's weight when the run's time budget is shared out
 *
 * Unknown fields are errors (a typo must not silently fall back to a default).
 * Types are strict: `rounds: "5"` is rejected, YAML 1.2 core schema (so `yes`
 * is a string, not true).
 */
import * as z from 'zod';
import type { Limits } from '../envs/types.js';
import { environmentNames, isEnvironmentName } from '../envs/registry.js';
import type { MetricSpec } from '../results/types.js';
import type { Workload } from './workloads/types.js';
import { WORKLOAD_TYPES } from './workloads/index.js';
import { positiveNumber, strictObject, wholeNumber } from './workloads/params.js';

/**
 * A name from the environment table (src/envs/registry.ts). The table is read
 * when a file is parsed, not when this module loads, so a backend that
 * imports scenario/ forms no load-time cycle and a row added to the table is
 * accepted at once.
 */
export type EnvName = string;

const envNameList = (): string => environmentNames().join(', ');

export const SCENARIO_DEFAULTS = { environments: 'all', rounds: 5, warmup: 1, timeoutSeconds: 120 } as const;
/** Upper bounds of rounds and warmup, for scenario files and --rounds/--warmup alike. */
export const SCENARIO_LIMITS = { rounds: 10_000, warmup: 1000 } as const;

export const SCENARIO_NAME_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

const envName = z.string({ error: () => `expected an environment name (${envNameList()})` }).superRefine((name, ctx) => {
  if (!isEnvironmentName(name)) ctx.addIssue({ code: 'invalid_value', values: environmentNames(), input: name, message: `expected an environment name (${envNameList()})` });
});

const environments = z.union(
  [
    z.literal('all'),
    z
      .array(envName, { error: 'expected a list' })
      .min(1, { error: 'expected at least one environment (or "all")' })
      .refine((xs) => new Set(xs).size === xs.length, { error: 'lists an environment more than once' }),
  ],
  { error: () => `expected "all" or a list of environment names (${envNameList()})` },
);

/** First pass: everything except the workload params, whose schema depends on workload.type. */
export const scenarioFileSchema = strictObject({
  name: z
    .string({ error: 'expected a name (lower-case letters, digits, "-")' })
    .regex(SCENARIO_NAME_PATTERN, { error: 'expected a name (lower-case letters, digits, "-")' }),
  description: z.string({ error: 'expected a one-line text' }).min(1, { error: 'expected a one-line text' }),
  workload: strictObject({
    type: z.enum(WORKLOAD_TYPES as [string, ...string[]], { error: `expected a workload type (${WORKLOAD_TYPES.join(', ')})` }),
    params: z.record(z.string(), z.unknown(), { error: 'expected a mapping of parameters (key: value lines)' }).default({}),
  }),
  environments: environments.default(SCENARIO_DEFAULTS.environments),
  rounds: wholeNumber(1, SCENARIO_LIMITS.rounds).default(SCENARIO_DEFAULTS.rounds),
  warmup: wholeNumber(0, SCENARIO_LIMITS.warmup).default(SCENARIO_DEFAULTS.warmup),
  timeoutSeconds: positiveNumber(86_400).default(SCENARIO_DEFAULTS.timeoutSeconds),
  limits: strictObject({
    memoryMiB: wholeNumber(4).optional(),
    pids: wholeNumber(1).optional(),
    cpus: positiveNumber(4096).optional(),
  }).default({}),
  image: z.string({ error: 'expected an image: a store name, an archive path or host[:port]/name[:tag]' }).min(1, { error: 'expected an image reference' }).optional(),
  roundMs: wholeNumber(10, 600_000).optional(),
  budgetWeight: positiveNumber(1000).default(1),
});

export type ScenarioFile = z.output<typeof scenarioFileSchema>;

/** A validated scenario with its workload resolved and defaults filled. */
export interface Scenario {
  name: string;
  description: string;
  /** Absolute path of the file it came from. */
  file: string;
  /** params are the workload schema's output (defaults filled): what results.json records. */
  workload: { type: string; params: Record<string, unknown> };
  /** The registry entry of workload.type (command builder + parser). */
  definition: Workload<Record<string, unknown>>;
  metrics: MetricSpec[];
  primaryMetric: MetricSpec;
  /** "all" expanded to every environment name, in report order; else the file's list, in its order. */
  environments: EnvName[];
  rounds: number;
  warmup: number;
  timeoutSeconds: number;
  limits: Limits;
  /** The image the scenario runs in (`image:` or --image); absent = isobench's workload image. Archive paths are absolute. */
  image?: string;
  /**
   * Target duration of one round's work: under sequential sampling the
   * workload's work-size params are sized per environment to it
   * (src/scenario/work-size.ts). Absent: the params run as written.
   */
  roundMs?: number;
  /** Weight of this scenario when the run's time budget is shared out (default 1). */
  budgetWeight?: number;
  /**
   * Set by the harness once the image is resolved: the process defaults
   * (Env, Entrypoint, Cmd, WorkingDir, User) a command workload inherits.
   */
  imageProcess?: { env: string[]; entrypoint: string[]; cmd: string[]; workingDir: string; user?: string };
}
