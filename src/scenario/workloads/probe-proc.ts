import { IMAGE_PATHS } from '../../image/types.js';
import type { Workload } from './types.js';
import { oneOf, strictObject, wholeNumber } from './params.js';
import { requireProbeMetrics } from './probe-result.js';
import { perRate } from './work-ms.js';

const params = strictObject({
  /** fork+exec+wait iterations. */
  count: wholeNumber(1, 10_000_000).default(200),
  /** What each child execs: busybox's `true` applet (a 1-2 MB static binary) or the probe (`ready x`, smaller). */
  program: oneOf(['busybox-true', 'probe'] as const, 'one of').default('busybox-true'),
});

export const probeProcWorkload: Workload<{ count: number; program: 'busybox-true' | 'probe' }> = {
  type: 'probe-proc',
  description: 'native probe: fork + exec + wait of a static binary, COUNT times',
  metrics: [{ name: 'forks_per_sec', unit: '1/s', higherIsBetter: true, description: 'fork+exec+wait cycles per second' }],
  primary: 'forks_per_sec',
  // Scaling these changes how long a round lasts, not what its rate means (src/scenario/work-size.ts).
  workSize: [{ name: 'count', min: 5, max: 10_000_000 }],
  workMs: (p, m) => perRate(p.count, m.forks_per_sec),
  paramsSchema: params,
  build: (p) => ({
    argv: [
      IMAGE_PATHS.probe,
      'proc',
      String(p.count),
      ...(p.program === 'probe' ? [IMAGE_PATHS.probe, 'ready', 'x'] : [IMAGE_PATHS.busybox, 'true']),
    ],
  }),
  parse: (out) => requireProbeMetrics('probe-proc', out, ['forks_per_sec']),
};
