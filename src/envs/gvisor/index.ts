export { GvisorEnvironment, type GvisorPrepared } from './gvisor-env.js';
export { runscArgs, RUNSC_PLATFORMS, type RunscArgsInput, type RunscPlatform } from './runsc-args.js';
export { probeRunscPlatform, type PlatformProbe } from './platform.js';
