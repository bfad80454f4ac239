import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  WorkloadOutputError,
  sysbenchCpuWorkload,
  sysbenchMemoryWorkload,
  probeProcWorkload,
  probeSyscallWorkload,
  probeCpuWorkload,
  probeFsyncWorkload,
  startupWorkload,
} from '../../src/scenario/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Output captured from the real programs on the dev host (sysbench 1.0.20, build/native/isobench-probe). */
const fixture = (name: string): string => readFileSync(path.join(here, 'fixtures', name), 'utf8');
const crlf = (s: string): string => s.replace(/\n/g, '\r\n');

describe('sysbench-cpu parser', () => {
  it('reads events/s, total time and average latency from real output', () => {
    // fixtures/sysbench-cpu.txt: "events per second:  3211.70", "total time: 0.1547s", Latency "avg: 0.31"
    expect(sysbenchCpuWorkload.parse(fixture('sysbench-cpu.txt'))).toEqual({ events_per_sec: 3211.7, total_time_s: 0.1547, latency_avg_ms: 0.31 });
  });

  it('tolerates CRLF (VM serial console)', () => {
    expect(sysbenchCpuWorkload.parse(crlf(fixture('sysbench-cpu.txt')))).toEqual(sysbenchCpuWorkload.parse(fixture('sysbench-cpu.txt')));
  });

  it('truncated output (run killed before the summary) -> WorkloadOutputError naming the missing line', () => {
    const out = fixture('sysbench-cpu-truncated.txt');
    expect(() => sysbenchCpuWorkload.parse(out)).toThrow(WorkloadOutputError);
    expect(() => sysbenchCpuWorkload.parse(out)).toThrow(/sysbench-cpu: could not find "events per second:"/);
    expect(() => sysbenchCpuWorkload.parse('')).toThrow(/\(no output\)/);
    try {
      sysbenchCpuWorkload.parse(out);
    } catch (e) {
      expect((e as WorkloadOutputError).code).toBe('WORKLOAD_OUTPUT_INVALID');
    }
  });
});

describe('sysbench-memory parser', () => {
  it('reads MiB/s, ops/s and total time from real write output', () => {
    // fixtures/sysbench-memory.txt: "Total operations: 524288 (7463515.10 per second)", "512.00 MiB transferred (7288.59 MiB/sec)", "total time: 0.0696s"
    expect(sysbenchMemoryWorkload.parse(fixture('sysbench-memory.txt'))).toEqual({
      MiB_per_sec: 7288.59,
      ops_per_sec: 7463515.1,
      total_time_s: 0.0696,
    });
  });

  it('reads a read/rnd run too', () => {
    // fixtures/sysbench-memory-read-rnd.txt: "64.00 MiB transferred (1650.54 MiB/sec)"
    expect(sysbenchMemoryWorkload.parse(fixture('sysbench-memory-read-rnd.txt')).MiB_per_sec).toBe(1650.54);
  });

  it('cpu output is not memory output', () => {
    expect(() => sysbenchMemoryWorkload.parse(fixture('sysbench-cpu.txt'))).toThrow(/MiB transferred/);
  });
});

describe('probe workloads (isobench.result lines)', () => {
  it('parse real probe output', () => {
    const proc = fixture('probe-proc.txt');
    expect(probeProcWorkload.parse(proc)).toEqual({ forks_per_sec: Number(/forks_per_sec=(\S+)/.exec(proc)?.[1]) });
    const sys = fixture('probe-syscall.txt');
    expect(probeSyscallWorkload.parse(sys)).toEqual({
      syscalls_per_sec: Number(/syscalls_per_sec=(\S+)/.exec(sys)?.[1]),
      syscalls_per_sec_whole: Number(/syscalls_per_sec_whole=(\S+)/.exec(sys)?.[1]),
      slices: 25,
      slice_min: Number(/slice_min=(\S+)/.exec(sys)?.[1]),
      slice_max: Number(/slice_max=(\S+)/.exec(sys)?.[1]),
    });
    const fs = fixture('probe-fsync.txt');
    expect(probeFsyncWorkload.parse(fs)).toEqual({ fsyncs_per_sec: Number(/fsyncs_per_sec=(\S+)/.exec(fs)?.[1]) });
  });

  it('probe-cpu: the median slice rate, the whole-run rate and the slice record', () => {
    // fixtures/probe-cpu.txt: `isobench-probe cpu 500` on the dev host.
    const m = probeCpuWorkload.parse(fixture('probe-cpu.txt'));
    expect(m).toEqual({ events_per_sec: 2421.197, events_per_sec_whole: 2411.335, slices: 25, slice_min: 2099.564, slice_max: 2520.018 });
    expect(probeCpuWorkload.parse(crlf(fixture('probe-cpu.txt')))).toEqual(m);
    // Only the declared figures are metrics; the slice record rides along in the sample.
    expect(probeCpuWorkload.metrics.map((x) => x.name)).toEqual(['events_per_sec', 'events_per_sec_whole']);
    expect(probeCpuWorkload.primary).toBe('events_per_sec');
  });

  it('sliced workloads need both rates; the slice record is optional', () => {
    // A probe from before slices printed only the whole-run rate under the primary name.
    expect(() => probeSyscallWorkload.parse('isobench.result syscalls_per_sec=4866045.6 1/s\n')).toThrow(/"isobench\.result syscalls_per_sec_whole=\.\.\."/);
    expect(() => probeCpuWorkload.parse(fixture('probe-syscall.txt'))).toThrow(/"isobench\.result events_per_sec=\.\.\."/);
    expect(probeCpuWorkload.parse('isobench.result events_per_sec=10 1/s\nisobench.result events_per_sec_whole=9 1/s\n')).toEqual({ events_per_sec: 10, events_per_sec_whole: 9 });
    expect(() => probeCpuWorkload.parse('isobench.result events_per_sec=10 1/s\nisobench.result slices=many 1\n')).toThrow(WorkloadOutputError);
  });

  it('a missing metric names the expected line; another metric does not count', () => {
    expect(() => probeProcWorkload.parse(fixture('probe-syscall.txt'))).toThrow(/"isobench\.result forks_per_sec=\.\.\."/);
    expect(() => probeFsyncWorkload.parse('fsync: open /tmp/x: File exists\n')).toThrow(WorkloadOutputError);
  });

  it('startup parses nothing (timing comes from the harness clock)', () => {
    expect(startupWorkload.parse('anything')).toEqual({});
  });
});

describe('command builders', () => {
  const ctx = { scratchDir: '/tmp' };
  it('sysbench cpu argv is absolute inside the image and has a fixed amount of work', () => {
    expect(sysbenchCpuWorkload.build({ maxPrime: 10000, events: 2000, threads: 1 }, ctx).argv).toEqual([
      '/usr/bin/sysbench', 'cpu', '--cpu-max-prime=10000', '--threads=1', '--events=2000', '--time=0', 'run',
    ]);
  });

  it('sysbench memory bounds the run by events = total / block', () => {
    const argv = sysbenchMemoryWorkload.build({ blockSizeKiB: 4, totalSizeMiB: 8, operation: 'read', accessMode: 'rnd', threads: 1 }, ctx).argv;
    expect(argv).toContain('--events=2048');
    expect(argv).toContain('--memory-oper=read');
    expect(argv[0]).toBe('/usr/bin/sysbench');
  });

  it('probe commands', () => {
    expect(probeProcWorkload.build({ count: 7, program: 'busybox-true' }, ctx).argv).toEqual(['/isobench/probe', 'proc', '7', '/bin/busybox', 'true']);
    expect(probeProcWorkload.build({ count: 7, program: 'probe' }, ctx).argv).toEqual(['/isobench/probe', 'proc', '7', '/isobench/probe', 'ready', 'x']);
    expect(probeSyscallWorkload.build({ count: 9 }, ctx).argv).toEqual(['/isobench/probe', 'syscall', '9']);
    expect(probeCpuWorkload.build({ events: 500, maxPrime: 10000 }, ctx).argv).toEqual(['/isobench/probe', 'cpu', '500', '10000']);
    expect(probeFsyncWorkload.build({ count: 3, blockSize: 512 }, ctx).argv).toEqual(['/isobench/probe', 'fsync', '3', '/tmp/isobench-fsync', '512']);
    // A per-invocation id keeps a file left by a killed run from failing the next O_EXCL open.
    expect(probeFsyncWorkload.build({ count: 3, blockSize: 512 }, { scratchDir: '/scratch', uniqueId: 'tok/../12' }).argv[3]).toBe('/scratch/isobench-fsync-tok12');
    expect(startupWorkload.build({}, ctx).argv).toEqual([]);
  });

  it('every workload lists its primary metric', async () => {
    const { WORKLOADS } = await import('../../src/scenario/index.js');
    for (const w of WORKLOADS) expect(w.metrics.map((m) => m.name)).toContain(w.primary);
  });
});
