/** The workload image: the store's image reference (declared by the engine), and the paths the harness relies on inside it. */
export type { ImageLayerRef, ImageRef } from '../engine/store/image-ref.js';

/** Paths inside the image that the harness relies on. */
export const IMAGE_PATHS = {
  probe: '/isobench/probe',
  busybox: '/bin/busybox',
  sysbench: '/usr/bin/sysbench',
  /** Writable scratch inside the environment for file I/O workloads. */
  scratch: '/tmp',
} as const;
