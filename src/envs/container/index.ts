export { ContainerEnvironment, type ContainerPrepared, type ContainerEnvOptions } from './container-env.js';
export { defaultSnapshots, groupId, containerLimits, assertProbe, overlaySupported, whichSync, type SnapshotFn } from './shared.js';
export { weakenedOptions } from './weaken.js';
