import type * as z from 'zod';
import { IMAGE_PATHS } from '../../image/types.js';
import type { MetricSpec } from '../../results/types.js';
import type { Workload } from './types.js';
import { oneOf, strictObject, wholeNumber } from './params.js';
import { parseSlicedProbe, parseProbeResults } from './probe-result.js';
import { normalizeOutput } from './output-text.js';

const params = strictObject({
  /** memory: 1 KiB blocks written word by word (sysbench memory's event); syscall: raw getppid(2) calls; cpu: sysbench cpu's events (primes by trial division). */
  work: oneOf(['memory', 'syscall', 'cpu'] as const),
  /** Periods per run; the run works in one half of each (its partner, when paired, in the other). */
  pairs: wholeNumber(1, 100_000).default(60),
  /** Length of one period, microseconds: 10 ms = a 5 ms half, up to 4.25 ms of it worked. */
  periodUs: wholeNumber(200, 10_000_000).default(10_000),
  /** memory: bytes written per unit (sysbench's --memory-block-size). */
  blockBytes: wholeNumber(8, 1 << 24).default(1024),
  /** cpu: each event counts the primes below this (sysbench's --cpu-max-prime). */
  maxPrime: wholeNumber(3, 100_000_000).default(10_000),
});
export type ProbeSlotsParams = z.infer<typeof params>;

const METRIC = {
  memory: ['MiB_per_sec', 'MiB/s', 'MiB written per second'],
  syscall: ['syscalls_per_sec', '1/s', 'system calls per second'],
  cpu: ['events_per_sec', '1/s', 'prime-counting events per second'],
} as const;

function specs(p: ProbeSlotsParams): { metrics: MetricSpec[]; primary: string } {
  const [name, unit, what] = METRIC[p.work];
  return {
    primary: name,
    metrics: [
      { name, unit, higherIsBetter: true, description: `${what}, median of the run's time slots` },
      { name: `${name}_whole`, unit, higherIsBetter: true, description: `${what} over all of the run's slots` },
    ],
  };
}

/**
 * Work in time slots (src/native/probe/slots.c): the run works in one half of
 * each of `pairs` periods and sleeps through the other. Run alone, a slot's
 * rate is the figure; run beside a host companion with the other half, on the
 * same CPU, each slot has a partner 5 ms away and the harness takes the
 * environment's ratio slot by slot (`pairable`, src/measure/paired.ts).
 * ctx.slots sets the schedule; without it the run works alone: every half
 * of a period, from two periods after it begins, unpinned.
 */
export const probeSlotsWorkload: Workload<ProbeSlotsParams> = {
  type: 'probe-slots',
  description: 'native probe: memory block writes, getppid(2) calls or prime-counting events in time slots (one half of each period), median slot rate; paired with a host partner on one CPU where the environment shares the host kernel or keeps its clock in step (a VM session)',
  metrics: specs({ work: 'memory', pairs: 60, periodUs: 10_000, blockBytes: 1024, maxPrime: 10_000 }).metrics,
  primary: 'MiB_per_sec',
  metricsFor: specs,
  pairable: true,
  paramsSchema: params,
  build: (p, ctx) => {
    const s = ctx.slots;
    return {
      // Alone (no schedule): every half is worked (phase 2), so a run without a partner takes half the time.
      argv: [IMAGE_PATHS.probe, 'slots', p.work, s ? String(s.t0Ns) : '0', String(p.periodUs), String(p.pairs), String(s?.phase ?? 2), String(s?.cpu ?? -1), String(p.work === 'cpu' ? p.maxPrime : p.blockBytes)],
    };
  },
  // Wall time is the schedule's, whatever the environment: pairs x period when paired, half that alone.
  workMs: (p) => (p.pairs * p.periodUs) / 1000,
  parse: (out, p) => {
    const metric = METRIC[p?.work ?? 'memory'][0];
    const pinned = parseProbeResults(out, 'probe-slots').find((r) => r.name === 'pinned');
    return { ...parseSlicedProbe('probe-slots', out, metric), ...(pinned ? { pinned: pinned.value } : {}) };
  },
};

/** The per-slot rates a probe-slots run printed ("isobench.slot K RATE"), by slot index. */
export function parseSlotRates(output: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const line of normalizeOutput(output).split('\n')) {
    const m = /^isobench\.slot (\d+) (\S+)\s*$/.exec(line.trimStart());
    if (!m) continue;
    const v = Number(m[2]);
    if (Number.isFinite(v) && v > 0) out.set(Number(m[1]), v);
  }
  return out;
}
