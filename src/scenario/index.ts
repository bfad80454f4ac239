/** Scenario files: schema, loading with located errors, the run matrix, and the workload registry. */
export {
  scenarioFileSchema,
  SCENARIO_DEFAULTS,
  SCENARIO_NAME_PATTERN,
  type Scenario,
  type ScenarioFile,
  type EnvName,
} from './schema.js';
export { loadScenarioFile, loadScenarios, listScenarioNames, parseScenarioText, SCENARIO_EXTENSION } from './load.js';
export { planMatrix, planScenario, checkCount, type PlanOverrides, type PlannedRun, type ScenarioPlan, type MatrixPlan } from './plan.js';
export { buildCommand, parseOutput } from './command.js';
export { ScenarioError, WorkloadOutputError, formatIssue, type ScenarioIssue } from './errors.js';
export { formatPath, displayPath } from './locate.js';
export {
  WORKLOADS,
  WORKLOAD_TYPES,
  getWorkload,
  TIMING_METRICS,
  isTimingMetric,
  sampleMetric,
  PROBE_RESULT_PREFIX,
  parseProbeResults,
  formatProbeResult,
  requireProbeMetrics,
  startupWorkload,
  sysbenchCpuWorkload,
  sysbenchMemoryWorkload,
  probeProcWorkload,
  probeSyscallWorkload,
  probeCpuWorkload,
  probeFsyncWorkload,
  probeSlotsWorkload,
  parseSlotRates,
  type SlotSchedule,
  type Workload,
  type BuildContext,
  type BuiltCommand,
  type TimingMetricName,
  type ProbeResult,
} from './workloads/index.js';
export { adhocScenarios, splitCommandLine } from './adhoc.js';
