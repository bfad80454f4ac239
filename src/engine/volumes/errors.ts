import { BenchError, type BenchErrorOptions } from '../../core/errors.js';

/** Codes: VOLUME_BAD_NAME, VOLUME_EXISTS, VOLUME_NOT_FOUND, VOLUME_IN_USE, VOLUME_BAD_SPEC. */
export class VolumeError extends BenchError {
  constructor(code: string, message: string, options: BenchErrorOptions = {}) {
    super(code, message, options);
  }
}
