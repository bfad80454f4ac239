import path from 'node:path';
import type { HomePaths } from '../../core/home.js';
import { InvalidContainerIdError } from '../state/errors.js';

/**
 * A container's directory: its rw layer (upper + overlay work dir), the
 * mount point of its root (only ever mounted inside its own mount
 * namespace), and the files the shim and CLI share.
 */
export interface ContainerPaths {
  dir: string;
  upper: string;
  work: string;
  rootfs: string;
  state: string;
  log: string;
  pidFile: string;
  exitFile: string;
  fifo: string;
}

export function pathsIn(dir: string): ContainerPaths {
  return {
    dir,
    upper: path.join(dir, 'upper'),
    work: path.join(dir, 'work'),
    rootfs: path.join(dir, 'rootfs'),
    state: path.join(dir, 'state.json'),
    log: path.join(dir, 'output.log'),
    pidFile: path.join(dir, 'init.pid'),
    exitFile: path.join(dir, 'exit.status'),
    fifo: path.join(dir, 'start.fifo'),
  };
}

/** Container ids and names: one path component, never "." or ".." (the first character is alphanumeric). */
export const CONTAINER_ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Every lookup by id goes through here, so no id can name a path outside the home's containers dir. */
export function assertContainerId(id: string): string {
  if (typeof id !== 'string' || !CONTAINER_ID_RE.test(id)) throw new InvalidContainerIdError(String(id));
  return id;
}

export function containerPaths(home: HomePaths, id: string): ContainerPaths {
  assertContainerId(id);
  return pathsIn(path.join(home.containers, id));
}
