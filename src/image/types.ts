/**
 * The workload image as the rest of the tool sees it. The same layers are
 * presented three ways (DESIGN.md): overlay lower dirs (container), one
 * unpacked directory (chroot), a boot artifact (VM).
 */
export interface ImageLayerRef {
  /** sha256:<hex> of the (possibly compressed) blob as stored. */
  digest: string;
  /** sha256:<hex> of the uncompressed tar (OCI config rootfs.diff_ids). */
  diffId: string;
  mediaType: string;
  size: number;
}

export interface ImageRef {
  /** name:tag as stored, e.g. "isobench/workload:latest". */
  name: string;
  /** sha256:<hex> of the manifest: the identity printed next to every figure. */
  digest: string;
  layers: ImageLayerRef[];
  /** The OCI image config's process defaults. */
  config: { env: string[]; entrypoint: string[]; cmd: string[]; workingDir: string; user?: string };
  /** Where the store lives (OCI layout root). */
  storeRoot: string;
}

/** Paths inside the image that the harness relies on. */
export const IMAGE_PATHS = {
  probe: '/isobench/probe',
  busybox: '/bin/busybox',
  sysbench: '/usr/bin/sysbench',
  /** Writable scratch inside the environment for file I/O workloads. */
  scratch: '/tmp',
} as const;
