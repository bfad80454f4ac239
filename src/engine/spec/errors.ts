import { BenchError } from '../../core/errors.js';

/** A container option is invalid (bad limit, unknown capability, relative path...). */
export class ContainerSpecError extends BenchError {
  constructor(message: string, hint?: string) {
    super('CONTAINER_SPEC', message, hint === undefined ? {} : { hint });
  }
}
