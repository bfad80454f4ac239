import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
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

  it('reports exit at the child exit even while a grandchild keeps the pipe open', () => {
    const t0 = Date.now();
    const r = run(['--token', 'go', '--timeout-ms', '5000', '--', '/bin/sh', '-c', 'echo go; (sleep 2 &) ; exit 0']);
    expect(r.output[3]).toMatch(/^exit \d+ 0$/m);
    const exitNs = Number(/^exit (\d+)/m.exec(r.output[3] as string)![1]);
    expect(exitNs / 1e6).toBeLessThan(1000);
    expect(Date.now() - t0).toBeLessThan(1500);
  });
});
