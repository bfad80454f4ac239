export { pathsIn, containerPaths, type ContainerPaths } from './paths.js';
export { mountPoints, mountsUnder, unmountUnder, mountOverlay, MountError } from './mounts.js';
export { imageRootfs, imageDefaults, loadEnsureSnapshots, DEFAULT_IMAGE, type ImageRootfs, type EnsureSnapshots } from './image-rootfs.js';
export { diskUsage, regularFiles, treeHash } from './disk-usage.js';
