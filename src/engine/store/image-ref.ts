/**
 * An image as the store holds it and the rest of the tool sees it. The same
 * layers are presented three ways: overlay lower dirs (container), one
 * unpacked directory (chroot), a boot artifact (VM). Declared here, in the
 * engine's store, because the store produces it; src/image re-exports it.
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
