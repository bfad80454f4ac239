import type { Workload } from '../types.js';
import { strictObject, wholeNumber } from '../params.js';
import { requireProbeMetrics } from '../probe-result.js';
import { WorkloadOutputError } from '../../errors.js';
import { APPS_IMAGE, appScript } from './script.js';
import { ramScratchReason, SCRATCH_IN_RAM_METRIC } from './ram.js';
import { perRate } from '../work-ms.js';

const params = strictObject({
  /** Transactions of single-row INSERTs; each COMMIT is a durable write. */
  transactions: wholeNumber(1, 100_000).default(20),
  rowsPerTransaction: wholeNumber(1, 100_000).default(100),
  /** Indexed lookups after the inserts (3 of 4 point queries, 1 of 4 range queries). */
  queries: wholeNumber(1, 10_000_000).default(2000),
});

const TOOL = 'sqlite3';

/** The probe's timer lines around the two sqlite3 runs, plus the row count the script reads back. */
export function parseSqlite(output: string): Record<string, number> {
  const m = requireProbeMetrics(TOOL, output, ['insert_seconds', 'insert_per_sec', 'query_seconds', 'query_per_sec', 'rows', 'scratch_in_ram']);
  if (!(m.rows! > 0)) throw new WorkloadOutputError(TOOL, 'a non-empty table after the inserts', output);
  const inserts = m.insert_per_sec! * m.insert_seconds!;
  const queries = m.query_per_sec! * m.query_seconds!;
  return {
    ops_per_sec: (inserts + queries) / (m.insert_seconds! + m.query_seconds!),
    inserts_per_sec: m.insert_per_sec!,
    queries_per_sec: m.query_per_sec!,
    scratch_in_ram: m.scratch_in_ram!,
  };
}

export const sqliteWorkload: Workload<{ transactions: number; rowsPerTransaction: number; queries: number }> = {
  type: 'sqlite',
  description: 'sqlite3: INSERTs in transactions, then indexed queries, on a database file in the writable layer',
  image: APPS_IMAGE,
  storage: 'disk',
  storageBound: true,
  metrics: [
    { name: 'ops_per_sec', unit: '1/s', higherIsBetter: true, description: 'inserts + queries per second of the two timed sqlite3 runs' },
    { name: 'inserts_per_sec', unit: '1/s', higherIsBetter: true, description: 'single-row INSERTs per second, COMMIT every transaction' },
    { name: 'queries_per_sec', unit: '1/s', higherIsBetter: true, description: 'indexed point and range queries per second' },
    SCRATCH_IN_RAM_METRIC,
  ],
  primary: 'ops_per_sec',
  // Scaling these changes how long a round lasts, not what its rate means (src/scenario/work-size.ts).
  workSize: [{ name: 'transactions', min: 1, max: 100_000 }, { name: 'queries', min: 20, max: 10_000_000 }],
  workMs: (p, m) => perRate(p.transactions * p.rowsPerTransaction + p.queries, m.ops_per_sec),
  paramsSchema: params,
  build: (p, ctx) => appScript('sqlite', ctx, [p.transactions, p.rowsPerTransaction, p.queries]),
  parse: parseSqlite,
  comparability: ramScratchReason,
};
