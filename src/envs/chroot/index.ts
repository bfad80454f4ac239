export { ChrootEnvironment } from './chroot-env.js';
export type { ChrootPrepared, ChrootOptions } from './chroot-env.js';
export { chrootMountPlan, setupChrootMounts, teardownChrootMounts } from './chroot-mounts.js';
export { realMountOps, MountError } from './mounts.js';
export type { MountOps } from './mounts.js';
export { parseMountPoints, mountsUnder, readMountPoints } from './mountinfo.js';
