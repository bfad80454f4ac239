import { describe, expect, it } from 'vitest';
import { parseProbeResults, formatProbeResult, requireProbeMetrics, WorkloadOutputError } from '../../src/scenario/index.js';

describe('isobench.result line format', () => {
  it('parses several lines among other output, CRLF and leading blanks', () => {
    const out = 'booting...\r\nisobench.result forks_per_sec=1234.5 1/s\r\n  isobench.result lat.p50_us=12 us\nnoise\n';
    expect(parseProbeResults(out)).toEqual([
      { name: 'forks_per_sec', value: 1234.5, unit: '1/s' },
      { name: 'lat.p50_us', value: 12, unit: 'us' },
    ]);
  });

  it('round-trips with formatProbeResult', () => {
    const r = { name: 'syscalls_per_sec', value: 4866045.6, unit: '1/s' };
    expect(formatProbeResult(r)).toBe('isobench.result syscalls_per_sec=4866045.6 1/s');
    expect(parseProbeResults(formatProbeResult(r))).toEqual([r]);
  });

  it('a line with the prefix that does not parse is an error, not skipped', () => {
    expect(() => parseProbeResults('isobench.result forks_per_sec=fast 1/s')).toThrow(WorkloadOutputError);
    expect(() => parseProbeResults('isobench.result forks_per_sec=12')).toThrow(/well-formed/);
    expect(() => parseProbeResults('isobench.result =12 1/s')).toThrow(/well-formed/);
  });

  it('requireProbeMetrics names the missing metric', () => {
    expect(requireProbeMetrics('w', 'isobench.result a=1 x\nisobench.result b=2 y', ['b', 'a'])).toEqual({ a: 1, b: 2 });
    expect(() => requireProbeMetrics('w', 'isobench.result a=1 x', ['c'])).toThrow(/w: could not find the result line "isobench.result c=\.\.\."/);
  });
});
