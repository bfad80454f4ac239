import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveHome, type HomePaths } from '../../../src/core/home.js';
import { NATIVE_DIR } from '../../../src/core/version.js';
import { buildWorkloadImage } from '../../../src/image/index.js';
import type { ImageRef } from '../../../src/image/types.js';
import { DockerEnvironment } from '../../../src/envs/docker/index.js';
import { GvisorEnvironment } from '../../../src/envs/gvisor/index.js';
import { processTree } from '../../../src/envs/pin-tree.js';
import { ClockTracker } from '../../../src/envs/session/clock.js';
import { inOwnClock, measureOffset, pairCpu, pairedMetrics, scheduleFrom, startCompanion } from '../../../src/measure/paired.js';
import { probeSlotsWorkload } from '../../../src/scenario/workloads/index.js';
import { NspawnEnvironment } from '../../../src/envs/nspawn/index.js';
import { LaunchError } from '../../../src/envs/launch.js';
import { SessionError } from '../../../src/envs/session/errors.js';
import type { Environment, Prepared, Session, WorkloadInvocation } from '../../../src/envs/types.js';
import { stopDaemonOf } from '../../../src/envs/docker/daemon.js';

/**
 * Docker, gVisor and nspawn keep one container up for every run of a rate
 * scenario (src/envs/session/container-session.ts). A run in it must see
 * what a container of its own would: the same confinement (seccomp mode,
 * capabilities, no-new-privs, uid, hostname), the container's environment,
 * an empty /tmp and no process a previous run left; its output and exit
 * status its own. And nothing may be left once the session or the backend
 * is closed.
 */
const isRoot = process.getuid?.() === 0;
const sh = (script: string): string[] => ['/bin/busybox', 'sh', '-c', script];
let n = 0;
const inv = (argv: string[], env: Record<string, string> = { FOO: 'bar baz' }, timeoutMs = 60_000): WorkloadInvocation => ({ argv, token: `sess-${process.pid}-${n++}`, env, timeoutMs, limits: {} });

/** What a run reports about its own confinement: these must match between a one-shot run and a session's run. */
const CONFINEMENT = 'grep -E "^(Seccomp|NoNewPrivs|CapEff|CapBnd|Uid):" /proc/self/status | tr -s "\\t " " "; echo "host=$(hostname)"';

/** The confinement lines of a run's output; nspawn names each container (and so its hostname) after its machine number. */
const confinement = (out: string): string[] => out.split('\n').filter((l) => /^(Seccomp|NoNewPrivs|CapEff|CapBnd|Uid): |^host=/.test(l)).map((l) => l.replace(/^(host=isobench-[0-9a-f]+-)\d+$/, '$1N'));

/** PIDs (other than ours) whose command line contains needle. */
function mentioning(needle: string): number[] {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid).filter((d) => {
    try { return fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ').includes(needle); } catch { return false; }
  }).map(Number);
}

async function oneShot(env: Environment, p: Prepared, w: WorkloadInvocation): Promise<string> {
  const r = await env.start(p, w);
  const out = await env.wait(r);
  expect(out.exitCode, out.output).toBe(0);
  return out.output;
}

const BACKENDS = [
  { name: 'docker', make: (home: HomePaths) => new DockerEnvironment({ home, nativeDir: NATIVE_DIR, runId: 'sessions', log: () => {} }) },
  { name: 'gvisor', make: (home: HomePaths) => new GvisorEnvironment({ home, nativeDir: NATIVE_DIR, runId: 'sessions', log: () => {} }) },
  { name: 'nspawn', make: (home: HomePaths) => new NspawnEnvironment({ home, nativeDir: NATIVE_DIR, runId: 'sessions', log: () => {} }) },
] as const;

describe.skipIf(!isRoot)('container sessions: one container for many runs (docker, gvisor, nspawn)', () => {
  let tmp: string;
  let home: HomePaths;
  let image: ImageRef;

  beforeAll(async () => {
    tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-sessions-'));
    home = resolveHome(path.join(tmp, 'home'));
    image = await buildWorkloadImage(home);
  }, 300_000);

  afterAll(async () => {
    if (!tmp) return;
    await stopDaemonOf(home).catch(() => []);
    const mounted = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((l) => (l.split(' ')[4] ?? '').startsWith(tmp));
    if (!mounted) await fsp.rm(tmp, { recursive: true, force: true });
  }, 120_000);

  it('docker: a pids limit leaves a session\'s run as many processes as a container of its own (the reader is one more)', async (ctx) => {
    const env = BACKENDS[0].make(home);
    if (!(await env.available()).ok) { ctx.skip(); return; }
    // The shell and three sleeps fill a limit of 4 (a fork past it would end the shell); counted with builtins only.
    const count = sh('for i in 1 2 3; do /bin/busybox sleep 3 & done; set -- /proc/[0-9]*; echo "procs=$#"');
    const limited = (w: WorkloadInvocation): WorkloadInvocation => ({ ...w, limits: { pids: 4 } });
    try {
      const p = await env.prepare(image);
      const alone = await oneShot(env, p, limited(inv(count)));
      const session = (await env.openSession!(p, { env: { FOO: 'bar baz' }, limits: { pids: 4 }, timeoutMs: 60_000 })) as Session;
      const inside = await env.wait(await session.start(limited(inv(count))));
      expect(alone.trim()).toBe('procs=4');
      expect(inside.output.trim()).toBe('procs=5');
    } finally {
      await env.cleanup();
    }
  }, 300_000);

  it('gvisor: its session pairs through the Sentry\'s clock: reads bound the offset, the sandbox takes one CPU, and a slots run meets a host companion', async (ctx) => {
    const env = BACKENDS[1].make(home);
    if (!(await env.available()).ok) { ctx.skip(); return; }
    try {
      const p = await env.prepare(image);
      const session = (await env.openSession!(p, { env: {}, limits: {}, timeoutMs: 60_000 })) as Session;
      const own = session.ownClock!;
      expect(own).toBeDefined();
      const cpu = pairCpu();
      expect(await own.pinTo(cpu)).toBe(true);
      // Every process of the sandbox (runsc, its Sentry and gofer, the platform's stubs) now runs on that CPU alone.
      const tree = mentioning(home.root).flatMap((pid) => processTree(pid));
      expect(tree.length).toBeGreaterThanOrEqual(2);
      for (const pid of tree) expect(/^Cpus_allowed_list:\s*(\S+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]).toBe(String(cpu));
      const tracker = new ClockTracker();
      const offset = await measureOffset(own, tracker);
      expect(Number(offset.uncertaintyNs)).toBeLessThan(2e6);
      const host = scheduleFrom(150, cpu);
      const built = probeSlotsWorkload.build({ work: 'syscall', pairs: 20, periodUs: 10_000, blockBytes: 1024, maxPrime: 10_000 }, { scratchDir: '/tmp', slots: inOwnClock(host, offset) });
      const companion = startCompanion(built.argv, host);
      const out = await env.wait(await session.start(inv(built.argv)));
      expect(out.exitCode, out.output).toBe(0);
      const m = pairedMetrics(out.output, await companion.done, 'gvisor');
      expect(m.pairs).toBeGreaterThanOrEqual(10);
      // Each getppid traps into the Sentry (ptrace here, systrap elsewhere): far slower than the host's.
      expect(m.paired_ratio).toBeLessThan(0.5);
    } finally {
      await env.cleanup();
    }
    expect(mentioning(home.root)).toEqual([]);
  }, 300_000);

  for (const b of BACKENDS) {
    it(`${b.name}: runs see a container of their own (confinement, env, clean /tmp, no leftover process), and nothing is left after`, async (ctx) => {
      const env = b.make(home);
      const a = await env.available();
      if (!a.ok) { ctx.skip(); return; }
      try {
        const p = await env.prepare(image);
        const spec = { env: { FOO: 'bar baz' }, limits: {}, timeoutMs: 60_000 };
        // First, a run in a container of its own (nspawn locks the directory while a session's container is up).
        const alone = await oneShot(env, p, inv(sh(CONFINEMENT)));
        const session = (await env.openSession!(p, spec)) as Session;
        expect(session).toBeDefined();
        expect(session.startMs).toBeGreaterThan(0);
        expect(session.description).toMatch(/for every run of this scenario/);
        // The instance's argv is the session's; a run's is what ran inside it (what the reports print per cell).
        expect(path.basename(session.commandLine?.[0] ?? '')).toBe({ docker: 'docker', gvisor: 'runsc', nspawn: 'systemd-nspawn' }[b.name]);

        // The same confinement as that run.
        const confined = await session.start(inv(sh(CONFINEMENT)));
        expect(confined.commandLine).toEqual(sh(CONFINEMENT));
        const inside = await env.wait(confined);
        expect(inside.exitCode).toBe(0);
        expect(confinement(inside.output)).toEqual(confinement(alone));
        expect(inside.output).toMatch(/^Seccomp: \d/m);

        // Run 1 leaves a file in /tmp and a process behind; run 2 sees neither. Exit statuses and output are each run's own.
        const r1 = await env.wait(await session.start(inv(sh('echo "foo=$FOO pid=$$"; echo x > /tmp/left; /bin/busybox sleep 1000 & echo oops >&2; exit 3'))));
        expect(r1.exitCode).toBe(3);
        expect(r1.output).toMatch(/^foo=bar baz pid=\d+\noops\n$/);
        expect(r1.output).not.toMatch(/pid=1\n/); // forked by the session's PID 1
        const r2 = await env.wait(await session.start(inv(sh('echo "tmp=$(ls -A /tmp | wc -l) sleepers=$(ps | grep -c "[s]leep 1000")"'))));
        expect(r2.output.trim()).toBe('tmp=0 sleepers=0');

        // A run's own environment, when it differs from the session's, is the one it gets.
        const r3 = await env.wait(await session.start(inv(sh('echo "foo=$FOO other=$OTHER"'), { OTHER: '1' })));
        expect(r3.output.trim()).toBe('foo= other=1');

        // A run that overruns its timeout ends the session with a clear error; the next start says why.
        const slow = await session.start(inv(sh('/bin/busybox sleep 1000'), { FOO: 'bar baz' }, 1500));
        const err = await env.wait(slow).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(LaunchError);
        expect((err as Error).message).toMatch(/did not finish within 1500 ms in the (docker|gVisor|nspawn) session/);
        await expect(session.start(inv(sh('true')))).rejects.toThrow(SessionError);

        // A second session, left open: cleanup() closes it.
        const open = (await env.openSession!(p, spec)) as Session;
        expect((await env.wait(await open.start(inv(sh('exit 0'))))).exitCode).toBe(0);
      } finally {
        await env.cleanup();
      }
      expect(mentioning(home.root)).toEqual([]);
      expect(mentioning('probe session')).toEqual([]);
    }, 300_000);
  }
});
