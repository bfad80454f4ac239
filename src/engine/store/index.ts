export { OciStore, openStore, emptyIndex, type StoredImage } from './store.js';
export type { ImageRef, ImageLayerRef } from './image-ref.js';
export { BlobFiles, verifyingTransform, type BlobInfo, type BlobInput } from './blobs.js';
export { StoreError, DigestMismatchError } from './errors.js';
export { isDigest, parseDigest, sha256Digest, type Digest } from './digest.js';
export { normalizeRef } from './reference.js';
export { exportArchive, importArchive } from './archive.js';
export {
  MEDIA_TYPES, OCI_LAYOUT, REF_NAME_ANNOTATION,
  type Descriptor, type OciIndex, type OciManifest, type OciImageConfig,
} from './oci-types.js';
export { withFileLock } from './lock.js';
export { importImageArchive, importDockerArchive, sniffArchive, SUPPORTED_ARCHIVES, type ArchiveFormat, type ImportedArchive } from './docker-archive.js';
