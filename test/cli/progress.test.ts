import { describe, it, expect } from 'vitest';
import { createProgress } from '../../src/cli/progress.js';
import type { RunStep } from '../../src/measure/progress.js';

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns: 80, write: (s: string) => { chunks.push(s); return true; } } as unknown as NodeJS.WriteStream };
}

const step = (index: number, total: number, round = 1): RunStep => ({ scenario: 'cpu', env: 'chroot', round, rounds: 3, warmup: round === 0, index, total });

describe('CLI progress', () => {
  it('prints plain lines with scenario × env × round and an ETA when not a TTY', () => {
    const { chunks, stream } = fakeStream(false);
    const p = createProgress(stream, {});
    p.stage('scenario cpu');
    p.runStarted(step(1, 4, 0));
    p.runFinished(step(1, 4, 0), { ok: true, ms: 1000 });
    p.runStarted(step(2, 4));
    p.runFinished(step(2, 4), { ok: false, ms: 1000, error: 'boom' });
    const text = chunks.join('');
    expect(text).not.toContain('\x1b[');
    expect(text).toContain('[1/4] cpu × chroot × warm-up\n');
    expect(text).toContain('[2/4] cpu × chroot × round 1/3 ETA 2s\n');
    expect(text).toContain('FAILED cpu × chroot × round 1/3: boom');
  });

  it('uses plain lines under CI=true even on a TTY, and a rewritten status line otherwise', () => {
    const ci = fakeStream(true);
    const p = createProgress(ci.stream, { CI: 'true' });
    p.runStarted(step(1, 2));
    expect(ci.chunks.join('')).not.toContain('\r');
    const tty = fakeStream(true);
    const q = createProgress(tty.stream, {});
    q.runStarted(step(1, 2));
    q.runFinished(step(1, 2), { ok: true, ms: 5 });
    q.runStarted(step(2, 2));
    q.close();
    expect(tty.chunks.join('')).toContain('\r\x1b[2K[2/2]');
  });
});

describe('CLI progress timing (ISOBENCH_TIMING=1)', () => {
  it('stamps stage lines with milliseconds and the time since the previous stage', async () => {
    const { chunks, stream } = fakeStream(false);
    const p = createProgress(stream, { ISOBENCH_TIMING: '1' });
    p.stage('checking environments');
    await new Promise((r) => setTimeout(r, 30));
    p.stage('preparing host');
    const lines = chunks.join('').trim().split('\n');
    expect(lines[0]).toMatch(/^\[\d+\.\d{3}s \+\d+\.\d{3}s\] checking environments$/);
    const since = Number(/\+(\d+\.\d{3})s\]/.exec(lines[1]!)![1]);
    expect(since).toBeGreaterThanOrEqual(0.025);
  });

  it('keeps whole seconds without it', () => {
    const { chunks, stream } = fakeStream(false);
    createProgress(stream, {}).stage('checking environments');
    expect(chunks.join('')).toMatch(/^\[\d+s\] checking environments\n$/);
  });
});
