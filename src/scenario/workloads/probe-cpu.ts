import { IMAGE_PATHS } from '../../image/types.js';
import type { Workload } from './types.js';
import { strictObject, wholeNumber } from './params.js';
import { parseSlicedProbe } from './probe-result.js';
import { perRate } from './work-ms.js';

const params = strictObject({
  /** Each event counts the primes below this number by trial division (sysbench cpu's --cpu-max-prime). */
  maxPrime: wholeNumber(3, 100_000_000).default(10_000),
  /** Fixed work (not a fixed time), so a slower environment runs longer, not less. */
  events: wholeNumber(1, 1_000_000_000).default(2000),
});

/**
 * sysbench cpu's work, timed by the native probe in slices: a slice closes
 * after the first event that ends 5 ms or more after it began, and the
 * primary figure is the median slice rate, which a hypervisor's steal burst
 * in a minority of slices does not move; events_per_sec_whole keeps the
 * plain events / total time (scenarios/README.md, "Within-run slices").
 */
export const probeCpuWorkload: Workload<{ maxPrime: number; events: number }> = {
  type: 'probe-cpu',
  description: 'native probe: count the primes below MAXPRIME by trial division (sysbench cpu\'s event), EVENTS times; median of its timed slices (>= 5 ms each)',
  metrics: [
    { name: 'events_per_sec', unit: '1/s', higherIsBetter: true, description: 'events per second, median of the run\'s timed slices' },
    { name: 'events_per_sec_whole', unit: '1/s', higherIsBetter: true, description: 'events per second over the whole run (events / total time)' },
  ],
  primary: 'events_per_sec',
  // Scaling these changes how long a round lasts, not what its rate means (src/scenario/work-size.ts).
  workSize: [{ name: 'events', min: 10, max: 1_000_000_000 }],
  // The whole-run rate: sizing aims at how long the run really took, steal included.
  workMs: (p, m) => perRate(p.events, m.events_per_sec_whole),
  paramsSchema: params,
  build: (p) => ({ argv: [IMAGE_PATHS.probe, 'cpu', String(p.events), String(p.maxPrime)] }),
  parse: (out) => parseSlicedProbe('probe-cpu', out, 'events_per_sec'),
};
