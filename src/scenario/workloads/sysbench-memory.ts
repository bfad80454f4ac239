import { IMAGE_PATHS } from '../../image/types.js';
import type { Workload } from './types.js';
import { oneOf, strictObject, wholeNumber } from './params.js';
import { requireNumber } from './output-text.js';
import { msOf } from './work-ms.js';

const params = strictObject({
  blockSizeKiB: wholeNumber(1, 1_048_576).default(1),
  totalSizeMiB: wholeNumber(1, 1_048_576).default(512),
  operation: oneOf(['write', 'read'] as const).default('write'),
  accessMode: oneOf(['seq', 'rnd'] as const).default('seq'),
  threads: wholeNumber(1, 256).default(1),
});

type Params = { blockSizeKiB: number; totalSizeMiB: number; operation: 'write' | 'read'; accessMode: 'seq' | 'rnd'; threads: number };

export const sysbenchMemoryWorkload: Workload<Params> = {
  type: 'sysbench-memory',
  description: 'sysbench memory: block writes/reads until a total size is transferred',
  metrics: [
    { name: 'MiB_per_sec', unit: 'MiB/s', higherIsBetter: true, description: 'sysbench "MiB transferred (... MiB/sec)"' },
    { name: 'ops_per_sec', unit: '1/s', higherIsBetter: true, description: 'block operations per second' },
    { name: 'total_time_s', unit: 's', higherIsBetter: false, description: 'sysbench "total time"' },
  ],
  primary: 'MiB_per_sec',
  // Scaling these changes how long a round lasts, not what its rate means (src/scenario/work-size.ts).
  workSize: [{ name: 'totalSizeMiB', min: 4, max: 1_048_576 }],
  workMs: (_p, m) => msOf(m.total_time_s),
  paramsSchema: params,
  build: (p) => ({
    argv: [
      IMAGE_PATHS.sysbench,
      'memory',
      `--memory-block-size=${p.blockSizeKiB}K`,
      `--memory-total-size=${p.totalSizeMiB}M`,
      `--memory-oper=${p.operation}`,
      `--memory-access-mode=${p.accessMode}`,
      `--threads=${p.threads}`,
      // The total size bounds the run; --events equal to the block count and
      // --time=0 keep sysbench from stopping at its default 10 s under TCG
      // (and from warning about an "endless test").
      `--events=${Math.floor((p.totalSizeMiB * 1024) / p.blockSizeKiB)}`,
      '--time=0',
      'run',
    ],
  }),
  parse: (out) => ({
    MiB_per_sec: requireNumber('sysbench-memory', out, /MiB transferred \(([0-9.eE+-]+) MiB\/sec\)/, '"MiB transferred (N MiB/sec)"'),
    ops_per_sec: requireNumber('sysbench-memory', out, /Total operations:\s*\d+\s*\(([0-9.eE+-]+) per second\)/, '"Total operations: N (X per second)"'),
    total_time_s: requireNumber('sysbench-memory', out, /total time:\s*([0-9.eE+-]+)s/, '"total time:"'),
  }),
};
