import { BenchError, type BenchErrorOptions } from '../../core/errors.js';

/**
 * Errors of the registry client. Codes a caller may branch on:
 * - REGISTRY_BAD_REFERENCE: not host[:port]/name[:tag|@digest].
 * - REGISTRY_INSECURE: plain http to a non-loopback host without --insecure.
 * - REGISTRY_UNREACHABLE: connection refused / DNS / TLS failure.
 * - REGISTRY_UNAUTHORIZED: 401/403 after trying the credentials we have.
 * - REGISTRY_NOT_FOUND: manifest or blob unknown to the registry.
 * - REGISTRY_DIGEST_MISMATCH: bytes received do not hash to the digest that names them.
 * - REGISTRY_PROTOCOL: a response the distribution API does not allow (status, header, JSON).
 * - REGISTRY_UNSUPPORTED: a media type or platform we cannot store.
 * - REGISTRY_TOO_LARGE: a manifest, config, error or token body over its size limit.
 * - REGISTRY_REDIRECT: a redirect we refuse to follow (scheme, downgrade, loop).
 */
export class RegistryError extends BenchError {
  readonly status: number | undefined;
  constructor(code: string, message: string, options: BenchErrorOptions & { status?: number } = {}) {
    super(code, message, options);
    this.status = options.status;
  }
}
