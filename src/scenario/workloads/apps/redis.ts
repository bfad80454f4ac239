import type { Workload } from '../types.js';
import { strictObject, wholeNumber } from '../params.js';
import { WorkloadOutputError } from '../../errors.js';
import { normalizeOutput } from '../output-text.js';
import { APPS_IMAGE, appScript } from './script.js';
import { perRate, sumMs } from '../work-ms.js';

const params = strictObject({
  /** Requests per test (SET, then GET): fixed work, not a fixed time. */
  requests: wholeNumber(100, 10_000_000).default(20_000),
  /** Parallel client connections of redis-benchmark. */
  clients: wholeNumber(1, 1000).default(10),
});

const TOOL = 'redis-benchmark';
const HEADER = '"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"';

/**
 * redis-benchmark --csv (redis-tools 7.0): a header line, then one quoted
 * row per test. Both SET and GET must be there with every column numeric;
 * anything else (a crash half-way, another version's columns) is an error
 * naming redis-benchmark.
 */
export function parseRedisCsv(output: string): Record<string, number> {
  const lines = normalizeOutput(output).split('\n').map((l) => l.trim());
  if (!lines.includes(HEADER)) throw new WorkloadOutputError(TOOL, `its --csv header ${HEADER}`, output);
  const rows = new Map<string, number[]>();
  for (const l of lines) {
    const m = /^"(SET|GET)",(.*)$/.exec(l);
    if (!m) continue;
    const cells = m[2]!.split(',').map((c) => Number(c.replace(/^"|"$/g, '')));
    if (cells.length !== 7 || cells.some((v) => !Number.isFinite(v))) throw new WorkloadOutputError(TOOL, `7 numbers in its ${m[1]} row (got ${JSON.stringify(l)})`, output);
    rows.set(m[1]!, cells);
  }
  const out: Record<string, number> = {};
  for (const t of ['SET', 'GET'] as const) {
    const c = rows.get(t);
    if (!c) throw new WorkloadOutputError(TOOL, `the "${t}" row`, output);
    const k = t.toLowerCase();
    out[`${k}_ops_per_sec`] = c[0]!;
    out[`${k}_p50_ms`] = c[3]!;
    out[`${k}_p99_ms`] = c[5]!;
  }
  return out;
}

export const redisWorkload: Workload<{ requests: number; clients: number }> = {
  type: 'redis',
  description: 'redis-server and redis-benchmark inside the environment on loopback: SET and GET, -P 1',
  image: APPS_IMAGE,
  storage: 'disk',
  metrics: [
    { name: 'set_ops_per_sec', unit: '1/s', higherIsBetter: true, description: 'redis-benchmark SET requests per second (-P 1)' },
    { name: 'get_ops_per_sec', unit: '1/s', higherIsBetter: true, description: 'redis-benchmark GET requests per second (-P 1)' },
    { name: 'set_p50_ms', unit: 'ms', higherIsBetter: false, description: 'SET latency, median' },
    { name: 'set_p99_ms', unit: 'ms', higherIsBetter: false, description: 'SET latency, 99th percentile' },
    { name: 'get_p50_ms', unit: 'ms', higherIsBetter: false, description: 'GET latency, median' },
    { name: 'get_p99_ms', unit: 'ms', higherIsBetter: false, description: 'GET latency, 99th percentile' },
  ],
  primary: 'set_ops_per_sec',
  // Scaling these changes how long a round lasts, not what its rate means (src/scenario/work-size.ts).
  workSize: [{ name: 'requests', min: 100, max: 10_000_000 }],
  workMs: (p, m) => sumMs(perRate(p.requests, m.set_ops_per_sec), perRate(p.requests, m.get_ops_per_sec)),
  paramsSchema: params,
  build: (p, ctx) => appScript('redis', ctx, [p.requests, p.clients]),
  parse: parseRedisCsv,
};
