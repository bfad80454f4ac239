import { IMAGE_PATHS } from '../../image/types.js';
import type { Workload } from './types.js';
import { strictObject, wholeNumber } from './params.js';
import { requireNumber } from './output-text.js';
import { msOf } from './work-ms.js';

const params = strictObject({
  /** --cpu-max-prime: each event checks primes up to this number. */
  maxPrime: wholeNumber(100, 10_000_000).default(10_000),
  /** --events: fixed work (not a fixed time), so a slower environment runs longer, not less. */
  events: wholeNumber(1).default(2000),
  threads: wholeNumber(1, 256).default(1),
});

export const sysbenchCpuWorkload: Workload<{ maxPrime: number; events: number; threads: number }> = {
  type: 'sysbench-cpu',
  description: 'sysbench cpu: prime-number verification, a fixed number of events',
  metrics: [
    { name: 'events_per_sec', unit: '1/s', higherIsBetter: true, description: 'sysbench "events per second"' },
    { name: 'total_time_s', unit: 's', higherIsBetter: false, description: 'sysbench "total time"' },
    { name: 'latency_avg_ms', unit: 'ms', higherIsBetter: false, description: 'mean latency of one event' },
  ],
  primary: 'events_per_sec',
  // Scaling these changes how long a round lasts, not what its rate means (src/scenario/work-size.ts).
  workSize: [{ name: 'events', min: 10, max: 1_000_000_000 }],
  workMs: (_p, m) => msOf(m.total_time_s),
  paramsSchema: params,
  build: (p) => ({
    // --time=0 lifts sysbench's default 10 s cap: under TCG the run must finish its events.
    argv: [IMAGE_PATHS.sysbench, 'cpu', `--cpu-max-prime=${p.maxPrime}`, `--threads=${p.threads}`, `--events=${p.events}`, '--time=0', 'run'],
  }),
  parse: (out) => ({
    events_per_sec: requireNumber('sysbench-cpu', out, /events per second:\s*([0-9.eE+-]+)/, '"events per second:"'),
    total_time_s: requireNumber('sysbench-cpu', out, /total time:\s*([0-9.eE+-]+)s/, '"total time:"'),
    latency_avg_ms: requireNumber('sysbench-cpu', out, /Latency \(ms\):[\s\S]*?avg:\s*([0-9.eE+-]+)/, 'the "Latency (ms): avg:" line'),
  }),
};
