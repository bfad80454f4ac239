import { describe, it, expect } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { NATIVE_DIR } from '../../src/core/version.js';

const timer = path.join(NATIVE_DIR, 'isobench-timer');
const run = (args: string[]) => spawnSync(timer, args, { stdio: ['ignore', 'pipe', 'pipe', 'pipe'], encoding: 'utf8' });

describe('isobench-timer protocol', () => {
  it('reports ready and exit on fd 3 and forwards the output on stdout', () => {
    const r = run(['--token', 'abc', '--timeout-ms', '5000', '--', '/bin/sh', '-c', 'echo pre; echo abc; echo post >&2; exit 4']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('pre\nabc\npost\n');
    const lines = (r.output[3] as string).trim().split('\n');
    expect(lines[0]).toMatch(/^ready \d+$/);
    expect(lines[1]).toMatch(/^exit \d+ 4$/);
    const readyNs = Number(lines[0]!.split(' ')[1]);
    const exitNs = Number(lines[1]!.split(' ')[1]);
    expect(exitNs).toBeGreaterThanOrEqual(readyNs);
  });

  it('exits 125 on bad usage, distinct from a reported child failure', () => {
    expect(run(['--token', 'x', '--', '/bin/true']).status).toBe(125);
    expect(run(['--timeout-ms', '10', '--', '/bin/true']).status).toBe(125);
    const r = run(['--token', 'x', '--timeout-ms', '1000', '--', '/bin/false']);
    expect(r.status).toBe(0);
    expect(r.output[3]).toMatch(/^exit \d+ 1$/m);
  });

  it('--settle-us pauses before the clock starts, so the pause is in no figure', () => {
    const t0 = Date.now();
    const r = run(['--token', 'x', '--timeout-ms', '5000', '--settle-us', '300000', '--', '/bin/echo', 'x']);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    const readyNs = Number(/^ready (\d+)$/m.exec(r.output[3] as string)![1]);
    expect(readyNs / 1e6).toBeLessThan(250);
    expect(run(['--token', 'x', '--timeout-ms', '10', '--settle-us', '-1', '--', '/bin/true']).status).toBe(125);
  });

  it('--quiet-until-exit holds the output and the reports until the child exits, with the same timestamps', async () => {
    /** When (ms after spawn) the ready report reaches the reader, and what the timer reported. */
    const readyArrival = (extra: string[]): Promise<{ arrivedMs: number; fd3: string; stdout: string }> => new Promise((resolve) => {
      const t0 = performance.now();
      const c = spawn(timer, ['--token', 'go', '--timeout-ms', '5000', '--settle-us', '0', ...extra, '--', '/bin/sh', '-c', 'echo go; sleep 0.4; echo post'], { stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
      let fd3 = '';
      let stdout = '';
      let arrivedMs = -1;
      c.stdio[3]!.on('data', (d: Buffer) => { fd3 += d.toString(); if (arrivedMs < 0 && fd3.includes('ready ')) arrivedMs = performance.now() - t0; });
      c.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); });
      c.on('close', () => resolve({ arrivedMs, fd3, stdout }));
    });
    const quiet = await readyArrival(['--quiet-until-exit']);
    expect(quiet.arrivedMs).toBeGreaterThanOrEqual(390); // not before the child's 0.4 s sleep ended
    expect(Number(/^ready (\d+)$/m.exec(quiet.fd3)![1]) / 1e6).toBeLessThan(300); // but timed when the token came
    expect(quiet.fd3).toMatch(/^ready \d+\nexit \d+ 0\n$/);
    expect(quiet.stdout).toBe('go\npost\n');
    // Without it the report comes while the child still sleeps.
    expect((await readyArrival([])).arrivedMs).toBeLessThan(300);
  });

  it('reports exit at the child exit even while a grandchild keeps the pipe open', () => {
    const t0 = Date.now();
    const r = run(['--token', 'go', '--timeout-ms', '5000', '--', '/bin/sh', '-c', 'echo go; (sleep 2 &) ; exit 0']);
    expect(r.output[3]).toMatch(/^exit \d+ 0$/m);
    const exitNs = Number(/^exit (\d+)/m.exec(r.output[3] as string)![1]);
    expect(exitNs / 1e6).toBeLessThan(1000);
    expect(Date.now() - t0).toBeLessThan(1500);
  });
});
