import { readFileSync, existsSync } from 'node:fs';
import type { HomePaths } from '../../../src/core/home.js';
import { openEngine, runContainer, waitContainer, readLogs, type Engine, type ContainerOptions } from '../../../src/engine/index.js';
import { NATIVE_DIR } from '../../../src/core/version.js';

export function engineFor(home: HomePaths): Engine {
  return openEngine(home, { nativeDir: NATIVE_DIR });
}

/** Runs detached, waits for the exit, returns exit code + output (the state stays until deleted). */
export async function runToEnd(engine: Engine, opts: ContainerOptions): Promise<{ id: string; exitCode: number | null; output: string }> {
  const { state } = await runContainer(engine, opts, undefined, { detach: true });
  const end = await waitContainer(engine, state.id, 30_000);
  return { id: state.id, exitCode: end.exitCode, output: await readLogs(engine, state.id) };
}

/** Every trace of a home on the host: mounts, cgroup dirs, container dirs. */
export function leftovers(home: HomePaths, engine: Engine): string[] {
  const found: string[] = [];
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) if (line.includes(home.root)) found.push(`mount: ${line}`);
  for (const root of engine.cgroups.dirs(engine.cgroupParent, 'x').map((d) => d.slice(0, d.lastIndexOf('/')))) if (existsSync(root)) found.push(`cgroup: ${root}`);
  return found;
}
