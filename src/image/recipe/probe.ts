import fs from 'node:fs';
import path from 'node:path';
import { HostRequirementError } from '../../core/errors.js';
import { IMAGE_PATHS } from '../types.js';
import type { RecipeLayer } from './types.js';

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
