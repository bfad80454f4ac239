/**
 * The run matrix: which (scenario, environment) pairs run, and in which
 * order. Scenario by scenario (results.json is written after each), warm-up
 * rounds first, then measured rounds; inside every round all environments run
 * once in the same order (A B C D, A B C D, ...) so slow drift of the host
 * (thermal, other tenants) hits every environment alike.
 */
import { ConfigError } from '../core/errors.js';
import { SCENARIO_LIMITS, type Scenario } from './schema.js';
import { environmentNames, unknownEnvironments } from '../envs/registry.js';

export interface PlanOverrides {
  /** Replaces every scenario's `rounds` (--rounds). */
  rounds?: number;
  /** Replaces every scenario's `warmup` (--warmup). */
  warmup?: number;
}

export interface PlannedRun {
  scenario: Scenario;
  env: string;
  phase: 'warmup' | 'measure';
  /** 1-based within its phase. */
  round: number;
}

export interface ScenarioPlan {
  scenario: Scenario;
  /** Environments that run this scenario, in the order of the envNames argument. */
  envs: string[];
  /** Requested environments the scenario file leaves out (report them as skipped: "not in scenario"). */
  excludedEnvs: string[];
  rounds: number;
  warmup: number;
  /** This scenario's runs in execution order. */
  runs: PlannedRun[];
}

export interface MatrixPlan {
  scenarios: ScenarioPlan[];
  /** Every (scenario, env) pair that runs. */
  pairs: { scenario: Scenario; env: string }[];
  /** All runs in execution order (concatenation of scenarios[i].runs). */
  runs: PlannedRun[];
  totalRuns: number;
}

/** The bounds of the count options: the scenario files' own (an absurd --rounds must not exhaust memory after minutes). */
const COUNT_BOUNDS = { '--rounds': [1, SCENARIO_LIMITS.rounds], '--warmup': [0, SCENARIO_LIMITS.warmup] } as const;

/** The one check of --rounds / --warmup, for numbers and for command-line text. */
export function checkCount(option: keyof typeof COUNT_BOUNDS, v: number | string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const [min, max] = COUNT_BOUNDS[option];
  const n = typeof v === 'number' ? v : /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError('OPTION_INVALID', `${option}: expected a whole number from ${min} to ${max}, got ${typeof v === 'string' ? `"${v}"` : String(v)}`);
  }
  return n;
}

/**
 * One scenario's runs in execution order over the environments of `order`
 * that the scenario lists: warm-up rounds, then measured rounds, every
 * environment once per round. planMatrix() is this over every scenario; the
 * scheduler runs exactly these runs.
 */
export function planScenario(scenario: Scenario, order: readonly string[], overrides: PlanOverrides = {}): ScenarioPlan {
  const inFile = new Set<string>(scenario.environments);
  const envs = order.filter((e) => inFile.has(e));
  const rounds = overrides.rounds ?? scenario.rounds;
  const warmup = overrides.warmup ?? scenario.warmup;
  const runs: PlannedRun[] = [];
  for (let r = 1; r <= warmup; r++) for (const env of envs) runs.push({ scenario, env, phase: 'warmup', round: r });
  for (let r = 1; r <= rounds; r++) for (const env of envs) runs.push({ scenario, env, phase: 'measure', round: r });
  return { scenario, envs, excludedEnvs: order.filter((e) => !inFile.has(e)), rounds, warmup, runs };
}

/**
 * @param envNames environments to run, in report order (usually the available
 *   ones of --env); unknown names are a ConfigError.
 */
export function planMatrix(scenarios: readonly Scenario[], envNames: readonly string[], overrides: PlanOverrides = {}): MatrixPlan {
  checkCount('--rounds', overrides.rounds);
  checkCount('--warmup', overrides.warmup);
  const unknown = unknownEnvironments(envNames);
  if (unknown.length > 0) {
    throw new ConfigError('ENV_UNKNOWN', `unknown environment ${unknown.map((e) => `"${e}"`).join(', ')}; valid: ${environmentNames().join(', ')}`);
  }
  const order = [...new Set(envNames)];
  const plans = scenarios.map((scenario) => planScenario(scenario, order, overrides));
  const runs = plans.flatMap((p) => p.runs);
  return {
    scenarios: plans,
    pairs: plans.flatMap((p) => p.envs.map((env) => ({ scenario: p.scenario, env }))),
    runs,
    totalRuns: runs.length,
  };
}
