export { VolumeError } from './errors.js';
export { createVolume, inspectVolume, listVolumes, removeVolume, volumeUsers, volumeDataDir, volumeDir, checkVolumeName, type VolumeInfo } from './volumes.js';
export { resolveVolumeMounts } from './mounts.js';
