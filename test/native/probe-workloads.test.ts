import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NATIVE_DIR } from '../../src/core/version.js';
import { parseProbeResults } from '../../src/scenario/index.js';

const probe = path.join(NATIVE_DIR, 'isobench-probe');
const run = (args: string[]) => spawnSync(probe, args, { encoding: 'utf8' });
const RESULT = /^isobench\.result ([a-z_]+)=([0-9.]+) (\S+)$/;

function single(stdout: string): [string, number, string] {
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  const m = RESULT.exec(lines[0]!);
  expect(m).not.toBeNull();
  return [m![1]!, Number(m![2]), m![3]!];
}

describe('probe micro-workloads', () => {
  it('proc: fork+exec+wait rate of a static program', () => {
    const r = run(['proc', '20', probe, 'ready', 'x']);
    expect(r.status).toBe(0);
    const [metric, value, unit] = single(r.stdout);
    expect(metric).toBe('forks_per_sec');
    expect(unit).toBe('1/s');
    expect(value).toBeGreaterThan(1);
  });

  it('proc: fails when the program fails', () => {
    const r = run(['proc', '3', '/bin/false']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('failed');
  });

  /**
   * A sliced run: the lines parse, no slice is shorter than 5 ms, the
   * median lies within the slowest and fastest slice, and the median and
   * whole-run rates agree within a loose factor (a steal burst may move the
   * whole-run rate; no speed is asserted).
   */
  function sliced(args: string[], metric: string, total: number): Record<string, number> {
    const r = run(args);
    expect(r.status, r.stderr).toBe(0);
    const lines = parseProbeResults(r.stdout);
    expect(lines.map((l) => l.name)).toEqual([metric, `${metric}_whole`, 'slices', 'slice_min', 'slice_max']);
    expect(lines.map((l) => l.unit)).toEqual(['1/s', '1/s', '1', '1/s', '1/s']);
    const m = Object.fromEntries(lines.map((l) => [l.name, l.value]));
    // Every slice lasts at least 5 ms: no more slices than 5 ms periods in the run, and at least one.
    const seconds = total / m[`${metric}_whole`]!;
    expect(m.slices).toBeGreaterThanOrEqual(1);
    expect(m.slices).toBeLessThanOrEqual(Math.max(1, Math.floor(seconds / 0.005)));
    expect(m[metric]).toBeGreaterThan(0);
    expect(m[metric]).toBeGreaterThanOrEqual(m.slice_min!);
    expect(m[metric]).toBeLessThanOrEqual(m.slice_max!);
    const ratio = m[metric]! / m[`${metric}_whole`]!;
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
    return m;
  }

  it('syscall: getppid rate, median of slices of at least 5 ms and the whole-run rate', () => {
    // A million calls last well over 10 ms anywhere: several slices.
    const many = sliced(['syscall', '1000000'], 'syscalls_per_sec', 1_000_000);
    expect(many.syscalls_per_sec).toBeGreaterThan(1000);
    expect(many.slices).toBeGreaterThanOrEqual(2);
    // 500 calls are one step, far under 5 ms: one slice, so the median is the whole run.
    const one = sliced(['syscall', '500'], 'syscalls_per_sec', 500);
    expect(one.slices).toBe(1);
    expect(one.slice_min).toBe(one.slice_max);
  });

  it('cpu: prime-counting events, median of slices of at least 5 ms and the whole-run rate', () => {
    const many = sliced(['cpu', '200', '10000'], 'events_per_sec', 200);
    expect(many.slices).toBeGreaterThanOrEqual(2);
    expect(sliced(['cpu', '1', '2000'], 'events_per_sec', 1).slices).toBe(1);
    // MAXPRIME defaults to 10000, sysbench cpu's default: the same work as an explicit 10000 (within the loose factor).
    const dflt = sliced(['cpu', '30'], 'events_per_sec', 30);
    const explicit = sliced(['cpu', '30', '10000'], 'events_per_sec', 30);
    expect(dflt.events_per_sec! / explicit.events_per_sec!).toBeGreaterThan(0.5);
    expect(dflt.events_per_sec! / explicit.events_per_sec!).toBeLessThan(2);
    // Ten times the primes is several times the work per event: the loop is not optimised away.
    const heavy = sliced(['cpu', '25', '100000'], 'events_per_sec', 25);
    expect(heavy.events_per_sec!).toBeLessThan(explicit.events_per_sec! / 3);
  });

  it('fsync: writes, syncs and removes its own scratch file, never an existing one', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'isobench-fsync-'));
    try {
      const file = path.join(dir, 'f');
      const r = run(['fsync', '5', file, '8192']);
      expect(r.status).toBe(0);
      const [metric, value] = single(r.stdout);
      expect(metric).toBe('fsyncs_per_sec');
      expect(value).toBeGreaterThan(0);
      expect(existsSync(file)).toBe(false);
      writeFileSync(file, 'keep');
      const again = run(['fsync', '5', file]);
      expect(again.status).toBe(1);
      expect(existsSync(file)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad counts with usage', () => {
    expect(run(['syscall', '0']).status).toBe(2);
    for (const bad of [['cpu'], ['cpu', '0'], ['cpu', '5', '2'], ['cpu', '5', 'x'], ['cpu', '-1']]) {
      const r = run(bad);
      expect(r.status, bad.join(' ')).toBe(2);
      expect(r.stderr).toContain('usage: isobench-probe cpu EVENTS [MAXPRIME');
    }
    expect(run(['fsync', 'x', '/tmp/y']).status).toBe(2);
  });
});
