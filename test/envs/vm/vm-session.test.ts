import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { mkdtemp, rm, readdir } from 'node:fs/promises';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { resolveHome, type HomePaths } from '../../../src/core/home.js';
import { NATIVE_DIR } from '../../../src/core/version.js';
import { VmEnvironment, type VmPrepared } from '../../../src/envs/vm/index.js';
import { LaunchError } from '../../../src/envs/launch.js';
import type { Session, WorkloadInvocation } from '../../../src/envs/types.js';
import { testImage } from './fixture-image.js';
import { qemusOf, vmSkipReason } from './vm-requirements.js';
import { ClockTracker } from '../../../src/envs/session/clock.js';
import { CLOCK_READS, FIRST_CLOCK_READS, inOwnClock, measureOffset, pairCpu, pairedMetrics, scheduleFrom, startCompanion } from '../../../src/measure/paired.js';
import { probeSlotsWorkload } from '../../../src/scenario/workloads/index.js';

const skip = await vmSkipReason();
if (skip) console.warn(`vm session tests skipped: ${skip}`);

const sh = (script: string): string[] => ['/bin/busybox', 'sh', '-c', script];
const inv = (token: string, argv: string[], timeoutMs = 60000, env: Record<string, string> = {}): WorkloadInvocation => ({ argv, token, env, timeoutMs, limits: {} });

describe.skipIf(!!skip)('vm sessions: one boot for many runs', () => {
  let root: string;
  let home: HomePaths;
  let env: VmEnvironment;
  let prepared: VmPrepared;
  const vmDirs = async (): Promise<string[]> => {
    const d = path.join(home.runs, 'vmsession', 'vm');
    return existsSync(d) ? (await readdir(d)).filter((x) => x.startsWith('vm-')) : [];
  };

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'isobench-vmsession-'));
    home = resolveHome(root);
    const ti = await testImage(home);
    env = new VmEnvironment({ home, nativeDir: NATIVE_DIR, runId: 'vmsession', log: () => {} }, { bootAllowanceMs: 120000 }, ti.unpack);
    prepared = await env.prepare(ti.image);
  }, 300000);

  /** Sessions a test opened: closed after it even when it failed half-way, so one failure does not leave a QEMU that fails the next test's count. */
  const opened: Session[] = [];
  const open = async (spec: Parameters<VmEnvironment['openSession']>[1]): Promise<Session> => {
    const s = (await env.openSession(prepared, spec))!;
    opened.push(s);
    return s;
  };
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close().catch(() => {});
  });

  afterAll(async () => {
    await env?.cleanup();
    expect(qemusOf(root)).toEqual([]);
    await rm(root, { recursive: true, force: true });
  });

  it('runs three commands in one boot with their own output, env, cwd and exit status, each finding a clean guest', async () => {
    const session = await open({ env: {}, limits: {}, timeoutMs: 60000 });
    expect(session).toBeDefined();
    expect(session.description).toMatch(/^one VM boot \(\d+\.\d s, initramfs presentation\) for every run of this scenario$/);
    expect(session.startMs).toBeGreaterThan(0);
    expect(session.presentation?.name).toBe('initramfs');
    expect(qemusOf(root)).toHaveLength(1);

    // Run 1 leaves a file in /tmp and a process behind; run 2 must see neither (a fresh boot would not).
    const script = 'echo "boot=$(cat /proc/sys/kernel/random/boot_id) arg=$1 foo=$FOO cwd=$(pwd) tmp=$(ls /tmp | wc -l) procs=$(ls -d /proc/[0-9]* | wc -l)"';
    const outs = [];
    for (const [i, tail] of [[1, 'echo x > /tmp/left; /bin/busybox sleep 1000 & exit 0'], [2, 'exit 0'], [3, 'echo failing >&2; exit 3']] as const) {
      const r = await session.start(inv(`vmsession-run-${i}`, [...sh(`${script}; ${tail}`), 'sh', `a "b" c ${i}`], 60000, { FOO: `bar ${i}` }));
      expect(r.presentation?.name).toBe('initramfs');
      const ready = await r.ready;
      const out = await env.wait(r);
      expect(out.startupMs).toBeCloseTo(ready, 6);
      expect(out.exitMs).toBeGreaterThan(out.startupMs);
      outs.push(out);
    }
    expect(outs.map((o) => o.exitCode)).toEqual([0, 0, 3]);
    const lines = outs.map((o) => o.output.trim());
    const boots = lines.map((l) => /boot=(\S+)/.exec(l)?.[1]);
    expect(boots[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(boots).size).toBe(1); // one boot served all three
    lines.forEach((l, i) => expect(l).toContain(`arg=a "b" c ${i + 1} foo=bar ${i + 1} cwd=/tmp`));
    expect(lines[1]).toContain('tmp=0');
    // init + the shell + its ls: nothing of run 1 (its sleep) is left.
    expect(Number(/procs=(\d+)/.exec(lines[1]!)?.[1])).toBe(Number(/procs=(\d+)/.exec(lines[0]!)?.[1]));
    expect(lines[2]).toMatch(/failing$/);
    for (const o of outs) expect(o.output).not.toMatch(/\r|isobench\.(exit|run)/);

    await session.close();
    await session.close(); // idempotent
    expect(qemusOf(root)).toEqual([]);
    expect(await vmDirs()).toEqual([]);
    await expect(session.start(inv('vmsession-after-close', sh('true')))).rejects.toThrow(/session ended before this run: the VM session was closed/);
  }, 600000);

  it('a session pairs: clock reads bound the guest clock\'s offset, its QEMU takes one host CPU, and a slots run in it meets a host companion', async () => {
    const session = await open({ env: {}, limits: {}, timeoutMs: 60000 });
    const own = session.ownClock!;
    expect(own).toBeDefined();
    // The guest's clock is its own, but it runs at the host's rate: two offsets a second apart agree within their round trips and a little drift.
    const a = await measureOffset(own);
    await new Promise((r) => setTimeout(r, 1000));
    const b = await measureOffset(own);
    expect(a.reads).toBe(FIRST_CLOCK_READS);
    // The fastest of 16 reads: round trips here take ~0.5 ms or ~5 ms, and on a loaded CI host all 16 once took
    // 5.9 ms; the scheduler records each run's bound (clock_bound_us) for the reader, so this only asserts a sane one.
    expect(Number(a.uncertaintyNs)).toBeLessThan(5e6);
    expect(Math.abs(Number(b.offsetNs - a.offsetNs))).toBeLessThan(Number(a.uncertaintyNs + b.uncertaintyNs) + 2e6);
    const cpu = pairCpu();
    expect(await own.pinTo(cpu)).toBe(true);
    const qemu = qemusOf(root)[0]!;
    for (const tid of readdirSync(`/proc/${qemu}/task`)) {
      expect(/^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync(`/proc/${qemu}/task/${tid}/status`, 'utf8'))?.[1]).toBe(String(cpu));
    }
    // A clock read between runs leaves the protocol intact, and a paired run lines up with the host companion.
    const tracker = new ClockTracker();
    const offset = await measureOffset(own, tracker);
    expect(tracker.size).toBe(FIRST_CLOCK_READS);
    await measureOffset(own, tracker);
    expect(tracker.size).toBe(FIRST_CLOCK_READS + CLOCK_READS);
    const host = scheduleFrom(150, cpu);
    const built = probeSlotsWorkload.build({ work: 'memory', pairs: 20, periodUs: 10_000, blockBytes: 1024, maxPrime: 10_000 }, { scratchDir: '/tmp', slots: inOwnClock(host, offset) });
    const companion = startCompanion(built.argv, host);
    const out = await env.wait(await session.start(inv('vmsession-paired', built.argv)));
    expect(out.exitCode).toBe(0);
    const m = pairedMetrics(out.output, await companion.done, 'vm');
    expect(m.pairs).toBeGreaterThanOrEqual(10);
    // TCG runs the guest's loop several times slower than the host runs it natively.
    expect(m.paired_ratio).toBeGreaterThan(0);
    expect(m.paired_ratio).toBeLessThan(1.25);
    await session.close();
    expect(qemusOf(root)).toEqual([]);
    await expect(own.read()).rejects.toThrow(/ended before a clock read/);
  }, 600000);

  it('a run that overruns its timeout ends the session with a clear error and leaves no QEMU', async () => {
    const session = await open({ env: {}, limits: {}, timeoutMs: 2000 });
    const r = await session.start(inv('vmsession-slow', sh('echo started; exec /bin/busybox sleep 60'), 3000));
    await r.ready;
    const err = await env.wait(r).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LaunchError);
    expect((err as LaunchError).failure).toBe('timeout');
    expect((err as LaunchError).message).toMatch(/did not finish within 3000 ms in the VM session \(after the ready token\); the session's guest was killed/);
    expect((err as LaunchError).outputTail).toContain('started');
    await session.close();
    expect(qemusOf(root)).toEqual([]);
    expect(await vmDirs()).toEqual([]);
    await expect(session.start(inv('vmsession-next', sh('true')))).rejects.toThrow(/session ended before this run: .*did not finish within 3000 ms/);
  }, 600000);

  it('a storage session boots the disk presentation, a networked one reaches the host peer: each for all of its runs', async () => {
    const disk = await open({ env: {}, limits: {}, timeoutMs: 60000, storage: 'disk' });
    expect(disk.description).toContain('disk presentation');
    for (const [i, script] of [[1, 'grep " / " /proc/mounts; echo kept > /tmp/left; sync'], [2, 'grep " / " /proc/mounts; ls /tmp | wc -l']] as const) {
      const r = await disk.start(inv(`vmsession-disk-${i}`, sh(script)));
      expect(r.presentation?.name).toBe('disk');
      const out = await env.wait(r);
      expect(out.exitCode).toBe(0);
      expect(out.output).toMatch(/^\/dev\/vda \/ ext4/m);
      if (i === 2) expect(out.output.trim().split('\n').at(-1)).toBe('0'); // run 1's file is gone, from the disk too
    }
    await disk.close();

    const reply = `pong-${process.pid}`;
    const server = net.createServer((c) => { c.end(`${reply}\n`); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const peer = await env.peerAddress();
      const netSession = await open({ env: {}, limits: {}, timeoutMs: 60000, hostPeer: true });
      for (const i of [1, 2]) {
        const out = await env.wait(await netSession.start(inv(`vmsession-net-${i}`, sh(`/bin/busybox nc ${peer.connect} ${port} </dev/null`))));
        expect(out.exitCode).toBe(0);
        expect(out.output.trim()).toBe(reply);
      }
      await netSession.close();
    } finally {
      server.close();
    }
    expect(qemusOf(root)).toEqual([]);
    expect(await vmDirs()).toEqual([]);
  }, 600000);

  it('cleanup() closes an open session: no QEMU and no per-VM dir remain', async () => {
    const session: Session = await open({ env: {}, limits: { memoryMiB: 160 }, timeoutMs: 60000 });
    expect(qemusOf(root)).toHaveLength(1);
    const r = await session.start(inv('vmsession-mem', sh('grep MemTotal /proc/meminfo')));
    const out = await env.wait(r);
    // The memory limit is the guest's RAM, as in a one-shot run.
    expect(Number(/MemTotal:\s+(\d+)/.exec(out.output)?.[1])).toBeLessThan(160 * 1024);
    // Output arriving in many console chunks comes back whole, and the exit marker is still found after it.
    const chatty = await env.wait(await session.start(inv('vmsession-chatty', sh('/bin/busybox seq 1 5000; exit 4'))));
    expect(chatty.exitCode).toBe(4);
    const nums = chatty.output.trim().split('\n');
    expect(nums).toHaveLength(5000);
    expect(nums.every((x, i) => x === String(i + 1))).toBe(true);
    await env.cleanup();
    expect(qemusOf(root)).toEqual([]);
    expect(await vmDirs()).toEqual([]);
    await expect(session.start(inv('vmsession-after-cleanup', sh('true')))).rejects.toThrow(/session ended before this run/);
  }, 600000);
});
