import { describe, it, expect, afterEach } from 'vitest';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { launchTimed, LaunchError, timerPath } from '../../src/envs/launch.js';
import { timerServer } from '../../src/envs/timer-server.js';
import { NATIVE_DIR } from '../../src/core/version.js';

const sh = (script: string): string[] => ['/bin/sh', '-c', script];
const ROOT = path.resolve(import.meta.dirname, '..', '..');

describe('the shared timer server (isobench-timer --serve)', () => {
  afterEach(() => { delete process.env.ISOBENCH_TIMER_SERVER; });

  it('times run after run in one server process, each with its own env, cwd and output', async () => {
    const a = launchTimed(NATIVE_DIR, sh('echo T; echo "$FOO $(pwd)"'), { token: 'T', timeoutMs: 5000, env: { FOO: 'one', PATH: '/usr/bin:/bin' }, cwd: '/tmp' });
    const outA = await a.done;
    const b = launchTimed(NATIVE_DIR, ['sh', '-c', 'echo T; echo "$FOO $(pwd)"; exit 4'], { token: 'T', timeoutMs: 5000, env: { FOO: 'two', PATH: '/usr/bin:/bin' }, cwd: '/' });
    const outB = await b.done;
    expect(outA.output).toBe('one /tmp\n');
    expect(outB.output).toBe('two /\n');
    expect(outB.exitCode).toBe(4);
    expect(a.pid).toBe(b.pid);
    expect(timerServer(timerPath(NATIVE_DIR)).pid).toBe(a.pid);
    // The server is the timer: the program is its child, not the harness's.
    expect(a.pid).not.toBe(process.pid);
  });

  it('frames output of any size, and --quiet-until-exit still holds it until the exit', async () => {
    const big = launchTimed(NATIVE_DIR, sh('echo T; head -c 300000 /dev/zero | tr "\\000" a; echo; echo end'), { token: 'T', timeoutMs: 10_000 });
    const out = await big.done;
    expect(out.output.length).toBe(300_000 + 1 + 4);
    expect(out.output.endsWith('a\nend\n')).toBe(true);
    const quiet = launchTimed(NATIVE_DIR, sh('echo T; sleep 0.2; echo after'), { token: 'T', timeoutMs: 5000, quietUntilExit: true });
    let readyAt = 0;
    const t0 = performance.now();
    void quiet.ready.then(() => { readyAt = performance.now() - t0; });
    const q = await quiet.done;
    expect(q.output).toBe('after\n');
    // Held: the ready report reached us only with the exit, after the 200 ms sleep; its timestamp is still the token's.
    expect(readyAt).toBeGreaterThanOrEqual(150);
    expect(q.startupMs).toBeLessThan(150);
  });

  it('a launch while a run is in flight gets a timer of its own; both finish', async () => {
    const slow = launchTimed(NATIVE_DIR, sh('echo A; sleep 0.3; echo slow'), { token: 'A', timeoutMs: 5000 });
    await slow.ready;
    const fast = launchTimed(NATIVE_DIR, sh('echo B; echo fast'), { token: 'B', timeoutMs: 5000 });
    expect(fast.pid).not.toBe(slow.pid);
    expect((await fast.done).output).toBe('fast\n');
    expect((await slow.done).output).toBe('slow\n');
  });

  it('kill() reaches the program through the server; timeouts and spawn errors are reported as with a timer of its own', async () => {
    const p = launchTimed(NATIVE_DIR, sh('echo up; exec sleep 30'), { token: 'up', timeoutMs: 20_000 });
    await p.ready;
    p.kill();
    expect((await p.done).exitCode).toBe(137);
    const t = launchTimed(NATIVE_DIR, ['/bin/sleep', '30'], { token: 'never', timeoutMs: 200 });
    const te = (await t.done.catch((e: unknown) => e)) as LaunchError;
    expect(te.failure).toBe('timeout');
    const n = launchTimed(NATIVE_DIR, ['no-such-program-isobench'], { token: 't', timeoutMs: 5000, env: { PATH: '/usr/bin:/bin' } });
    const ne = (await n.done.catch((e: unknown) => e)) as LaunchError;
    expect(ne.failure).toBe('spawn-error');
    expect(ne.message).toContain('No such file');
    const d = launchTimed(NATIVE_DIR, ['/bin/true'], { token: 't', timeoutMs: 5000, cwd: '/nonexistent-dir-isobench' });
    expect(((await d.done.catch((e: unknown) => e)) as LaunchError).failure).toBe('spawn-error');
    // The server took all of them.
    expect(new Set([p.pid, t.pid, n.pid, d.pid]).size).toBe(1);
  });

  it('a server that dies fails its run in progress, and the next run starts a new one', async () => {
    const p = launchTimed(NATIVE_DIR, sh('echo up; exec sleep 30'), { token: 'up', timeoutMs: 20_000 });
    await p.ready;
    const old = p.pid;
    process.kill(old, 'SIGKILL');
    const err = (await p.done.catch((e: unknown) => e)) as LaunchError;
    expect(err).toBeInstanceOf(LaunchError);
    expect(err.failure).toBe('killed');
    const next = launchTimed(NATIVE_DIR, sh('echo T; echo ok'), { token: 'T', timeoutMs: 5000 });
    expect((await next.done).output).toBe('ok\n');
    expect(next.pid).not.toBe(old);
  });

  it('ISOBENCH_TIMER_SERVER=0 spawns a timer per run', async () => {
    process.env.ISOBENCH_TIMER_SERVER = '0';
    const a = launchTimed(NATIVE_DIR, sh('echo T'), { token: 'T', timeoutMs: 5000 });
    await a.done;
    const b = launchTimed(NATIVE_DIR, sh('echo T'), { token: 'T', timeoutMs: 5000 });
    await b.done;
    expect(a.pid).not.toBe(b.pid);
  });

  it('an idle server never keeps the harness alive, and it ends with the harness', async () => {
    const script = [
      `import { launchTimed } from ${JSON.stringify(path.join(ROOT, 'src', 'envs', 'launch.ts'))};`,
      `const p = launchTimed(${JSON.stringify(NATIVE_DIR)}, ['/bin/sh', '-c', 'echo T'], { token: 'T', timeoutMs: 5000 });`,
      'await p.done;',
      'console.log(p.pid);',
    ].join('\n');
    const r = await execa(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, timeout: 20_000, reject: false });
    expect(r.exitCode).toBe(0);
    const pid = Number(r.stdout.trim());
    expect(pid).toBeGreaterThan(0);
    // The harness is gone: its server saw the end of its stdin (or its PDEATHSIG) and is gone too.
    // (A zombie counts as gone: whoever adopted it reaps it when it will.)
    const running = (): boolean => {
      try { return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; }
    };
    let alive = true;
    for (let i = 0; i < 100 && alive; i++) {
      alive = running();
      if (alive) await new Promise((res) => setTimeout(res, 20));
    }
    expect(alive).toBe(false);
  });
});
