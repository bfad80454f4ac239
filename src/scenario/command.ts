/** The two things the harness does with a scenario's workload, typed to the resolved definition. */
import type { Scenario } from './schema.js';
import type { BuildContext, BuiltCommand } from './workloads/types.js';

export function buildCommand(scenario: Scenario, ctx: BuildContext): BuiltCommand {
  return scenario.definition.build(scenario.workload.params, ctx);
}

/** Parsed metrics of one run's output; throws WorkloadOutputError naming what is missing. */
export function parseOutput(scenario: Scenario, output: string): Record<string, number> {
  return scenario.definition.parse(output, scenario.workload.params);
}
