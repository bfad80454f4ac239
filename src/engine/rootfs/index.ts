export { pathsIn, containerPaths, type ContainerPaths } from './paths.js';
export { mountPoints, mountsUnder, unmountUnder, mountOverlay, MountError } from './mounts.js';
export { imageRootfs, imageDefaults, DEFAULT_IMAGE, type ImageRootfs } from './image-rootfs.js';
