import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NATIVE_DIR } from '../../src/core/version.js';

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

  it('syscall: getppid rate', () => {
    const r = run(['syscall', '100000']);
    expect(r.status).toBe(0);
    const [metric, value] = single(r.stdout);
    expect(metric).toBe('syscalls_per_sec');
    expect(value).toBeGreaterThan(1000);
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
    expect(run(['fsync', 'x', '/tmp/y']).status).toBe(2);
  });
});
