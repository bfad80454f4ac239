/**
 * Registry of workload types a scenario may name in `workload.type`.
 * Adding a type = one file here + one line in WORKLOADS.
 */
import type { Workload } from './types.js';
import { startupWorkload } from './startup.js';
import { sysbenchCpuWorkload } from './sysbench-cpu.js';
import { sysbenchMemoryWorkload } from './sysbench-memory.js';
import { probeProcWorkload } from './probe-proc.js';
import { probeSyscallWorkload } from './probe-syscall.js';
import { probeCpuWorkload } from './probe-cpu.js';
import { probeFsyncWorkload } from './probe-fsync.js';
import { probeSlotsWorkload } from './probe-slots.js';
import { networkStreamWorkload } from './network-stream.js';
import { networkPingpongWorkload } from './network-pingpong.js';
import { networkWorkload } from './network.js';
import { commandWorkload } from './command.js';
import { redisWorkload } from './apps/redis.js';
import { sqliteWorkload } from './apps/sqlite.js';
import { httpWorkload } from './apps/http.js';
import { fioWorkload } from './apps/fio.js';
import { compressWorkload } from './apps/compress.js';

// Params are validated by each entry's own paramsSchema before build() sees
// them, so erasing P to a plain record here loses no safety at run time.
type AnyWorkload = Workload<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const WORKLOADS: readonly AnyWorkload[] = [
  startupWorkload,
  sysbenchCpuWorkload,
  sysbenchMemoryWorkload,
  probeProcWorkload,
  probeSyscallWorkload,
  probeCpuWorkload,
  probeFsyncWorkload,
  probeSlotsWorkload,
  networkStreamWorkload,
  networkPingpongWorkload,
  networkWorkload,
  commandWorkload,
  redisWorkload,
  sqliteWorkload,
  httpWorkload,
  fioWorkload,
  compressWorkload,
];

export const WORKLOAD_TYPES: readonly string[] = WORKLOADS.map((w) => w.type);

export function getWorkload(type: string): Workload<Record<string, unknown>> | undefined {
  return WORKLOADS.find((w) => w.type === type);
}

export type { Workload, BuildContext, BuiltCommand, TimingMetricName } from './types.js';
export { TIMING_METRICS, isTimingMetric, sampleMetric } from './types.js';
export { PROBE_RESULT_PREFIX, parseProbeResults, formatProbeResult, requireProbeMetrics, parseSlicedProbe, type ProbeResult } from './probe-result.js';
export { commandWorkload, commandArgv, envRecord, type CommandParams, type ImageProcess } from './command.js';
export { startupWorkload, sysbenchCpuWorkload, sysbenchMemoryWorkload, probeProcWorkload, probeSyscallWorkload, probeCpuWorkload, probeFsyncWorkload };
export { probeSlotsWorkload, parseSlotRates } from './probe-slots.js';
export type { SlotSchedule } from './types.js';
export { redisWorkload, sqliteWorkload, httpWorkload, fioWorkload, compressWorkload };
export { parseRedisCsv } from './apps/redis.js';
export { parseWrk } from './apps/http.js';
export { parseSqlite } from './apps/sqlite.js';
export { parseFio } from './apps/fio.js';
export { parseCompress } from './apps/compress.js';
