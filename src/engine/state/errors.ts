import { BenchError } from '../../core/errors.js';
import type { ContainerStatus } from './types.js';

export class ContainerNotFoundError extends BenchError {
  constructor(id: string) {
    super('CONTAINER_NOT_FOUND', `no container ${JSON.stringify(id)} in this home`, { hint: 'see `bench ctr ps -a`' });
  }
}

export class ContainerStateError extends BenchError {
  constructor(id: string, verb: string, status: ContainerStatus, hint?: string) {
    super('CONTAINER_STATE', `cannot ${verb} container ${id}: it is ${status}`, hint === undefined ? {} : { hint });
  }
}

export class ContainerExistsError extends BenchError {
  constructor(id: string) {
    super('CONTAINER_EXISTS', `a container named ${id} already exists`, { hint: `remove it with \`bench ctr rm ${id}\` or pick another --name` });
  }
}

/** A container id that is not a plain name: never turned into a path. */
export class InvalidContainerIdError extends BenchError {
  constructor(id: string) {
    super('CONTAINER_ID', `bad container id ${JSON.stringify(id)}`, { hint: 'an id is a letter or digit followed by letters, digits, _ . - (at most 64)' });
  }
}
