import path from 'node:path';
import fs from 'node:fs';
import type { HomePaths } from '../../core/home.js';
import type { MountSpec } from '../spec/container-spec.js';
import { VolumeError } from './errors.js';
import { createVolume, volumeDataDir } from './volumes.js';

/**
 * `-v` to mount specs: "/host/dir:/inside[:ro|rw]" binds a host directory
 * (it must exist: we never create directories on the host for the user),
 * "name:/inside[:ro|rw]" mounts a named volume, created on first use.
 */
export async function resolveVolumeMounts(home: HomePaths, specs: string[]): Promise<MountSpec[]> {
  const out: MountSpec[] = [];
  for (const v of specs) {
    const parts = v.split(':');
    const [source, destination, mode] = parts;
    if (parts.length > 3 || !source || !destination || !path.isAbsolute(destination) || (mode !== undefined && mode !== 'ro' && mode !== 'rw')) {
      throw new VolumeError('VOLUME_BAD_SPEC', `bad --volume ${JSON.stringify(v)}`, { hint: 'use /host/dir:/inside[:ro] or NAME:/inside[:ro]' });
    }
    let hostPath: string;
    if (path.isAbsolute(source)) {
      if (!fs.existsSync(source)) throw new VolumeError('VOLUME_BAD_SPEC', `bind source ${source} does not exist`, { hint: 'create the host directory first, or use a named volume' });
      hostPath = path.normalize(source);
    } else {
      await createVolume(home, source, { ifMissing: true });
      hostPath = volumeDataDir(home, source);
    }
    out.push({ source: hostPath, destination: path.normalize(destination), readonly: mode === 'ro' });
  }
  return out;
}
