import { describe, it, expect } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { NATIVE_DIR } from '../../src/core/version.js';
import { parseProbeResults, parseSlotRates } from '../../src/scenario/index.js';
import { slotPairRatio } from '../../src/stats/index.js';

const probe = path.join(NATIVE_DIR, 'isobench-probe');

function runAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const c = spawn(probe, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
    c.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    c.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - t0 }));
  });
}

const metrics = (out: string) => new Map(parseProbeResults(out).map((r) => [r.name, r.value]));

describe('probe slots', () => {
  for (const [work, metric] of [['memory', 'MiB_per_sec'], ['syscall', 'syscalls_per_sec'], ['cpu', 'events_per_sec']] as const) {
    // Two retries: both processes share CPU 0 with whatever else the suite runs there, and on a loaded CI host
    // that once left 3 of 30 slots with a timely wake-up (a skipped slot is the probe working as designed).
    // A probe that does not take turns fails every attempt.
    it(`${work}: two processes on one schedule and one CPU take turns; every slot has a partner and a like one`, { retry: 2 }, async () => {
      const pairs = 30;
      const t0 = process.hrtime.bigint() + 100_000_000n;
      const args = (phase: number) => ['slots', work, String(t0), '10000', String(pairs), String(phase), '0'];
      const [a, b] = await Promise.all([runAsync(args(0)), runAsync(args(1))]);
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stderr).toBe(0);
      const ra = parseSlotRates(a.stdout);
      const rb = parseSlotRates(b.stdout);
      // A slot is skipped only when its wake-up came past half its half (the CPU busy with something else): most run.
      expect(ra.size).toBeGreaterThanOrEqual(pairs / 2);
      const r = slotPairRatio(ra, rb)!;
      expect(r.pairs).toBeGreaterThanOrEqual(pairs / 2);
      // The same work on both sides, 5 ms apart on one CPU: the median slot ratio is near 1.
      expect(r.ratio).toBeGreaterThan(0.8);
      expect(r.ratio).toBeLessThan(1.25);
      const m = metrics(a.stdout);
      expect(m.get(metric)).toBeGreaterThan(0);
      expect(m.get(`${metric}_whole`)).toBeGreaterThan(0);
      expect(m.get('slices')).toBe(ra.size);
      expect(m.get('slice_min')).toBeLessThanOrEqual(m.get(metric)!);
      expect(m.get('slice_max')).toBeGreaterThanOrEqual(m.get(metric)!);
      expect(m.get('pinned')).toBe(1);
      // It keeps to the schedule: it cannot end before its last slot's half has begun.
      expect(a.ms).toBeGreaterThanOrEqual(100 + (pairs - 1) * 10);
    });
  }

  it('alone (phase 2) it works every half: PAIRS slots in PAIRS halves, unpinned with CPU -1', async () => {
    const r = await runAsync(['slots', 'syscall', '0', '10000', '20', '2', '-1']);
    expect(r.code, r.stderr).toBe(0);
    expect(parseSlotRates(r.stdout).size).toBe(20);
    expect(metrics(r.stdout).get('pinned')).toBe(0);
    // Two periods of lead, then 20 halves of 5 ms: at least 20 + 95 ms.
    expect(r.ms).toBeGreaterThanOrEqual(20 + 19 * 5);
  });

  it('cpu: a step never begins when it cannot end in its slot; an event longer than a slot does not run past it twice', async () => {
    // maxPrime 10000: ~0.4 ms an event here; the slot's last event ends before 85% of its half.
    const t0 = process.hrtime.bigint() + 50_000_000n;
    const r = await runAsync(['slots', 'cpu', String(t0), '10000', '10', '0', '-1', '10000']);
    expect(r.code, r.stderr).toBe(0);
    expect(parseSlotRates(r.stdout).size).toBeGreaterThanOrEqual(5);
    // maxPrime 400000: one event takes far longer than a 4 ms slot. The first slot runs it (its cost is unknown yet); no later slot begins one.
    const big = await runAsync(['slots', 'cpu', '0', '10000', '10', '0', '-1', '400000']);
    expect(parseSlotRates(big.stdout).size).toBeLessThanOrEqual(1);
  });

  it('a schedule already past skips every slot and says so', () => {
    const r = spawnSync(probe, ['slots', 'memory', '1', '10000', '5', '0', '-1'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/every one of 5 slots started more than 2500 us late/);
  });

  it('bad arguments get the usage line', () => {
    for (const args of [['slots'], ['slots', 'disk', '0', '10000', '5', '0', '-1'], ['slots', 'memory', '0', '100', '5', '0', '-1'], ['slots', 'memory', '0', '10000', '5', '3', '-1'], ['slots', 'memory', '0', '10000', '5', '0', '-1', '4'], ['slots', 'cpu', '0', '10000', '5', '0', '-1', '2']]) {
      const r = spawnSync(probe, args, { encoding: 'utf8' });
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/usage: isobench-probe slots memory\|syscall\|cpu/);
    }
  });
});
