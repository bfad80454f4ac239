import type { Workload } from '../types.js';
import { strictObject, wholeNumber } from '../params.js';
import { requireProbeMetrics } from '../probe-result.js';
import { APPS_IMAGE, appScript } from './script.js';
import { msOf } from '../work-ms.js';

const params = strictObject({
  /** Size of the generated text file (written before the timer starts). */
  sizeMiB: wholeNumber(1, 4096).default(16),
  /** gzip level. */
  level: wholeNumber(1, 9).default(1),
});

export function parseCompress(output: string): Record<string, number> {
  const m = requireProbeMetrics('gzip', output, ['gzip_seconds', 'gzip_per_sec']);
  return { mb_per_sec: m.gzip_per_sec! / 1e6, seconds: m.gzip_seconds! };
}

export const compressWorkload: Workload<{ sizeMiB: number; level: number }> = {
  type: 'compress',
  description: 'gzip of a generated text file, output discarded: input MB/s',
  image: APPS_IMAGE,
  storage: 'disk',
  metrics: [
    { name: 'mb_per_sec', unit: 'MB/s', higherIsBetter: true, description: 'input bytes compressed per second (10^6 bytes)' },
    { name: 'seconds', unit: 's', higherIsBetter: false, description: 'gzip wall time' },
  ],
  primary: 'mb_per_sec',
  // Scaling these changes how long a round lasts, not what its rate means (src/scenario/work-size.ts).
  workSize: [{ name: 'sizeMiB', min: 1, max: 4096 }],
  workMs: (_p, m) => msOf(m.seconds),
  paramsSchema: params,
  build: (p, ctx) => appScript('compress', ctx, [p.sizeMiB, p.level]),
  parse: parseCompress,
};
