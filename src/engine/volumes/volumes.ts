import fsp from 'node:fs/promises';
import path from 'node:path';
import type { HomePaths } from '../../core/home.js';
import { listStates } from '../state/store.js';
import { VolumeError } from './errors.js';

/**
 * Named volumes: <home.volumes>/<name>/_data (what containers mount) next to
 * <name>/meta.json. They outlive every container; only `rm` deletes them,
 * and not while a created or running container mounts one.
 */
export interface VolumeInfo {
  name: string;
  /** Host directory bind-mounted into containers. */
  mountpoint: string;
  createdAt: string;
  /** Ids of created/running containers that mount it. */
  usedBy: string[];
  /** Bytes of regular files under _data. */
  sizeBytes: number;
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function checkVolumeName(name: string): string {
  if (!NAME_RE.test(name)) {
    throw new VolumeError('VOLUME_BAD_NAME', `bad volume name ${JSON.stringify(name)}`, { hint: 'use letters, digits, _ . - (at most 64, starting with a letter or digit)' });
  }
  return name;
}

export function volumeDir(home: HomePaths, name: string): string {
  return path.join(home.volumes, checkVolumeName(name));
}

export function volumeDataDir(home: HomePaths, name: string): string {
  return path.join(volumeDir(home, name), '_data');
}

/** Creates the volume; with `ifMissing` an existing one is returned instead of refused (what `-v name:/path` does). */
export async function createVolume(home: HomePaths, name: string, opts: { ifMissing?: boolean } = {}): Promise<VolumeInfo> {
  const dir = volumeDir(home, name);
  await fsp.mkdir(home.volumes, { recursive: true });
  try {
    await fsp.mkdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    if (!opts.ifMissing) throw new VolumeError('VOLUME_EXISTS', `volume ${name} already exists`, { hint: 'choose another name, or use it as it is' });
    return inspectVolume(home, name);
  }
  await fsp.mkdir(path.join(dir, '_data'), { mode: 0o755 });
  await fsp.writeFile(path.join(dir, 'meta.json'), JSON.stringify({ name, createdAt: new Date().toISOString() }) + '\n');
  return inspectVolume(home, name);
}

async function sizeOf(dir: string): Promise<number> {
  let total = 0;
  for (const e of await fsp.readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += await sizeOf(p);
    else if (e.isFile()) total += (await fsp.stat(p)).size;
  }
  return total;
}

/** Containers (created or running) whose mounts include this volume's _data. */
export async function volumeUsers(home: HomePaths, name: string): Promise<string[]> {
  const data = volumeDataDir(home, name);
  const states = await listStates(home).catch(() => []);
  return states
    .filter((s) => s.status !== 'stopped' && s.spec.mounts.some((m) => path.resolve(m.source) === data))
    .map((s) => s.id);
}

export async function inspectVolume(home: HomePaths, name: string): Promise<VolumeInfo> {
  const dir = volumeDir(home, name);
  let meta: { createdAt?: string };
  try {
    meta = JSON.parse(await fsp.readFile(path.join(dir, 'meta.json'), 'utf8')) as { createdAt?: string };
  } catch {
    throw new VolumeError('VOLUME_NOT_FOUND', `no volume ${name} in ${home.volumes}`, { hint: 'list volumes with `bench volume ls`; create one with `bench volume create NAME`' });
  }
  return {
    name,
    mountpoint: path.join(dir, '_data'),
    createdAt: meta.createdAt ?? '',
    usedBy: await volumeUsers(home, name),
    sizeBytes: await sizeOf(path.join(dir, '_data')),
  };
}

export async function listVolumes(home: HomePaths): Promise<VolumeInfo[]> {
  const names = await fsp.readdir(home.volumes).catch(() => [] as string[]);
  const out: VolumeInfo[] = [];
  for (const n of names.sort()) {
    if (!NAME_RE.test(n)) continue;
    try {
      out.push(await inspectVolume(home, n));
    } catch {
      // a half-created dir without meta.json is not a volume
    }
  }
  return out;
}

/** Deletes the volume and its data; refused while a created/running container mounts it. */
export async function removeVolume(home: HomePaths, name: string): Promise<void> {
  const info = await inspectVolume(home, name);
  if (info.usedBy.length > 0) {
    throw new VolumeError('VOLUME_IN_USE', `volume ${name} is in use by container(s) ${info.usedBy.join(', ')}`, {
      hint: `stop and remove them first (bench ctr rm -f ${info.usedBy.join(' ')})`,
    });
  }
  await fsp.rm(volumeDir(home, name), { recursive: true, force: true });
}
