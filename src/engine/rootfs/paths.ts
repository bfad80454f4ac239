import path from 'node:path';
import type { HomePaths } from '../../core/home.js';

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

export function containerPaths(home: HomePaths, id: string): ContainerPaths {
  return pathsIn(path.join(home.containers, id));
}
