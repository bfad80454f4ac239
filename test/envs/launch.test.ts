import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import path from 'node:path';
import { launchTimed, afterToken, LaunchError } from '../../src/envs/launch.js';
import { NATIVE_DIR } from '../../src/core/version.js';

const sh = (script: string): string[] => ['/bin/sh', '-c', script];

// Both ways a run reaches a timer: the shared server (the default) and a timer spawned for the run (ISOBENCH_TIMER_SERVER=0).
for (const mode of ['the shared timer server', 'a timer of its own'] as const) describe(`launchTimed (real spawns through isobench-timer: ${mode})`, () => {
  beforeAll(() => { if (mode === 'a timer of its own') process.env.ISOBENCH_TIMER_SERVER = '0'; });
  afterAll(() => { delete process.env.ISOBENCH_TIMER_SERVER; });

  it('times a token printed by /bin/echo and returns the output after it', async () => {
    const p = launchTimed(NATIVE_DIR, ['/bin/echo', 'tok123'], { token: 'tok123', timeoutMs: 5000 });
    const readyMs = await p.ready;
    const out = await p.done;
    expect(readyMs).toBeGreaterThan(0);
    expect(readyMs).toBeLessThan(2000);
    expect(out.startupMs).toBe(readyMs);
    expect(out.exitMs).toBeGreaterThanOrEqual(out.startupMs);
    expect(out.exitCode).toBe(0);
    expect(out.output).toBe('');
    expect(p.commandLine).toEqual(['/bin/echo', 'tok123']);
  });

  it('gives parsers only what came after the token line, stdout and stderr interleaved', async () => {
    const p = launchTimed(NATIVE_DIR, sh('echo before; echo T0K; echo one; echo two >&2; exit 3'), { token: 'T0K', timeoutMs: 5000 });
    const out = await p.done;
    expect(out.output).toBe('one\ntwo\n');
    expect(out.exitCode).toBe(3);
  });

  it('finds a token split across writes, and ready precedes the end of a slow workload', async () => {
    const p = launchTimed(NATIVE_DIR, sh('printf "spl"; sleep 0.05; printf "it\\n"; sleep 0.3; echo done'), { token: 'split', timeoutMs: 5000 });
    const readyMs = await p.ready;
    const out = await p.done;
    expect(readyMs).toBeGreaterThanOrEqual(40);
    expect(out.exitMs - readyMs).toBeGreaterThanOrEqual(250);
    expect(out.output).toBe('done\n');
  });

  it('does not take a line that merely contains the token for the token', async () => {
    const p = launchTimed(NATIVE_DIR, sh('echo xTOKx; echo TOKEN2; exit 0'), { token: 'TOK', timeoutMs: 5000 });
    const err = await p.ready.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LaunchError);
    expect((err as LaunchError).failure).toBe('exited-before-ready');
    expect((err as LaunchError).outputTail).toContain('TOKEN2');
  });

  it('rejects ready and done when the process exits without printing the token', async () => {
    const p = launchTimed(NATIVE_DIR, sh('echo nothing here; exit 7'), { token: 'never', timeoutMs: 5000 });
    const err = (await p.ready.catch((e: unknown) => e)) as LaunchError;
    expect(err).toBeInstanceOf(LaunchError);
    expect(err.failure).toBe('exited-before-ready');
    expect(err.exitCode).toBe(7);
    expect(err.outputTail).toContain('nothing here');
    await expect(p.done).rejects.toBeInstanceOf(LaunchError);
  });

  it('kills a process that never prints the token at the timeout', async () => {
    const t0 = Date.now();
    const p = launchTimed(NATIVE_DIR, ['/bin/sleep', '30'], { token: 'never', timeoutMs: 300 });
    const err = (await p.done.catch((e: unknown) => e)) as LaunchError;
    expect(err).toBeInstanceOf(LaunchError);
    expect(err.failure).toBe('timeout');
    expect(err.message).toContain('before printing the ready token');
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('times out a workload that hangs after the token', async () => {
    const p = launchTimed(NATIVE_DIR, sh('echo go; exec sleep 30'), { token: 'go', timeoutMs: 400 });
    await expect(p.ready).resolves.toBeGreaterThan(0);
    const err = (await p.done.catch((e: unknown) => e)) as LaunchError;
    expect(err.failure).toBe('timeout');
    expect(err.message).toContain('after the ready token');
  });

  it('reports death by signal as 128+signal', async () => {
    const p = launchTimed(NATIVE_DIR, sh('echo go; kill -9 $$'), { token: 'go', timeoutMs: 5000 });
    const out = await p.done;
    expect(out.exitCode).toBe(137);
  });

  it('reports a program that cannot be executed as a spawn error', async () => {
    const p = launchTimed(NATIVE_DIR, ['/nonexistent/prog'], { token: 't', timeoutMs: 5000 });
    const err = (await p.ready.catch((e: unknown) => e)) as LaunchError;
    expect(err.failure).toBe('spawn-error');
    expect(err.message).toContain('No such file');
  });

  it('kill() forwards to the program', async () => {
    const p = launchTimed(NATIVE_DIR, sh('echo up; exec sleep 30'), { token: 'up', timeoutMs: 20000 });
    await p.ready;
    const t0 = Date.now();
    p.kill();
    const out = await p.done;
    expect(out.exitCode).toBe(137);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('quietUntilExit holds ready and the output until the exit, with the token\'s timestamp', async () => {
    const p = launchTimed(NATIVE_DIR, sh('echo T; sleep 0.3; echo after'), { token: 'T', timeoutMs: 5000, quietUntilExit: true });
    const t0 = performance.now();
    let readyAt = -1;
    void p.ready.then(() => { readyAt = performance.now() - t0; });
    const out = await p.done;
    expect(readyAt).toBeGreaterThanOrEqual(250);
    expect(out.startupMs).toBeLessThan(250);
    expect(out.output).toBe('after\n');
  });

  it('passes env and cwd to the program', async () => {
    const p = launchTimed(NATIVE_DIR, sh('echo T; echo "$FOO $(pwd)"'), { token: 'T', timeoutMs: 5000, env: { FOO: 'bar', PATH: '/usr/bin:/bin' }, cwd: '/tmp' });
    expect((await p.done).output).toBe('bar /tmp\n');
  });

  it('a relative cwd is the harness\'s, whatever directory an earlier run used', async () => {
    await launchTimed(NATIVE_DIR, sh('echo T'), { token: 'T', timeoutMs: 5000, cwd: '/tmp' }).done;
    const p = launchTimed(NATIVE_DIR, sh('echo T; pwd'), { token: 'T', timeoutMs: 5000, cwd: 'src' });
    expect((await p.done).output).toBe(`${path.resolve('src')}\n`);
  });
});

describe('afterToken', () => {
  it('cuts at the first full token line', () => {
    expect(afterToken('a\nTOK\nb\nTOK\nc', 'TOK')).toBe('b\nTOK\nc');
    expect(afterToken('TOK\r\nx', 'TOK')).toBe('x');
    expect(afterToken('xTOK\nTOKy\n', 'TOK')).toBe('');
    expect(afterToken('TOK', 'TOK')).toBe('');
  });
});
