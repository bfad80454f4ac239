import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Availability, Prepared, Running, WorkloadInvocation } from '../../src/envs/types.js';
import { TimedEnvironment } from '../../src/envs/base.js';
import { launchTimed } from '../../src/envs/launch.js';
import { NATIVE_DIR } from '../../src/core/version.js';
import { IMAGE_PATHS } from '../../src/image/types.js';
import { highestCpu, leadMs, pairCpu, pairedMetrics, scheduleFrom, startCompanion, MIN_PAIRS } from '../../src/measure/paired.js';
import { runScenario, type EnvSlot } from '../../src/measure/index.js';
import { NO_PROGRESS } from '../../src/measure/progress.js';
import { parseScenarioText, probeSlotsWorkload } from '../../src/scenario/index.js';

const probe = path.join(NATIVE_DIR, 'isobench-probe');

/** The environment's side of a run, spawned straight on the host: what a chroot or container run would print. */
function envSide(argv: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = spawn(probe, argv.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    c.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    c.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`probe exited ${code}`))));
  });
}

describe('paired slots: the harness side', () => {
  it('reads the CPU it pins to from Cpus_allowed_list: the highest one', () => {
    expect(highestCpu('0-3,6')).toBe(6);
    expect(highestCpu('1')).toBe(1);
    expect(highestCpu('0-1\n')).toBe(1);
    expect(highestCpu('')).toBe(-1);
    expect(highestCpu(undefined)).toBe(-1);
    expect(pairCpu('Name:\tnode\nCpus_allowed_list:\t0-7\n')).toBe(7);
    expect(pairCpu()).toBeGreaterThanOrEqual(0);
  });

  it('leaves the environment time to start: 20 ms and twice its last start, at most 3 s', () => {
    expect(leadMs(undefined)).toBe(220);
    expect(leadMs(2)).toBe(24);
    expect(leadMs(400)).toBe(820);
    expect(leadMs(10_000)).toBe(3000);
    const s = scheduleFrom(100, 1, 1_000_000n);
    expect(s).toEqual({ t0Ns: 101_000_000n, phase: 1, cpu: 1 });
  });

  it('a companion on the host takes the other half of the run\'s periods; their slots pair up', async () => {
    const slots = scheduleFrom(150, pairCpu());
    const built = probeSlotsWorkload.build({ work: 'syscall', pairs: 20, periodUs: 10_000, blockBytes: 1024, maxPrime: 10_000 }, { scratchDir: '/tmp', slots });
    expect(built.argv.slice(0, 2)).toEqual([IMAGE_PATHS.probe, 'slots']);
    const companion = startCompanion(built.argv, slots);
    // The companion is the host's probe, with phase 0 where the run has 1, the rest the same.
    const i = companion.argv.indexOf('slots');
    expect(companion.argv[i - 1]).toBe(probe);
    expect(companion.argv.slice(i)).toEqual([...built.argv.slice(1, 6), '0', ...built.argv.slice(7)]);
    const [env, host] = await Promise.all([envSide(built.argv), companion.done]);
    const m = pairedMetrics(env, host, 'chroot');
    // A slot is skipped only when its wake-up came past half its half (the CPU busy with something else): most pair up.
    expect(m.pairs).toBeGreaterThanOrEqual(10);
    expect(m.paired_ratio).toBeGreaterThan(0.8);
    expect(m.paired_ratio).toBeLessThan(1.25);
  });

  it('a run whose slots met too few of the companion\'s is an error, not a ratio', () => {
    const env = 'isobench.slot 0 5\nisobench.slot 1 5\nisobench.slot 2 5\n';
    const host = 'isobench.slot 2 5\nisobench.slot 3 5\nisobench.slot 4 5\n';
    expect(() => pairedMetrics(env, host, 'chroot')).toThrow(new RegExp(`chroot: only 1 of the run's time slots met the host companion's \\(need ${MIN_PAIRS}\\)`));
    expect(pairedMetrics(env, env, 'chroot')).toEqual({ paired_ratio: 1, pairs: 3 });
  });

  it('a companion that cannot run says so', async () => {
    const c = startCompanion(['/isobench/probe', 'slots', 'memory', '1', '10000', '3', '1', '-1', '1024'], { t0Ns: 1n, phase: 1, cpu: -1 });
    await expect(c.done).rejects.toThrow(/host companion .* ended with status 1: slots: every one of 3 slots/);
  });
});

/** A backend whose runs are real processes on the host (the probe, mapped from the image path), as a chroot's are. */
class HostProcessEnv extends TimedEnvironment {
  readonly kind;
  constructor(readonly name: string, kind: 'host' | 'chroot' | 'vm', readonly hostClock: boolean) {
    super();
    this.kind = kind;
  }
  async available(): Promise<Availability> { return { ok: true }; }
  async prepare(): Promise<Prepared> { return { env: this.name, imageDigest: 'sha256:abc' }; }
  async start(_p: Prepared, w: WorkloadInvocation): Promise<Running> {
    const argv = w.argv.map((a) => (a === IMAGE_PATHS.probe ? probe : a));
    return this.runs.track(launchTimed(NATIVE_DIR, [probe, 'ready', w.token, '--', ...argv], { token: w.token, timeoutMs: w.timeoutMs }));
  }
  protected async teardown(): Promise<void> {}
}

describe('runScenario with a pairable workload', () => {
  it('pairs every measured run of an environment on the host clock with a companion, and takes its ratio from the pairs', async () => {
    const s = parseScenarioText('name: syscall\ndescription: t\nworkload:\n  type: probe-slots\n  params:\n    work: syscall\n    pairs: 20\nrounds: 4\nwarmup: 1\nroundMs: 200\nenvironments: [host, chroot, vm]\n', '/x/syscall.yaml');
    const envs = [new HostProcessEnv('host', 'host', true), new HostProcessEnv('chroot', 'chroot', true), new HostProcessEnv('vm', 'vm', false)];
    const slots: EnvSlot[] = await Promise.all(envs.map(async (env) => ({ env, state: 'ready' as const, prepared: await env.prepare() })));
    const r = await runScenario(s, slots, { progress: NO_PROGRESS, counter: { done: 0, total: 0 }, sampling: { precision: 0.5, maxRounds: 4 } });
    const [h, c, v] = r.envs;
    if (h?.status !== 'ok' || c?.status !== 'ok' || v?.status !== 'ok') throw new Error(`expected all ok: ${JSON.stringify(r.envs.map((e) => e.status === 'failed' ? e.error : e.status))}`);
    // The chroot's measured runs were paired (its warm-up was not); the host's and the VM's were alone.
    expect(c.samples.length).toBeGreaterThanOrEqual(4);
    for (const x of c.samples) {
      expect(x.metrics.pairs).toBeGreaterThanOrEqual(10);
      expect(x.metrics.paired_ratio).toBeGreaterThan(0.7);
      expect(x.metrics.pinned).toBe(1);
    }
    expect(c.warmup[0]!.metrics.paired_ratio).toBeUndefined();
    for (const x of [...h.samples, ...v.samples]) expect(x.metrics.paired_ratio).toBeUndefined();
    expect(c.ratioToHost?.syscalls_per_sec?.method).toBe('paired-slots');
    expect(v.ratioToHost?.syscalls_per_sec?.method).toBe('trimmed-sequential');
    // The stored ratio is the runs' geometric mean of paired ratios.
    const logs = c.samples.map((x) => Math.log(x.metrics.paired_ratio!));
    expect(c.ratioToHost!.syscalls_per_sec!.ratio).toBeCloseTo(Math.exp(logs.reduce((a, b) => a + b) / logs.length), 10);
    for (const e of envs) await e.cleanup();
  });

  it('a run that starts too late for its short schedule is tried again with twice the lead, not failed', async () => {
    // The chroot's first measured start stalls 300 ms: its 6 slots (60 ms from a ~22 ms lead) have all passed.
    class StallsOnce extends HostProcessEnv {
      starts = 0;
      override async start(p: Prepared, w: WorkloadInvocation): Promise<Running> {
        if (++this.starts === 2) await new Promise((r) => setTimeout(r, 300));
        return super.start(p, w);
      }
    }
    const s = parseScenarioText('name: cpu\ndescription: t\nworkload:\n  type: probe-slots\n  params:\n    work: cpu\n    pairs: 6\nrounds: 3\nwarmup: 1\nroundMs: 60\nenvironments: [host, chroot]\n', '/x/cpu.yaml');
    const chroot = new StallsOnce('chroot', 'chroot', true);
    const envs = [new HostProcessEnv('host', 'host', true), chroot];
    const slots: EnvSlot[] = await Promise.all(envs.map(async (env) => ({ env, state: 'ready' as const, prepared: await env.prepare() })));
    const r = await runScenario(s, slots, { progress: NO_PROGRESS, counter: { done: 0, total: 0 }, sampling: { precision: 0.5, maxRounds: 3 } });
    const c = r.envs[1];
    if (c?.status !== 'ok') throw new Error(`expected ok: ${JSON.stringify(c)}`);
    expect(c.samples).toHaveLength(3);
    expect(c.samples.every((x) => (x.metrics.pairs ?? 0) >= 3)).toBe(true);
    // One warm-up, three measured runs, and the stalled one retried. A loaded host (CI) can make another
    // start miss its ~22 ms lead too, and that one is retried as well: so at least five, never four.
    expect(chroot.starts).toBeGreaterThanOrEqual(5);
    for (const e of envs) await e.cleanup();
  });

  it('with paired cells only, the host runs its minimum rounds and no more; an unpaired cell keeps it sampling', async () => {
    const text = (envs: string) => `name: syscall\ndescription: t\nworkload:\n  type: probe-slots\n  params:\n    work: syscall\n    pairs: 12\nrounds: 3\nwarmup: 0\nroundMs: 120\nenvironments: [${envs}]\n`;
    // A precision no cell reaches: every cell samples to the rounds cap.
    const sampling = { precision: 0.0001, maxRounds: 9 };
    const pairedOnly = [new HostProcessEnv('host', 'host', true), new HostProcessEnv('chroot', 'chroot', true)];
    const a = await runScenario(parseScenarioText(text('host, chroot'), '/x/syscall.yaml'), await Promise.all(pairedOnly.map(async (env) => ({ env, state: 'ready' as const, prepared: await env.prepare() }))), { progress: NO_PROGRESS, counter: { done: 0, total: 0 }, sampling });
    const [ah, ac] = a.envs;
    if (ah?.status !== 'ok' || ac?.status !== 'ok') throw new Error('expected ok');
    expect(ac.samples.length).toBeGreaterThan(3);
    expect(ac.samples.every((x) => x.metrics.paired_ratio !== undefined)).toBe(true);
    expect(ah.samples).toHaveLength(3);
    expect(ac.ratioToHost?.syscalls_per_sec?.method).toBe('paired-slots');
    for (const e of pairedOnly) await e.cleanup();

    // The VM here keeps no clock the harness reads: its cell is unpaired and needs the host's runs as its baseline.
    const mixed = [new HostProcessEnv('host', 'host', true), new HostProcessEnv('chroot', 'chroot', true), new HostProcessEnv('vm', 'vm', false)];
    const b = await runScenario(parseScenarioText(text('host, chroot, vm'), '/x/syscall.yaml'), await Promise.all(mixed.map(async (env) => ({ env, state: 'ready' as const, prepared: await env.prepare() }))), { progress: NO_PROGRESS, counter: { done: 0, total: 0 }, sampling });
    const [bh, , bv] = b.envs;
    if (bh?.status !== 'ok' || bv?.status !== 'ok') throw new Error('expected ok');
    // Both sample past the minimum (batches may leave the host a run behind the VM or ahead of it).
    expect(bv.samples.length).toBeGreaterThan(3);
    expect(bh.samples.length).toBeGreaterThan(3);
    for (const e of mixed) await e.cleanup();
  });

  it('with fixed rounds (--rounds) the runs pair too, and the cell ratio is their 95% t interval', async () => {
    const s = parseScenarioText('name: memory\ndescription: t\nworkload:\n  type: probe-slots\n  params:\n    work: memory\n    pairs: 12\nrounds: 3\nwarmup: 0\nenvironments: [host, chroot]\n', '/x/memory.yaml');
    const envs = [new HostProcessEnv('host', 'host', true), new HostProcessEnv('chroot', 'chroot', true)];
    const slots: EnvSlot[] = await Promise.all(envs.map(async (env) => ({ env, state: 'ready' as const, prepared: await env.prepare() })));
    const r = await runScenario(s, slots, { progress: NO_PROGRESS, counter: { done: 0, total: 0 } });
    const c = r.envs[1];
    if (c?.status !== 'ok') throw new Error('expected ok');
    expect(c.samples).toHaveLength(3);
    expect(c.samples.every((x) => (x.metrics.pairs ?? 0) >= 6)).toBe(true);
    expect(c.ratioToHost?.MiB_per_sec).toMatchObject({ method: 'paired-slots', confidence: 0.95 });
    for (const e of envs) await e.cleanup();
  });
});
