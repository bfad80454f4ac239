import { BenchError, type BenchErrorOptions } from '../../core/errors.js';

/**
 * Codes: NET_NO_ADDRESS (subnet full), NET_NO_SUBNET (every candidate
 * collides with a host route), NET_IP_FAILED (an `ip` command failed),
 * NET_BAD_PUBLISH (bad -p), NET_PORT_IN_USE (host port taken).
 */
export class NetworkError extends BenchError {
  constructor(code: string, message: string, options: BenchErrorOptions = {}) {
    super(code, message, options);
  }
}
