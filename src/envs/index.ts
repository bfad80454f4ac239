export type { Environment, Prepared, Running, WorkloadInvocation, WorkloadOutput, Availability, Limits } from './types.js';
export type { EnvContext } from './context.js';
export { ENVIRONMENTS, environmentNames, environmentEntry, isEnvironmentName, createEnvironments, unknownEnvironments, type EnvironmentEntry } from './registry.js';
