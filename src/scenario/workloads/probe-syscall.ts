import { IMAGE_PATHS } from '../../image/types.js';
import type { Workload } from './types.js';
import { strictObject, wholeNumber } from './params.js';
import { requireProbeMetrics } from './probe-result.js';
import { perRate } from './work-ms.js';

const params = strictObject({
  /** Raw getppid(2) calls (never answered from a libc cache). */
  count: wholeNumber(1, 1_000_000_000).default(1_000_000),
});

export const probeSyscallWorkload: Workload<{ count: number }> = {
  type: 'probe-syscall',
  description: 'native probe: COUNT raw getppid(2) system calls',
  metrics: [{ name: 'syscalls_per_sec', unit: '1/s', higherIsBetter: true, description: 'system calls per second' }],
  primary: 'syscalls_per_sec',
  // Scaling these changes how long a round lasts, not what its rate means (src/scenario/work-size.ts).
  workSize: [{ name: 'count', min: 1000, max: 1_000_000_000 }],
  workMs: (p, m) => perRate(p.count, m.syscalls_per_sec),
  paramsSchema: params,
  build: (p) => ({ argv: [IMAGE_PATHS.probe, 'syscall', String(p.count)] }),
  parse: (out) => requireProbeMetrics('probe-syscall', out, ['syscalls_per_sec']),
};
