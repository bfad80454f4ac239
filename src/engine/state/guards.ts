import type { ContainerStatus } from './types.js';
import { ContainerStateError } from './errors.js';

export type Verb = 'start' | 'exec' | 'kill' | 'delete' | 'logs';

/** Which states each verb accepts (youki's guards). */
const ALLOWED: Record<Verb, readonly ContainerStatus[]> = {
  start: ['created'],
  exec: ['running'],
  kill: ['created', 'running'],
  delete: ['stopped'],
  logs: ['created', 'running', 'stopped'],
};

const HINTS: Partial<Record<Verb, string>> = {
  delete: 'stop it first (`bench ctr stop`) or use `bench ctr rm -f`',
  start: 'only a created container can be started; use `bench ctr run` for a new one',
  exec: 'start the container first',
};

export function assertCan(verb: Verb, id: string, status: ContainerStatus): void {
  if (!ALLOWED[verb].includes(status)) throw new ContainerStateError(id, verb, status, HINTS[verb]);
}

export function can(verb: Verb, status: ContainerStatus): boolean {
  return ALLOWED[verb].includes(status);
}
