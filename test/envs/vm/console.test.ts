import { describe, it, expect } from 'vitest';
import { parseGuestConsole } from '../../../src/envs/vm/console.js';

describe('parseGuestConsole', () => {
  it('strips \\r, the exit marker and what the kernel prints after it', () => {
    const raw = 'line 1\r\nline 2\r\n\r\nisobench.exit TOK 0\r\n[    2.705938] reboot: Restarting system\r\n';
    expect(parseGuestConsole(raw, 'TOK')).toEqual({ output: 'line 1\nline 2\n', exitCode: 0, kernelLines: [] });
  });

  it('keeps output without a final newline exact and maps the status', () => {
    const r = parseGuestConsole('partial\r\nisobench.exit TOK 137\r\n', 'TOK');
    expect(r.output).toBe('partial');
    expect(r.exitCode).toBe(137);
  });

  it('removes kernel messages, also in the middle of a workload line', () => {
    const raw = 'abc[    1.234567] random: crng init done\r\ndef\r\n[   10.000001] something: else\r\nghi\r\n\r\nisobench.exit T 2\r\n';
    const r = parseGuestConsole(raw, 'T');
    expect(r.output).toBe('abcdef\nghi\n');
    expect(r.exitCode).toBe(2);
    expect(r.kernelLines).toEqual(['[    1.234567] random: crng init done', '[   10.000001] something: else']);
  });

  it('ignores a marker for another token and reports no status when the guest died', () => {
    const r = parseGuestConsole('out\r\nisobench.exit OTHER 0\r\n[    3.1] Kernel panic - not syncing\r\n', 'MINE');
    expect(r.exitCode).toBeUndefined();
    expect(r.output).toContain('isobench.exit OTHER 0');
  });

  it('takes the last marker when the workload itself printed a fake one', () => {
    const r = parseGuestConsole('isobench.exit T 0\r\nreal\r\n\r\nisobench.exit T 5\r\n', 'T');
    expect(r.exitCode).toBe(5);
    expect(r.output).toBe('isobench.exit T 0\nreal\n');
  });
});
