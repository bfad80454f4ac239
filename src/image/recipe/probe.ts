import fs from 'node:fs';
import path from 'node:path';
import { HostRequirementError } from '../../core/errors.js';
import { IMAGE_PATHS } from '../types.js';
import type { ImageRecipe, RecipeLayer } from './types.js';

/** The static isobench probe: the first user process in every environment. Last layer: it changes most. */
export const probeLayer: RecipeLayer = {
  id: 'probe',
  description: `isobench static probe at ${IMAGE_PATHS.probe}`,
  async collect(ctx) {
    const src = path.join(ctx.nativeDir, 'isobench-probe');
    if (!fs.existsSync(src)) {
      throw new HostRequirementError('IMAGE_INPUT_MISSING', `${src} is missing: the image carries the probe`, {
        hint: 'build it: npm run build (or make -C src/native)',
      });
    }
    return [
      { path: path.dirname(IMAGE_PATHS.probe), type: 'dir' },
      { path: IMAGE_PATHS.probe, type: 'file', source: src, mode: 0o755 },
    ];
  },
};

/**
 * The config of an image that starts the probe first (the workload and the
 * applications image): a fresh object per call, so no recipe shares one.
 */
export function probeImageConfig(): ImageRecipe['config'] {
  return {
    env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    entrypoint: [IMAGE_PATHS.probe],
    cmd: [],
    workingDir: '/',
  };
}
