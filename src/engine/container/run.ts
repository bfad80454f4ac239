import { spawn } from 'node:child_process';
import type { Engine } from './engine.js';
import { shimPath } from './engine.js';
import type { ContainerOptions, ImageDefaults } from '../spec/container-spec.js';
import { shimRunArgs } from '../spec/shim-args.js';
import { containerPaths } from '../rootfs/paths.js';
import { processStartTime } from '../state/liveness.js';
import { writeState } from '../state/store.js';
import type { ContainerState } from '../state/types.js';
import { createDetached, reserveContainer } from './create.js';
import { removeContainerResources } from './delete.js';
import { waitForInitPid } from './spawn-shim.js';

export interface RunOptions {
  detach?: boolean;
  /** Remove the container when it exits (foreground only). */
  rm?: boolean;
  /** Per-step durations of the shim on stderr. */
  trace?: boolean;
  /**
   * Foreground only: handle Ctrl-C / SIGTERM of this process instead of dying
   * (which would orphan the container): the first one sends SIGTERM to the
   * container's PID 1, the second SIGKILL. For CLIs; libraries leave it off.
   */
  handleSignals?: boolean;
}

export interface RunResult {
  state: ContainerState;
  /** Exit status of the program (foreground runs). */
  exitCode: number | null;
}

/**
 * `ctr run`: detached, like `create` + `start` in one step; in the
 * foreground the shim is our child with the terminal's stdio, and the state
 * still records it so `ps`/`exec` from another shell see the container.
 */
export async function runContainer(engine: Engine, opts: ContainerOptions, image: ImageDefaults | undefined, run: RunOptions = {}): Promise<RunResult> {
  if (run.detach) {
    const state = await createDetached(engine, opts, image, { waitForStart: false, trace: run.trace ?? false });
    return { state, exitCode: null };
  }
  const state = await reserveContainer(engine, opts, image);
  const paths = containerPaths(engine.home, state.id);
  const plan = engine.cgroups.plan(engine.cgroupParent, state.id, state.spec.limits, state.spec.confinement);
  const args = shimRunArgs(state.spec, paths, plan, { pidFile: paths.pidFile, exitFile: paths.exitFile, ...(run.trace ? { trace: true } : {}) });
  let exitCode: number;
  try {
    const child = spawn(shimPath(engine), args, { stdio: 'inherit', env: {} });
    // Listen before any await: a short-lived container can be gone before the state is written.
    const exited = new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, sig) => resolve(code ?? (sig === 'SIGKILL' ? 137 : 128)));
    });
    if (child.pid !== undefined) {
      state.shimPid = child.pid;
      state.shimStartTime = processStartTime(child.pid);
      state.status = 'running';
      state.startedAt = new Date().toISOString();
      // The init pid lets `ctr exec` from another shell find the container; a
      // container that already exited simply has none.
      const shim = { pid: child.pid, startTime: state.shimStartTime };
      state.initPid = await Promise.race([waitForInitPid(shim, paths.pidFile, paths.log, 2000).catch(() => null), exited.then(() => null)]);
      await writeState(engine.home, state);
    }
    let presses = 0;
    const onSignal = (): void => {
      presses++;
      const pid = state.initPid;
      if (pid) {
        try { process.kill(pid, presses === 1 ? 'SIGTERM' : 'SIGKILL'); } catch { /* already gone */ }
      }
    };
    if (run.handleSignals) { process.on('SIGINT', onSignal); process.on('SIGTERM', onSignal); }
    try {
      exitCode = await exited;
    } finally {
      if (run.handleSignals) { process.off('SIGINT', onSignal); process.off('SIGTERM', onSignal); }
    }
  } catch (e) {
    await removeContainerResources(engine, state).catch(() => {});
    throw e;
  }
  state.status = 'stopped';
  state.exitCode = exitCode;
  state.finishedAt = new Date().toISOString();
  if (run.rm) {
    await removeContainerResources(engine, state);
  } else {
    await writeState(engine.home, state);
  }
  return { state, exitCode };
}
