export { buildInitramfs, bootEntries, initramfsCacheDir, INITRAMFS_FORMAT } from './initramfs.js';
export type { Initramfs, UnpackInto } from './initramfs.js';
export { CpioWriter, cpioHeader, treeEntries, writeCpio } from './cpio.js';
export type { CpioEntry } from './cpio.js';
export { buildProbeInitramfs } from './probe-initramfs.js';
