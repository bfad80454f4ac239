import type { Workload } from '../types.js';
import { strictObject, wholeNumber } from '../params.js';
import { requireProbeMetrics } from '../probe-result.js';
import { WorkloadOutputError } from '../../errors.js';
import { normalizeOutput } from '../output-text.js';
import { APPS_IMAGE, appScript } from './script.js';
import { ramScratchReason, SCRATCH_IN_RAM_METRIC } from './ram.js';

const params = strictObject({
  /** Size of the test file, and of the sequential write. */
  fileMiB: wholeNumber(1, 65_536).default(32),
  /** I/Os of each random job (4 KiB reads, then 4 KiB writes). */
  ios: wholeNumber(1, 100_000_000).default(2000),
});

const TOOL = 'fio';

interface FioDir { iops?: unknown; bw?: unknown; total_ios?: unknown; clat_ns?: { percentile?: Record<string, unknown> } }
interface FioJob { jobname?: unknown; error?: unknown; read?: FioDir; write?: FioDir }

/** The JSON document fio 3.33 prints with --output-format=json (stderr warnings may precede it). */
function fioJson(output: string): { jobs: FioJob[] } {
  const text = normalizeOutput(output);
  const start = text.search(/^\{\s*$/m);
  const end = text.lastIndexOf('\n}');
  if (start < 0 || end < start) throw new WorkloadOutputError(TOOL, 'its --output-format=json document', output);
  let doc: unknown;
  try {
    doc = JSON.parse(text.slice(start, end + 2));
  } catch (e) {
    throw new WorkloadOutputError(TOOL, `a complete JSON document (${(e as Error).message})`, output);
  }
  const jobs = (doc as { jobs?: unknown }).jobs;
  if (!Array.isArray(jobs)) throw new WorkloadOutputError(TOOL, 'the "jobs" array of its JSON output', output);
  return { jobs: jobs as FioJob[] };
}

function num(v: unknown, what: string, output: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new WorkloadOutputError(TOOL, what, output);
  return v;
}

/** Reads the three jobs of /isobench/apps/fio.sh and the probe's direct_io line. */
export function parseFio(output: string): Record<string, number> {
  const { direct_io, scratch_in_ram } = requireProbeMetrics(TOOL, output, ['direct_io', 'scratch_in_ram']);
  const { jobs } = fioJson(output);
  const job = (name: string): FioJob => {
    const j = jobs.find((x) => x.jobname === name);
    if (!j) throw new WorkloadOutputError(TOOL, `the "${name}" job in its JSON output`, output);
    if (j.error !== 0) throw new WorkloadOutputError(TOOL, `job "${name}" without error (error ${String(j.error)})`, output);
    return j;
  };
  const rr = job('randread').read;
  const rw = job('randwrite').write;
  const sw = job('seqwrite').write;
  const p99 = (d: FioDir | undefined, name: string): number => num(d?.clat_ns?.percentile?.['99.000000'], `the 99th completion-latency percentile of "${name}"`, output) / 1e6;
  const iosOf = (d: FioDir | undefined, name: string): number => num(d?.total_ios, `the I/O count of "${name}"`, output);
  if (iosOf(rr, 'randread') === 0 || iosOf(rw, 'randwrite') === 0 || iosOf(sw, 'seqwrite') === 0) throw new WorkloadOutputError(TOOL, 'completed I/Os in every job', output);
  return {
    randread_iops: num(rr?.iops, 'the IOPS of "randread"', output),
    randwrite_iops: num(rw?.iops, 'the IOPS of "randwrite"', output),
    // fio's bw is KiB/s.
    seqwrite_mib_per_sec: num(sw?.bw, 'the bandwidth of "seqwrite"', output) / 1024,
    randread_p99_ms: p99(rr, 'randread'),
    randwrite_p99_ms: p99(rw, 'randwrite'),
    direct_io: direct_io!,
    scratch_in_ram: scratch_in_ram!,
  };
}

export const fioWorkload: Workload<{ fileMiB: number; ios: number }> = {
  type: 'fio',
  description: 'fio on one file in the writable layer: 4 KiB random read and write IOPS, 1 MiB sequential write throughput',
  image: APPS_IMAGE,
  storage: 'disk',
  storageBound: true,
  metrics: [
    { name: 'randread_iops', unit: '1/s', higherIsBetter: true, description: '4 KiB random reads per second (psync, queue depth 1)' },
    { name: 'randwrite_iops', unit: '1/s', higherIsBetter: true, description: '4 KiB random writes per second (psync, queue depth 1)' },
    { name: 'seqwrite_mib_per_sec', unit: 'MiB/s', higherIsBetter: true, description: '1 MiB sequential writes, fsync at the end' },
    { name: 'randread_p99_ms', unit: 'ms', higherIsBetter: false, description: 'random read completion latency, 99th percentile' },
    { name: 'randwrite_p99_ms', unit: 'ms', higherIsBetter: false, description: 'random write completion latency, 99th percentile' },
    { name: 'direct_io', unit: '1', higherIsBetter: true, description: '1 = O_DIRECT (the filesystem took it), 0 = buffered' },
    SCRATCH_IN_RAM_METRIC,
  ],
  primary: 'randread_iops',
  // No workSize: fio's own fixed cost per run (clock calibration, a 100 ms wait as each of its three job
  // groups starts, 100 ms polls for the group's end) dwarfs its I/O, so a sizing run would only add a run.
  paramsSchema: params,
  build: (p, ctx) => appScript('fio', ctx, [p.fileMiB, p.ios]),
  parse: parseFio,
  comparability: (cell, host) => {
    const ram = ramScratchReason(cell, host);
    if (ram) return ram;
    if (cell.direct_io === undefined || host.direct_io === undefined || cell.direct_io === host.direct_io) return undefined;
    return cell.direct_io === 1
      ? 'fio used O_DIRECT here but buffered I/O on the host (the host filesystem refused O_DIRECT)'
      : 'fio fell back to buffered I/O here (this filesystem refused O_DIRECT) while the host used O_DIRECT: page cache against the device';
  },
};
