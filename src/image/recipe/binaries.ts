import fs from 'node:fs';
import { HostRequirementError } from '../../core/errors.js';
import { sharedLibraries } from './shared-libs.js';
import type { FileSpec, RecipeLayer } from './types.js';

export interface HostBinary {
  /** Path on the host. */
  host: string;
  /** Path in the image (default: the same). */
  image?: string;
  /** Debian package that provides it, for the error hint. */
  pkg?: string;
}

/**
 * A layer with host binaries plus every shared library `ldd` reports (and the
 * loader), each at the same path inside the image so the loader's default
 * search finds them without an ld.so.cache. Library symlinks are resolved:
 * the image gets the bytes, not a link to a host path.
 */
export function binariesLayer(id: string, description: string, binaries: HostBinary[]): RecipeLayer {
  return {
    id,
    description,
    async collect() {
      const files: FileSpec[] = [];
      const libs = new Set<string>();
      for (const b of binaries) {
        if (!fs.existsSync(b.host)) {
          throw new HostRequirementError('IMAGE_INPUT_MISSING', `${b.host} is missing: the workload image needs it`, {
            hint: b.pkg ? `apt-get install ${b.pkg} (or run scripts/setup)` : 'run scripts/setup',
          });
        }
        files.push({ path: b.image ?? b.host, type: 'file', source: b.host, mode: 0o755 });
        for (const lib of await sharedLibraries(b.host)) libs.add(lib);
      }
      for (const lib of libs) files.push({ path: lib, type: 'file', source: lib, mode: 0o755 });
      return files;
    },
  };
}
