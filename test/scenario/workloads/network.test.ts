import { describe, expect, it } from 'vitest';
import { networkWorkload } from '../../../src/scenario/workloads/network.js';
import { networkStreamWorkload } from '../../../src/scenario/workloads/network-stream.js';
import { networkPingpongWorkload } from '../../../src/scenario/workloads/network-pingpong.js';
import { getWorkload } from '../../../src/scenario/workloads/index.js';

// Captured from `isobench-probe net both 127.0.0.1 <port> 134217728 2000 1` on the dev host.
const CAPTURED = [
  'isobench.result throughput_mib_per_sec=946.495 MiB/s',
  'isobench.result stream_seconds=0.135 s',
  'isobench.result rtt_us=26.006 us',
  'isobench.result rtt_p50_us=25.237 us',
  'isobench.result rtt_p99_us=52.378 us',
  '',
].join('\n');

describe('network workloads', () => {
  it('are registered and declare the probe server as their host peer', () => {
    for (const t of ['network', 'network-stream', 'network-pingpong']) {
      const w = getWorkload(t);
      expect(w?.hostPeer?.({})).toMatchObject({ argv: ['{probe}', 'net', 'server', '0', '{bind}'] });
    }
    expect(networkWorkload.hostPeer!({} as never).ready.exec('isobench.net listening 40123')?.[1]).toBe('40123');
  });

  it('build the client argv from the peer the harness passes, and refuse to build without one', () => {
    const p = networkWorkload.paramsSchema.parse({});
    expect(networkWorkload.build(p, { scratchDir: '/tmp', peer: { host: '10.88.3.1', port: 4242 } }).argv)
      .toEqual(['/isobench/probe', 'net', 'both', '10.88.3.1', '4242', String(256 * 1024 * 1024), '10000', '1']);
    expect(() => networkWorkload.build(p, { scratchDir: '/tmp' })).toThrow(/peer/);
    expect(networkStreamWorkload.build({ bytes: 5 }, { scratchDir: '/tmp', peer: { host: '127.0.0.1', port: 1 } }).argv.slice(2)).toEqual(['stream', '127.0.0.1', '1', '5']);
    expect(networkPingpongWorkload.build({ count: 7, size: 64 }, { scratchDir: '/tmp', peer: { host: '127.0.0.1', port: 1 } }).argv.slice(2)).toEqual(['pingpong', '127.0.0.1', '1', '7', '64']);
  });

  it('parse captured probe output; a missing metric is an error', () => {
    expect(networkWorkload.parse(CAPTURED)).toEqual({ throughput_mib_per_sec: 946.495, stream_seconds: 0.135, rtt_us: 26.006, rtt_p50_us: 25.237, rtt_p99_us: 52.378 });
    expect(networkStreamWorkload.parse(CAPTURED).throughput_mib_per_sec).toBe(946.495);
    expect(() => networkWorkload.parse(CAPTURED.split('\n').slice(0, 2).join('\n'))).toThrow(/rtt_us/);
    expect(() => networkWorkload.paramsSchema.parse({ size: 0 })).toThrow();
  });
});
