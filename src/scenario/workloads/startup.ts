import * as z from 'zod';
import { TIMING_METRICS, type Workload } from './types.js';

/**
 * Time to the ready marker and to exit of a trivial process: the probe prints
 * its token and exits, so argv after the marker is empty. Both figures come
 * from the harness clock (docs/ARCHITECTURE.md, "Startup latency"), nothing to parse.
 */
export const startupWorkload: Workload<Record<string, never>> = {
  type: 'startup',
  description: 'probe prints the ready token and exits (no workload)',
  metrics: [TIMING_METRICS.startupMs, TIMING_METRICS.exitMs],
  primary: 'startupMs',
  paramsSchema: z.strictObject({}, { error: 'unknown field; the startup workload takes no params' }),
  build: () => ({ argv: [] }),
  parse: () => ({}),
};
