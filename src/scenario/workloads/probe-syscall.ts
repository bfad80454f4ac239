import { IMAGE_PATHS } from '../../image/types.js';
import type { Workload } from './types.js';
import { strictObject, wholeNumber } from './params.js';
import { parseSlicedProbe } from './probe-result.js';
import { perRate } from './work-ms.js';

const params = strictObject({
  /** Raw getppid(2) calls (never answered from a libc cache). */
  count: wholeNumber(1, 1_000_000_000).default(1_000_000),
});

/**
 * The plain syscall entry/exit cost. Like probe-cpu, the run is timed in
 * slices of at least 5 ms and the primary figure is the median slice rate;
 * syscalls_per_sec_whole keeps count / total time.
 */
export const probeSyscallWorkload: Workload<{ count: number }> = {
  type: 'probe-syscall',
  description: 'native probe: COUNT raw getppid(2) system calls; median of its timed slices (>= 5 ms each)',
  metrics: [
    { name: 'syscalls_per_sec', unit: '1/s', higherIsBetter: true, description: 'system calls per second, median of the run\'s timed slices' },
    { name: 'syscalls_per_sec_whole', unit: '1/s', higherIsBetter: true, description: 'system calls per second over the whole run (count / total time)' },
  ],
  primary: 'syscalls_per_sec',
  // Scaling these changes how long a round lasts, not what its rate means (src/scenario/work-size.ts).
  workSize: [{ name: 'count', min: 1000, max: 1_000_000_000 }],
  // The whole-run rate: sizing aims at how long the run really took, steal included.
  workMs: (p, m) => perRate(p.count, m.syscalls_per_sec_whole),
  paramsSchema: params,
  build: (p) => ({ argv: [IMAGE_PATHS.probe, 'syscall', String(p.count)] }),
  parse: (out) => parseSlicedProbe('probe-syscall', out, 'syscalls_per_sec'),
};
