export { buildInitramfs, bootEntries, initramfsCacheDir, INITRAMFS_FORMAT } from './initramfs.js';
export type { Initramfs, UnpackInto } from './initramfs.js';
export { CpioWriter, cpioHeader, treeEntries, writeCpio } from './cpio.js';
export type { CpioEntry } from './cpio.js';
export { buildProbeInitramfs } from './probe-initramfs.js';
export { buildBaseDisk, buildDiskInitramfs, createOverlay, moduleDirCandidates, DISK_MODULES, DISK_FORMAT } from './disk.js';
export type { BaseDisk } from './disk.js';
