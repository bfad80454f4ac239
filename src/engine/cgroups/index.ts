export type { CgroupManager, CgroupPlan, CgroupStats } from './types.js';
export { CPU_PERIOD_US } from './types.js';
export type { HostOps } from './host-ops.js';
export { realHostOps } from './host-ops.js';
export { CgroupV1 } from './v1.js';
export { CgroupV2 } from './v2.js';
export { detectCgroups, parseCgroupMounts, cgroupParent, CgroupError } from './detect.js';
export { NoCgroups } from './none.js';
