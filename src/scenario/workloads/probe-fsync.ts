import path from 'node:path';
import { IMAGE_PATHS } from '../../image/types.js';
import type { Workload } from './types.js';
import { strictObject, wholeNumber } from './params.js';
import { requireProbeMetrics } from './probe-result.js';
import { perRate } from './work-ms.js';

const params = strictObject({
  /** write+fsync iterations. */
  count: wholeNumber(1, 10_000_000).default(200),
  /** Bytes appended before each fsync (the probe caps it at 64 MiB). */
  blockSize: wholeNumber(1, 64 * 1024 * 1024).default(4096),
});

export const probeFsyncWorkload: Workload<{ count: number; blockSize: number }> = {
  type: 'probe-fsync',
  description: 'native probe: append a block and fsync(2), COUNT times, in the scratch dir',
  metrics: [{ name: 'fsyncs_per_sec', unit: '1/s', higherIsBetter: true, description: 'write+fsync cycles per second' }],
  primary: 'fsyncs_per_sec',
  // Scaling these changes how long a round lasts, not what its rate means (src/scenario/work-size.ts).
  workSize: [{ name: 'count', min: 5, max: 10_000_000 }],
  workMs: (p, m) => perRate(p.count, m.fsyncs_per_sec),
  storage: 'disk',
  storageBound: true,
  paramsSchema: params,
  build: (p, ctx) => {
    // The probe opens with O_EXCL and unlinks at the end; a per-invocation
    // name keeps a file left by a killed run from failing the next one.
    const file = ctx.uniqueId ? `isobench-fsync-${ctx.uniqueId.replace(/[^A-Za-z0-9_-]/g, '')}` : 'isobench-fsync';
    return { argv: [IMAGE_PATHS.probe, 'fsync', String(p.count), path.posix.join(ctx.scratchDir || IMAGE_PATHS.scratch, file), String(p.blockSize)] };
  },
  parse: (out) => requireProbeMetrics('probe-fsync', out, ['fsyncs_per_sec']),
};
