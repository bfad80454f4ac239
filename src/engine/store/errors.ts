import { BenchError, type BenchErrorOptions } from '../../core/errors.js';

/**
 * Codes a caller may branch on:
 * - STORE_DIGEST_MISMATCH: bytes on disk or on the wire do not hash to the digest that names them.
 * - STORE_BLOB_NOT_FOUND: no blob with that digest in the store.
 * - STORE_IMAGE_NOT_FOUND: no image tagged with that name.
 * - STORE_BAD_DIGEST: a string that is not "sha256:<64 hex>".
 * - STORE_BAD_REFERENCE: an image name that is not name[:tag].
 * - STORE_INVALID_LAYOUT: oci-layout / index.json / manifest / config unreadable or of the wrong shape.
 * - STORE_ARCHIVE_INVALID: an OCI archive that is corrupt, hostile or incomplete.
 * - STORE_LOCKED: the index lock could not be taken in time.
 */
export class StoreError extends BenchError {
  constructor(code: string, message: string, options: BenchErrorOptions = {}) {
    super(code, message, options);
  }
}

/** A blob whose bytes do not match its digest: the store hands out nothing in that case. */
export class DigestMismatchError extends StoreError {
  readonly digest: string;
  readonly actual: string;
  constructor(digest: string, actual: string, where: string) {
    super('STORE_DIGEST_MISMATCH', `blob ${digest} is corrupt: ${where} hashes to ${actual}`, {
      hint: 'remove the image (bench image rm) and build, import or pull it again',
    });
    this.digest = digest;
    this.actual = actual;
  }
}
