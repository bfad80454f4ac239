export {
  NAMESPACES, MASKED_PATHS, READONLY_PATHS, DEFAULT_CAPABILITIES, DEFAULT_DEVICES, DEFAULT_PATH, CAPABILITY_NUMBERS,
  capabilityNumber, capabilityMask, type NamespaceName, type DeviceSpec,
} from './defaults.js';
export {
  normalizeSpec, newContainerId, parseByteSize, validHostname,
  type ContainerOptions, type ContainerSpec, type ContainerLimits, type RootfsSource, type MountSpec, type NetworkSpec, type ImageDefaults, type SeccompMode,
} from './container-spec.js';
export { shimRunArgs, shimExecArgs, type ShimRunFiles } from './shim-args.js';
export { ContainerSpecError } from './errors.js';
export { DENIED_SYSCALLS, CLONE_NAMESPACE_FLAGS, ociSeccomp } from './seccomp.js';
