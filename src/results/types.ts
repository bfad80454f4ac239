/*
 * Every type of results.json, inferred from the zod schemas of this folder.
 * Writers and readers import from here (or from the part's own file); no
 * other module declares a results shape.
 */
export { RESULTS_SCHEMA_VERSION, type RunResults, type GateOptions } from './run.js';
export type { EnvKind, Accelerator, ErrorInfo, FactStatus, JsonValue, JsonRecord } from './common.js';
export type { MetricSpec, Sample, SummaryStats, RatioEstimate, EnvResultOk, EnvResultFailed, EnvResultSkipped, EnvResult, ScenarioResult, StopReason, SamplingOutcome, SamplingPolicy } from './scenarios.js';
export type { EnvironmentInfo } from './environments.js';
export type { Manifest } from './manifest.js';
export type { ImageInfo, UserImageInfo } from './image.js';
export type { CheckOutcome, CheckResult, HostFacts, IsolationEnv, IsolationResults, Isolation } from './isolation.js';
export type { Verdict, ClaimSubject, ClaimEvidence, ClaimRow } from './claims.js';
export type {
  Facts,
  FactName,
  StartupCrossCheck,
  CrossCheckBlock,
  EngineFacts,
  RegistryFacts,
  VolumeFacts,
  PortabilityEvidence,
  OciArchiveFacts,
  ContainerSeparationFacts,
  VmKernelComparison,
  VmDiskStartup,
  VmPresentationStartup,
} from './facts/index.js';
export type { MergedHost, ManifestDiffRow, MergedRatioCell, MergedScenario, MergedClaim, MergedReport } from './merge.js';
