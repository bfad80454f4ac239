import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WorkloadOutputError } from '../../src/scenario/index.js';
import { redisWorkload, httpWorkload, sqliteWorkload, fioWorkload, compressWorkload } from '../../src/scenario/workloads/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/**
 * Output of the apps image's scripts (src/image/recipe/apps/*.sh) captured on
 * the dev host with Debian 12's redis-tools 7.0.15, wrk 4.1.0, sqlite3 3.40.1,
 * fio 3.33 and gzip 1.12, timers from build/native/isobench-probe.
 */
const fixture = (name: string): string => readFileSync(path.join(here, 'fixtures', `app-${name}.txt`), 'utf8');
const crlf = (s: string): string => s.replace(/\n/g, '\r\n');
/** The first `fraction` of the output: a run killed half-way. */
const cut = (s: string, fraction: number): string => s.slice(0, Math.floor(s.length * fraction));

describe('redis (redis-benchmark --csv)', () => {
  it('reads SET/GET requests per second and p50/p99 from real output', () => {
    expect(redisWorkload.parse(fixture('redis'))).toEqual({
      set_ops_per_sec: 89285.71, set_p50_ms: 0.063, set_p99_ms: 0.159,
      get_ops_per_sec: 83333.34, get_p50_ms: 0.071, get_p99_ms: 0.183,
    });
    expect(redisWorkload.parse(crlf(fixture('redis')))).toEqual(redisWorkload.parse(fixture('redis')));
    expect(redisWorkload.primary).toBe('set_ops_per_sec');
  });

  it('a missing GET row or a mangled cell fails naming redis-benchmark', () => {
    const noGet = fixture('redis').split('\n').filter((l) => !l.startsWith('"GET"')).join('\n');
    expect(() => redisWorkload.parse(noGet)).toThrow(/redis-benchmark: could not find the "GET" row/);
    expect(() => redisWorkload.parse(fixture('redis').replace('"89285.71"', '"n/a"'))).toThrow(/redis-benchmark: could not find 7 numbers in its SET row/);
    expect(() => redisWorkload.parse('Could not connect to Redis at 127.0.0.1:6379: Connection refused')).toThrow(/redis-benchmark: could not find its --csv header/);
    expect(() => redisWorkload.parse('')).toThrow(WorkloadOutputError);
  });
});

describe('http (wrk --latency)', () => {
  it('reads requests/s, p50/p99 latency (units converted to ms) and the request count', () => {
    expect(httpWorkload.parse(fixture('http'))).toEqual({ requests_per_sec: 13338.04, latency_p50_ms: 0.218, latency_p99_ms: 7.45, requests: 13381 });
    expect(httpWorkload.parse(crlf(fixture('http')))).toEqual(httpWorkload.parse(fixture('http')));
  });

  it('truncated output, or errors from nginx, fail naming wrk', () => {
    expect(() => httpWorkload.parse(cut(fixture('http'), 0.6))).toThrow(/wrk: could not find its "Requests\/sec:" line/);
    const non2xx = fixture('http').replace('Requests/sec:', '  Non-2xx or 3xx responses: 13381\nRequests/sec:');
    expect(() => httpWorkload.parse(non2xx)).toThrow(/wrk: could not find only 2xx responses \(it reports 13381/);
    expect(() => httpWorkload.parse(fixture('http').replace(/^\s+99%.*$/m, ''))).toThrow(/wrk: could not find the "99%" line/);
  });

  it('a run the request count stopped must have ended before its -d cap: one that sat it out lost the stop signal', () => {
    const stopped = `${fixture('http')}isobench.result stopped_by_count=1 1\n`;
    const params = httpWorkload.paramsSchema.parse({ seconds: 30 });
    // 13381 requests in 1.00s, well inside the 30 s cap: a good run.
    expect(httpWorkload.parse(stopped, params).requests_per_sec).toBe(13338.04);
    const satOut = stopped.replace('13381 requests in 1.00s', '13381 requests in 30.00s');
    expect(() => httpWorkload.parse(satOut, params)).toThrow(/wrk: could not find a run that ended at its request count \(it sat out its 30 s -d/);
    // Not stopped by the count (a slow environment that reached the cap first): its rate is right.
    expect(httpWorkload.parse(satOut.replace('stopped_by_count=1', 'stopped_by_count=0'), params).requests).toBe(13381);
  });
});

describe('sqlite (probe timers around sqlite3)', () => {
  it('derives ops/s over both timed runs and the insert and query rates', () => {
    const m = sqliteWorkload.parse(fixture('sqlite'));
    // 1000 rows in 0.365788 s, 1000 queries in 0.223301 s (the fixture ran 10 x 100 rows), work dir on disk
    expect(m.inserts_per_sec).toBeCloseTo(2733.822, 3);
    expect(m.queries_per_sec).toBeCloseTo(4478.257, 3);
    expect(m.ops_per_sec).toBeCloseTo(2000 / (0.365788 + 0.223301), 0);
    expect(m.scratch_in_ram).toBe(0);
  });

  it('a run that stopped after the inserts fails naming sqlite3', () => {
    const noQuery = fixture('sqlite').split('\n').filter((l) => !l.includes('query_')).join('\n');
    expect(() => sqliteWorkload.parse(noQuery)).toThrow(/sqlite3: could not find the result line "isobench.result query_seconds=/);
    expect(() => sqliteWorkload.parse(fixture('sqlite').replace('rows=1000', 'rows=0'))).toThrow(/sqlite3: could not find a non-empty table/);
  });
});

describe('fio (--output-format=json)', () => {
  it('reads IOPS, sequential MiB/s, p99 latencies and whether O_DIRECT was used', () => {
    expect(fioWorkload.parse(fixture('fio'))).toEqual({
      randread_iops: 10000,
      randwrite_iops: 3750,
      seqwrite_mib_per_sec: 546133 / 1024,
      randread_p99_ms: 0.905216,
      randwrite_p99_ms: expect.any(Number),
      direct_io: 1,
      scratch_in_ram: 0,
    });
    expect(fioWorkload.parse(crlf(fixture('fio')))).toEqual(fioWorkload.parse(fixture('fio')));
  });

  it('truncated JSON, a failed job or a missing job fail naming fio', () => {
    expect(() => fioWorkload.parse(cut(fixture('fio'), 0.5))).toThrow(/fio: could not find its --output-format=json document|fio: could not find a complete JSON document/);
    expect(() => fioWorkload.parse(fixture('fio').replace('"error" : 0', '"error" : 5'))).toThrow(/fio: could not find job "randread" without error \(error 5\)/);
    expect(() => fioWorkload.parse(fixture('fio').replace('"jobname" : "seqwrite"', '"jobname" : "other"'))).toThrow(/fio: could not find the "seqwrite" job/);
    expect(() => fioWorkload.parse(fixture('fio').replace(/isobench.result direct_io=1 1\n/, ''))).toThrow(/fio: could not find the result line "isobench.result direct_io=/);
  });

  it('a cell that fell back to buffered I/O, or whose work dir was RAM, where the host\'s was not, is not comparable', () => {
    expect(fioWorkload.comparability!({ direct_io: 1, scratch_in_ram: 0 }, { direct_io: 1, scratch_in_ram: 0 })).toBeUndefined();
    expect(fioWorkload.comparability!({ direct_io: 0, scratch_in_ram: 0 }, { direct_io: 1, scratch_in_ram: 0 })).toMatch(/buffered I\/O here/);
    expect(fioWorkload.comparability!({ direct_io: 1, scratch_in_ram: 1 }, { direct_io: 1, scratch_in_ram: 0 })).toMatch(/tmpfs \(RAM\)/);
    expect(sqliteWorkload.comparability!({ scratch_in_ram: 1 }, { scratch_in_ram: 0 })).toMatch(/tmpfs \(RAM\)/);
  });
});

describe('compress (probe timer around gzip)', () => {
  it('reads input MB/s and the wall time', () => {
    const m = compressWorkload.parse(fixture('compress'));
    expect(m.mb_per_sec).toBeCloseTo(12.897892437, 9);
    expect(m.seconds).toBe(0.650386);
  });

  it('no timer line (gzip failed or was killed) fails naming gzip', () => {
    expect(() => compressWorkload.parse('isobench-probe time: /usr/bin/gzip exited with status 1\n')).toThrow(/gzip: could not find the result line/);
    expect(() => compressWorkload.parse(cut(fixture('compress'), 0.5))).toThrow(/gzip: could not find|gzip: could not find a well-formed/);
  });
});

describe('application workloads run in the apps image', () => {
  it('each builds `busybox sh /isobench/apps/NAME.sh WORKDIR ...` with a per-run work dir under /tmp', () => {
    for (const w of [redisWorkload, httpWorkload, sqliteWorkload, fioWorkload, compressWorkload]) {
      const params = w.paramsSchema.parse({}) as never;
      const b = w.build(params, { scratchDir: '/tmp', uniqueId: 'tok-1' });
      expect(b.argv.slice(0, 4)).toEqual(['/bin/busybox', 'sh', `/isobench/apps/${w.type}.sh`, `/tmp/isobench-${w.type}-tok-1`]);
      expect(w.image).toBe('isobench/apps:latest');
      expect(w.storage).toBe('disk');
    }
  });
});
