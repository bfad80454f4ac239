export { OciStore, openStore, emptyIndex, type StoredImage } from './store.js';
export type { ImageRef, ImageLayerRef } from './image-ref.js';
export { BlobFiles, verifyingTransform, type BlobInfo, type BlobInput } from './blobs.js';
export { StoreError, DigestMismatchError } from './errors.js';
export { isDigest, parseDigest, sha256Digest, type Digest } from './digest.js';
export { normalizeRef } from './reference.js';
import type * as Archive from './archive.js';

/** Archive import/export load the tar code on first use: image lookups on the `ctr run` path never need it. */
export async function exportArchive(...args: Parameters<typeof Archive.exportArchive>): ReturnType<typeof Archive.exportArchive> {
  return (await import('./archive.js')).exportArchive(...args);
}
export async function importArchive(...args: Parameters<typeof Archive.importArchive>): ReturnType<typeof Archive.importArchive> {
  return (await import('./archive.js')).importArchive(...args);
}
export {
  MEDIA_TYPES, OCI_LAYOUT, REF_NAME_ANNOTATION,
  type Descriptor, type OciIndex, type OciManifest, type OciImageConfig,
} from './oci-types.js';
export { withFileLock } from './lock.js';
export type { ArchiveFormat, ImportedArchive } from './docker-archive.js';
import type * as DockerArchive from './docker-archive.js';

/* docker save archives: loaded on first use, like the OCI archive code (both bring the tar reader). */
export async function importImageArchive(...args: Parameters<typeof DockerArchive.importImageArchive>): ReturnType<typeof DockerArchive.importImageArchive> {
  return (await import('./docker-archive.js')).importImageArchive(...args);
}
export async function importDockerArchive(...args: Parameters<typeof DockerArchive.importDockerArchive>): ReturnType<typeof DockerArchive.importDockerArchive> {
  return (await import('./docker-archive.js')).importDockerArchive(...args);
}
export async function sniffArchive(...args: Parameters<typeof DockerArchive.sniffArchive>): ReturnType<typeof DockerArchive.sniffArchive> {
  return (await import('./docker-archive.js')).sniffArchive(...args);
}
