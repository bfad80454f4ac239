import type { Workload } from '../types.js';
import { strictObject, wholeNumber } from '../params.js';
import { WorkloadOutputError } from '../../errors.js';
import { normalizeOutput } from '../output-text.js';
import { APPS_IMAGE, appScript } from './script.js';
import { perRate } from '../work-ms.js';

const params = strictObject({
  /** Requests wrk sends before it stops (the apps script's count.lua: wrk itself only runs for whole seconds). */
  requests: wholeNumber(10, 100_000_000).default(2000),
  /** The longest a run lasts (wrk -d), whatever `requests` says: a cap, not the measure. */
  seconds: wholeNumber(1, 3600).default(30),
  connections: wholeNumber(1, 10_000).default(10),
  /** Size of the one static file nginx serves. */
  fileBytes: wholeNumber(1, 64 * 1024 * 1024).default(4096),
});

const TOOL = 'wrk';
const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function latencyMs(out: string, pct: string, output: string): number {
  const m = new RegExp(`^\\s*${pct}%\\s+([0-9.]+)(us|ms|s|m)\\s*$`, 'm').exec(out);
  const v = m ? Number(m[1]) * UNIT_MS[m[2]!]! : Number.NaN;
  if (!Number.isFinite(v)) throw new WorkloadOutputError(TOOL, `the "${pct}%" line of its --latency distribution`, output);
  return v;
}

/** wrk 4.1 with --latency: "Requests/sec:", the request count, and the latency distribution (50/75/90/99%). */
export function parseWrk(output: string, p?: { seconds: number }): Record<string, number> {
  const out = normalizeOutput(output);
  const rps = /^Requests\/sec:\s+([0-9.]+)\s*$/m.exec(out);
  if (!rps || !Number.isFinite(Number(rps[1]))) throw new WorkloadOutputError(TOOL, 'its "Requests/sec:" line', output);
  const reqs = /^\s*(\d+) requests in ([0-9.]+)(us|ms|s|m),/m.exec(out);
  if (!reqs) throw new WorkloadOutputError(TOOL, 'its "N requests in T" line', output);
  const runMs = Number(reqs[2]) * UNIT_MS[reqs[3]!]!;
  // count.lua's done(): the request count stopped the run. Such a run that still lasted its whole -d lost the
  // stop signal (wrk slept on): its requests/s would be the count over the cap, not over the time it ran.
  const stopped = /^isobench\.result stopped_by_count=(\d+) 1\s*$/m.exec(out);
  if (stopped && Number(stopped[1]) > 0 && p && runMs >= p.seconds * 1000 * 0.99) {
    throw new WorkloadOutputError(TOOL, `a run that ended at its request count (it sat out its ${p.seconds} s -d: the stop signal was lost, so its requests/s would be wrong)`, output);
  }
  const errors = /Non-2xx or 3xx responses:\s*(\d+)/.exec(out);
  if (errors && Number(errors[1]) > 0) throw new WorkloadOutputError(TOOL, `only 2xx responses (it reports ${errors[1]} non-2xx/3xx responses)`, output);
  return {
    requests_per_sec: Number(rps[1]),
    latency_p50_ms: latencyMs(out, '50', output),
    latency_p99_ms: latencyMs(out, '99', output),
    requests: Number(reqs[1]),
  };
}

export const httpWorkload: Workload<{ requests: number; seconds: number; connections: number; fileBytes: number }> = {
  type: 'http',
  description: 'nginx serving one static file, wrk inside the environment on loopback for a fixed number of requests',
  image: APPS_IMAGE,
  storage: 'disk',
  metrics: [
    { name: 'requests_per_sec', unit: '1/s', higherIsBetter: true, description: 'wrk "Requests/sec"' },
    { name: 'latency_p99_ms', unit: 'ms', higherIsBetter: false, description: 'wrk latency, 99th percentile' },
    { name: 'latency_p50_ms', unit: 'ms', higherIsBetter: false, description: 'wrk latency, median' },
    { name: 'requests', unit: '1', higherIsBetter: true, description: 'requests completed (the count, less the few in flight when wrk stopped)' },
  ],
  primary: 'requests_per_sec',
  // Sized per environment (src/scenario/work-size.ts), never below 1000 requests: fewer would leave gVisor and
  // the VM a run where setting up the 10 connections weighs on the rate, and leave no warm-up there (the
  // sizing run is then a full one). A fixed 1000 gave the host 20 ms runs whose first was 7x slower; scenarios/http.yaml sizes to ~0.5 s.
  workSize: [{ name: 'requests', min: 1000, max: 100_000_000 }],
  workMs: (p, m) => perRate(p.requests, m.requests_per_sec),
  paramsSchema: params,
  build: (p, ctx) => appScript('http', ctx, [p.requests, p.seconds, p.connections, p.fileBytes]),
  parse: parseWrk,
};
