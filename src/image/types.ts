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

/** name:tag of the applications image (its recipe: src/image/recipe/apps.ts). */
export const APPS_IMAGE_NAME = 'isobench/apps:latest';

/** Programs of the applications image (isobench/apps), at their Debian paths. */
export const APP_PATHS = {
  scriptsDir: '/isobench/apps',
  redisServer: '/usr/bin/redis-server',
  redisBenchmark: '/usr/bin/redis-benchmark',
  sqlite3: '/usr/bin/sqlite3',
  nginx: '/usr/sbin/nginx',
  wrk: '/usr/bin/wrk',
  fio: '/usr/bin/fio',
  gzip: '/usr/bin/gzip',
} as const;
