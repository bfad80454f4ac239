/** Measurement: scheduler, single timed runs, the whole `bench run` pipeline, phases. */
export { runAll, type RunAllOptions, type RunAllOutcome } from './run-all.js';
export { runScenario, rotate, plannedRuns, throwIfInterrupted, RunInterruptedError, type EnvSlot, type ScenarioRunOptions } from './scheduler.js';
export { runOnce, invocationFor, RunFailedError, type RunOutcome } from './one-run.js';
export { scenarioMetrics, statsFor, ratiosToHost, finishScenario } from './summarize-env.js';
export { makeRunId, makeToken } from './run-id.js';
export { NO_PROGRESS, type ProgressSink, type RunStep } from './progress.js';
export { defaultBuildImage, imageInfo, type BuildImageFn } from './image-source.js';
export { startOfRunSweep } from './sweep.js';
export { runPhases, type PhaseOutcome } from './phases/runner.js';
export { phases, type RunPhase, type PhaseContext } from './phases/index.js';
