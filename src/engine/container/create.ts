import { promises as fs } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Engine } from './engine.js';
import { shimPath, requireRoot } from './engine.js';
import { normalizeSpec, type ContainerOptions, type ImageDefaults } from '../spec/container-spec.js';
import { shimRunArgs } from '../spec/shim-args.js';
import { containerPaths } from '../rootfs/paths.js';
import type { ContainerState } from '../state/types.js';
import { writeState } from '../state/store.js';
import { ContainerExistsError } from '../state/errors.js';
import { spawnDetached, waitForInitPid } from './spawn-shim.js';

const run = promisify(execFile);

export interface CreateOptions {
  /** When false the init execs at once (run -d); when true it waits for `start`. */
  waitForStart: boolean;
  trace?: boolean;
}

/** Claims the id: the container dir is created with mkdir (fails when it exists). */
export async function reserveContainer(engine: Engine, opts: ContainerOptions, image?: ImageDefaults): Promise<ContainerState> {
  requireRoot();
  const spec = normalizeSpec(opts, image);
  const paths = containerPaths(engine.home, spec.id);
  await fs.mkdir(engine.home.containers, { recursive: true });
  try {
    await fs.mkdir(paths.dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new ContainerExistsError(spec.id);
    throw e;
  }
  const state: ContainerState = {
    version: 1,
    id: spec.id,
    status: 'created',
    spec,
    shimPid: null,
    shimStartTime: null,
    initPid: null,
    cgroup: { parent: engine.cgroupParent, name: spec.id, dirs: engine.cgroups.dirs(engine.cgroupParent, spec.id) },
    detached: true,
    createdAt: new Date().toISOString(),
    startedAt: null,
    finishedAt: null,
    exitCode: null,
  };
  await writeState(engine.home, state);
  return state;
}

/**
 * Starts a detached container: `create` (init set up, blocked before exec
 * until `start`) or `run -d` (execs at once). Returns once the init exists.
 */
export async function createDetached(engine: Engine, opts: ContainerOptions, image: ImageDefaults | undefined, create: CreateOptions): Promise<ContainerState> {
  const state = await reserveContainer(engine, opts, image);
  const paths = containerPaths(engine.home, state.id);
  if (create.waitForStart) await run('mkfifo', ['-m', '0600', paths.fifo]);
  const plan = engine.cgroups.plan(engine.cgroupParent, state.id, state.spec.limits, state.spec.confinement);
  const args = shimRunArgs(state.spec, paths, plan, {
    pidFile: paths.pidFile,
    exitFile: paths.exitFile,
    ...(create.waitForStart ? { startFifo: paths.fifo } : {}),
    ...(create.trace ? { trace: true } : {}),
  });
  const shim = spawnDetached(shimPath(engine), args, paths.log);
  state.shimPid = shim.pid;
  state.shimStartTime = shim.startTime;
  await writeState(engine.home, state);
  state.initPid = await waitForInitPid(shim, paths.pidFile, paths.log);
  if (!create.waitForStart) {
    state.status = 'running';
    state.startedAt = new Date().toISOString();
  }
  await writeState(engine.home, state);
  return state;
}

export function createContainer(engine: Engine, opts: ContainerOptions, image?: ImageDefaults, trace = false): Promise<ContainerState> {
  return createDetached(engine, opts, image, { waitForStart: true, trace });
}
