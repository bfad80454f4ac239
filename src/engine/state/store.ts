import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import type { HomePaths } from '../../core/home.js';
import type { ContainerState, OwnerRecord } from './types.js';
import { ContainerNotFoundError } from './errors.js';
import { isAlive } from './liveness.js';
import { assertContainerId, containerPaths } from '../rootfs/paths.js';
import { writeFileAtomic } from '../../core/atomic-write.js';

async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n');
}

export async function writeState(home: HomePaths, state: ContainerState): Promise<void> {
  await writeJsonAtomic(containerPaths(home, state.id).state, state);
}

export async function readRawState(home: HomePaths, id: string): Promise<ContainerState | null> {
  try {
    return JSON.parse(await fs.readFile(containerPaths(home, id).state, 'utf8')) as ContainerState;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function readExitCode(file: string): number | null {
  try {
    const n = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) ? n : null;
  } catch {
    return null;
  }
}

/**
 * The stored state corrected by reality: a created/running container whose
 * shim is gone is stopped, with the exit code the shim recorded (null when
 * the shim itself was killed). The correction is written back.
 */
export async function loadState(home: HomePaths, id: string): Promise<ContainerState> {
  const s = await readRawState(home, id);
  if (!s) throw new ContainerNotFoundError(id);
  if (s.status !== 'stopped' && !isAlive(s.shimPid, s.shimStartTime)) {
    s.status = 'stopped';
    s.exitCode = readExitCode(containerPaths(home, id).exitFile);
    s.finishedAt = new Date().toISOString();
    await writeState(home, s).catch(() => {});
  }
  return s;
}

export async function listContainerIds(home: HomePaths): Promise<string[]> {
  const entries = await fs.readdir(home.containers, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

export async function listStates(home: HomePaths): Promise<ContainerState[]> {
  const out: ContainerState[] = [];
  for (const id of await listContainerIds(home)) {
    if (!(await readRawState(home, id))) continue;
    out.push(await loadState(home, id));
  }
  return out;
}

export function ownerFile(home: HomePaths, id: string): string {
  return path.join(home.containers, assertContainerId(id), 'owner.json');
}

export async function writeOwner(home: HomePaths, rec: OwnerRecord): Promise<void> {
  await fs.mkdir(path.join(home.containers, assertContainerId(rec.id)), { recursive: true });
  await writeJsonAtomic(ownerFile(home, rec.id), rec);
}

export async function readOwner(home: HomePaths, id: string): Promise<OwnerRecord | null> {
  try {
    return JSON.parse(await fs.readFile(ownerFile(home, id), 'utf8')) as OwnerRecord;
  } catch {
    return null;
  }
}

export function ownerAlive(rec: OwnerRecord): boolean {
  return isAlive(rec.ownerPid, rec.ownerStartTime);
}
