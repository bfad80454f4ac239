import { describe, it, expect } from 'vitest';
import type { Environment, Prepared, Running, WorkloadInvocation, WorkloadOutput } from '../../src/envs/types.js';
import { rotate, runScenario, plannedRuns, type EnvSlot } from '../../src/measure/index.js';
import { batchSizes, roundOrder } from '../../src/measure/scheduler.js';
import { NO_PROGRESS } from '../../src/measure/progress.js';
import { LaunchError } from '../../src/envs/launch-errors.js';
import { parseScenarioText } from '../../src/scenario/index.js';
import { mulberry32 } from '../../src/stats/index.js';

/**
 * An in-memory backend: records the order of runs and answers with the
 * startup time it is told to, so the scheduler's logic (order, failure
 * handling, stats, ratios) is checked without processes.
 */
class ScriptedEnv implements Environment {
  readonly kind;
  calls: string[] = [];
  constructor(readonly name: string, private readonly log: string[], private readonly startupMs: (n: number) => number, private readonly failAt?: number, kind: Environment['kind'] = 'chroot') {
    this.kind = kind;
  }
  async available() { return { ok: true }; }
  async prepare(): Promise<Prepared> { return { env: this.name, imageDigest: 'sha256:abc' }; }
  async start(_p: Prepared, w: WorkloadInvocation): Promise<Running & { out: Promise<WorkloadOutput> }> {
    const n = this.calls.push(w.token);
    this.log.push(this.name);
    const startup = this.startupMs(n);
    if (this.failAt === n) {
      const err = new LaunchError('exited-before-ready', 'boom', 'tail text', ['x']);
      const ready = Promise.reject(err);
      ready.catch(() => {});
      return { commandLine: ['x'], ready, out: ready as never };
    }
    return {
      commandLine: [this.name, ...w.argv],
      ready: Promise.resolve(startup),
      out: Promise.resolve({ startupMs: startup, exitMs: startup + 1, exitCode: 0, output: '' }),
    };
  }
  wait(r: Running): Promise<WorkloadOutput> { return (r as unknown as { out: Promise<WorkloadOutput> }).out; }
  async cleanup() {}
}

const scenario = (rounds: number, warmup: number) =>
  parseScenarioText(`name: startup\ndescription: t\nworkload:\n  type: startup\nrounds: ${rounds}\nwarmup: ${warmup}\n`, '/x/startup.yaml');

async function ready(env: Environment): Promise<EnvSlot> {
  return { env, state: 'ready', prepared: await env.prepare({} as never) };
}

describe('roundOrder', () => {
  it('spreads each environment\'s runs evenly over the round, ties in the rotated order', () => {
    expect(roundOrder(['a', 'b', 'c'], new Map([['a', 1], ['b', 1], ['c', 1]]))).toEqual(['a', 'b', 'c']);
    expect(roundOrder(['vm', 'h', 'c'], new Map([['vm', 1], ['h', 4], ['c', 2]])).join(' ')).toBe('h c h vm h c h');
    // Absent from the map: one run.
    expect(roundOrder(['x', 'y'], new Map([['y', 3]]))).toEqual(['y', 'x', 'y', 'y']);
  });
});

describe('batchSizes', () => {
  it('gives the host sqrt(m) times the time for m comparisons with its runs; a paired cell is not one', () => {
    const c = (cost: number, host = false, paired = false) => ({ cost, host, left: 1000, paired });
    // Four unpaired cells of 10 ms: the host (1 ms a run) gets sqrt(4) x 10 ms = 20 runs, each of them one.
    expect(batchSizes([c(1, true), c(10), c(10), c(10), c(10)])).toEqual([20, 1, 1, 1, 1]);
    // Three of them paired with host companions: one comparison left, the host gets 10 ms.
    expect(batchSizes([c(1, true), c(10, false, true), c(10, false, true), c(10), c(10, false, true)])).toEqual([10, 1, 1, 1, 1]);
  });

  it('gives a cheap host less once the spreads are known: its precision costs it sqrt(c_h / c) of a cell\'s time', () => {
    const c = (cost: number, spread: number | undefined, host = false) => ({ cost, host, left: 1000, ...(spread !== undefined ? { spread } : {}) });
    // Four cells of 100 ms, alike spreads: the host's 1 ms runs get sqrt(4 x 1/100) = 0.2 of a cell's 100 ms, not 2 x 100 ms (capped at 50 runs).
    expect(batchSizes([c(1, 0.2, true), c(100, 0.2), c(100, 0.2), c(100, 0.2), c(100, 0.2)])).toEqual([20, 1, 1, 1, 1]);
    expect(batchSizes([c(1, undefined, true), c(100, 0.2), c(100, 0.2), c(100, 0.2), c(100, 0.2)])).toEqual([50, 1, 1, 1, 1]);
    // A host twice as noisy as its cells needs twice that.
    expect(batchSizes([c(1, 0.4, true), c(100, 0.2), c(100, 0.2), c(100, 0.2), c(100, 0.2)])).toEqual([40, 1, 1, 1, 1]);
  });
});

describe('rotate', () => {
  it('rotates the start of each round', () => {
    expect(rotate(['a', 'b', 'c'], 0)).toEqual(['a', 'b', 'c']);
    expect(rotate(['a', 'b', 'c'], 1)).toEqual(['b', 'c', 'a']);
    expect(rotate(['a', 'b', 'c'], 5)).toEqual(['c', 'a', 'b']);
    expect(rotate([], 3)).toEqual([]);
  });
});

describe('runScenario', () => {
  it('interleaves environments round by round, warm-up first, with a fresh token per run', async () => {
    const log: string[] = [];
    const host = new ScriptedEnv('host', log, () => 1, undefined, 'host');
    const chroot = new ScriptedEnv('chroot', log, () => 2);
    const slots = [await ready(host), await ready(chroot)];
    const s = scenario(3, 1);
    expect(plannedRuns(s, slots)).toBe(8);
    const counter = { done: 0, total: 8 };
    const r = await runScenario(s, slots, { progress: NO_PROGRESS, counter });
    expect(log).toEqual(['host', 'chroot', 'chroot', 'host', 'host', 'chroot', 'chroot', 'host']);
    expect(new Set([...host.calls, ...chroot.calls]).size).toBe(8);
    expect(counter.done).toBe(8);
    const [h, c] = r.envs;
    expect(h?.status).toBe('ok');
    expect(c?.status).toBe('ok');
    if (h?.status !== 'ok' || c?.status !== 'ok') return;
    expect(h.warmup).toHaveLength(1);
    expect(h.samples.map((x) => x.round)).toEqual([1, 2, 3]);
    expect(h.stats.startupMs?.median).toBe(1);
    expect(h.stats.execMs?.median).toBe(1);
    expect(h.ratioToHost).toBeUndefined();
    expect(c.ratioToHost?.startupMs?.ratio).toBe(2);
    expect(c.imageDigest).toBe('sha256:abc');
    expect(r.metrics.map((m) => m.name)).toEqual(['startupMs', 'exitMs', 'execMs']);
  });

  it('records a failing environment with its error and output tail, and the others go on', async () => {
    const log: string[] = [];
    const host = new ScriptedEnv('host', log, () => 1, undefined, 'host');
    const bad = new ScriptedEnv('chroot', log, () => 2, 2);
    const skipped: EnvSlot = { env: new ScriptedEnv('vm', log, () => 0, undefined, 'vm'), state: 'skipped', reason: 'no qemu' };
    const counter = { done: 0, total: 0 };
    const s = parseScenarioText('name: startup\ndescription: t\nworkload:\n  type: startup\nrounds: 4\nwarmup: 0\nenvironments: [host, chroot, vm]\n', '/x/startup.yaml');
    const slots = [await ready(host), await ready(bad), skipped];
    counter.total = plannedRuns(s, slots);
    const r = await runScenario(s, slots, { progress: NO_PROGRESS, counter });
    expect(host.calls).toHaveLength(4);
    expect(bad.calls).toHaveLength(2);
    expect(counter.total).toBe(6);
    const [h, c, v] = r.envs;
    expect(h?.status).toBe('ok');
    expect(c).toMatchObject({ status: 'failed', error: { code: 'LAUNCH_EXITED_BEFORE_READY', message: 'boom' }, outputTail: 'tail text' });
    if (c?.status === 'failed') expect(c.samples).toHaveLength(1);
    expect(v).toEqual({ env: 'vm', kind: 'vm', status: 'skipped', reason: 'no qemu' });
  });

  it('stops between runs once the signal is aborted and returns what was measured, marked interrupted', async () => {
    const log: string[] = [];
    const stop = new AbortController();
    // Abort during the host's 3rd run: host has 3 samples, chroot 2, vm none yet.
    const host = new ScriptedEnv('host', log, (n) => { if (n === 3) stop.abort(); return 1; }, undefined, 'host');
    const chroot = new ScriptedEnv('chroot', log, () => 2);
    const vm = new ScriptedEnv('vm', log, () => 3, undefined, 'vm');
    const s = parseScenarioText('name: startup\ndescription: t\nworkload:\n  type: startup\nrounds: 5\nwarmup: 0\n', '/x/startup.yaml');
    const slots = [await ready(host), await ready(chroot)];
    const r = await runScenario(s, slots, { progress: NO_PROGRESS, counter: { done: 0, total: 10 }, signal: stop.signal });
    expect(host.calls).toHaveLength(3);
    expect(chroot.calls).toHaveLength(2);
    expect(r.interrupted).toEqual({ timedRunsDone: 5, timedRunsPlanned: 10 });
    const [h, c] = r.envs;
    expect(h?.status === 'ok' && h.samples.length).toBe(3);
    expect(c?.status === 'ok' && c.samples.length).toBe(2);
    // Statistics and ratios cover the partial samples.
    expect(c?.status === 'ok' && c.stats.startupMs?.median).toBe(2);
    expect(c?.status === 'ok' && c.ratioToHost?.startupMs?.ratio).toBeCloseTo(2, 6);
    // An environment that never got a timed run is reported as skipped, with the reason.
    const stop2 = new AbortController();
    stop2.abort('SIGINT');
    const r2 = await runScenario(s, [await ready(vm)], { progress: NO_PROGRESS, counter: { done: 0, total: 5 }, signal: stop2.signal });
    expect(r2.envs).toEqual([{ env: 'vm', kind: 'vm', status: 'skipped', reason: 'interrupted by SIGINT (Ctrl-C) before its first timed run' }]);
    expect(vm.calls).toHaveLength(0);
    expect(r2.interrupted).toEqual({ timedRunsDone: 0, timedRunsPlanned: 5 });
  });

  it('leaves environments the scenario does not name out of its results', async () => {
    const log: string[] = [];
    const host = new ScriptedEnv('host', log, () => 1, undefined, 'host');
    const chroot = new ScriptedEnv('chroot', log, () => 1);
    const s = parseScenarioText('name: startup\ndescription: t\nworkload:\n  type: startup\nrounds: 2\nwarmup: 0\nenvironments: [chroot]\n', '/x/startup.yaml');
    const r = await runScenario(s, [await ready(host), await ready(chroot)], { progress: NO_PROGRESS, counter: { done: 0, total: 2 } });
    expect(r.envs.map((e) => e.env)).toEqual(['chroot']);
    expect(host.calls).toHaveLength(0);
  });
});

describe('runScenario with sequential sampling', () => {
  const seq = parseScenarioText('name: startup\ndescription: t\nworkload:\n  type: startup\nrounds: 5\nwarmup: 1\nenvironments: [host, chroot, vm]\n', '/x/startup.yaml');

  /** Seeded noise around a median: reproducible "timings". */
  function noisy(median: number, cv: number, seed: number): (n: number) => number {
    const rng = mulberry32(seed);
    return () => median * Math.exp(cv * Math.sqrt(-2 * Math.log(rng() || 1e-12)) * Math.cos(2 * Math.PI * rng()));
  }

  /**
   * host, chroot and vm on a fake clock: each run advances it by its cost (ms), and answers a noisy startup
   * (medians 1, 1.1 and 700 ms, 30% noise, seeds seed..seed+2). Returns the results, the run order and the clock.
   */
  async function onClock(costs: [number, number, number], seed: number, sampling: { precision: number; maxRounds: number; budgetMs: number; last?: boolean }, vmMedianMs = 700, cvs: [number, number, number] = [0.3, 0.3, 0.3]) {
    const clock = { t: 0 };
    const log: string[] = [];
    const timed = (cost: number, f: (n: number) => number) => (n: number) => { clock.t += cost; return f(n); };
    const host = new ScriptedEnv('host', log, timed(costs[0], noisy(1, cvs[0], seed)), undefined, 'host');
    const chroot = new ScriptedEnv('chroot', log, timed(costs[1], noisy(1.1, cvs[1], seed + 1)));
    const vm = new ScriptedEnv('vm', log, timed(costs[2], noisy(vmMedianMs, cvs[2], seed + 2)), undefined, 'vm');
    const r = await runScenario(seq, [await ready(host), await ready(chroot), await ready(vm)], {
      progress: NO_PROGRESS, counter: { done: 0, total: 0 }, sampling, now: () => clock.t,
    });
    return { r, log, clock };
  }

  it('stops a quiet environment once decided and keeps a noisy one going; the host runs while anyone needs it', async () => {
    const log: string[] = [];
    const host = new ScriptedEnv('host', log, noisy(1, 0.01, 1), undefined, 'host');
    const chroot = new ScriptedEnv('chroot', log, noisy(2, 0.01, 2));
    const vm = new ScriptedEnv('vm', log, noisy(700, 0.3, 3), undefined, 'vm');
    const r = await runScenario(seq, [await ready(host), await ready(chroot), await ready(vm)], {
      progress: NO_PROGRESS, counter: { done: 0, total: 0 }, sampling: { precision: 0.03, maxRounds: 60 },
    });
    const [h, c, v] = r.envs;
    if (h?.status !== 'ok' || c?.status !== 'ok' || v?.status !== 'ok') throw new Error('expected all ok');
    expect(c.sampling).toMatchObject({ stop: 'decided' });
    expect(c.samples.length).toBeLessThan(20);
    expect(v.sampling).toMatchObject({ stop: 'max-rounds', rounds: 60 });
    expect(h.samples).toHaveLength(60);
    expect(h.sampling?.stop).toBe('max-rounds');
    // The stored interval of the primary metric is the one the stopping rule used.
    expect(c.ratioToHost?.startupMs?.method).toBe('trimmed-sequential');
    expect(c.sampling?.halfWidth).toBeLessThanOrEqual(0.05);
    expect(r.sampling).toMatchObject({ mode: 'sequential', minRounds: 5, maxRounds: 60, precision: 0.05, absoluteThresholdsMs: [100, 500, 3000, 10000] });
    // Warm-up once each, then interleaved: the first measured rounds contain every environment.
    expect(log.slice(3, 6).sort()).toEqual(['chroot', 'host', 'vm']);
  });

  it('out of budget, the costliest environment stops first and cheap ones keep sampling', async () => {
    const { r, clock } = await onClock([5, 5, 700], 4, { precision: 0.03, maxRounds: 400, budgetMs: 8000 });
    const [h, c, v] = r.envs;
    if (h?.status !== 'ok' || c?.status !== 'ok' || v?.status !== 'ok') throw new Error('expected all ok');
    expect(v.sampling?.stop).toBe('budget');
    expect(v.samples.length).toBeGreaterThanOrEqual(5); // the minimum rounds always run
    expect(v.samples.length).toBeLessThan(12);
    expect(c.samples.length).toBeGreaterThan(v.samples.length * 3);
    expect(['budget', 'decided']).toContain(c.sampling?.stop);
    expect(clock.t).toBeLessThanOrEqual(8000 + 700 + 10);
    expect(r.sampling?.budgetMs).toBe(8000);
  });

  it('gives each environment about the time of one run of the costliest per round: cheap ones run in batches', async () => {
    const { r, log, clock } = await onClock([5, 40, 700], 10, { precision: 0.01, maxRounds: 400, budgetMs: 10_000 });
    const [h, c, v] = r.envs;
    if (h?.status !== 'ok' || c?.status !== 'ok' || v?.status !== 'ok') throw new Error('expected all ok');
    // The warm-up and the three floor rounds run once each; then a round has the VM once, the chroot 700/40 = 17
    // times, and the host, baseline of both ratios, sqrt(2) times the time and cap: round(25 * 1.41) = 35 runs.
    const runsOf = (name: string, xs: string[]): number => xs.filter((x) => x === name).length;
    expect(log.slice(0, 12).sort()).toEqual([...Array(4).fill('chroot'), ...Array(4).fill('host'), ...Array(4).fill('vm')]);
    const first = log.slice(12, 12 + 1 + 17 + 35);
    expect([runsOf('vm', first), runsOf('chroot', first), runsOf('host', first)]).toEqual([1, 17, 35]);
    // The batches are spread over the round, not back to back: the VM's one run sits mid-round, and no
    // cheap run is ever more than three runs away from the other's, so drift within the round hits all of them alike.
    expect(first.indexOf('vm')).toBeGreaterThan(20);
    expect(first.indexOf('vm')).toBeLessThan(33);
    expect(first.join(' ')).not.toMatch(/(chroot ){2}|(host ){4}/);
    // Equal time per round, not equal runs, and the budget holds. (Over the whole scenario futility may stop the
    // chroot early, once its spread says ±5% is out of reach at Pocock's per-look level: then the VM gets its time.)
    expect(c.samples.length).toBeGreaterThan(3 * v.samples.length);
    expect(h.samples.length).toBeGreaterThan(c.samples.length);
    expect(clock.t).toBeLessThanOrEqual(10_000 + 700 + 10);
  });

  it('futility: a cell whose claims are decided but whose spread cannot reach the target in the time left stops, and the others get its time', async () => {
    // The VM's boots (1.5 s, 30% noise) sit well between the startup bounds (500 ms / 3 s), but ±5% would take
    // ~100 boots: it waits from its first look that finds it clear of them. The chroot (20% noise against a 3%
    // host) can get there, given the VM's time; once it is decided the VM is still hopeless and stops, and the
    // scenario ends early: what is left goes to the scenarios after it.
    const { r, log, clock } = await onClock([5, 40, 700], 10, { precision: 0.01, maxRounds: 400, budgetMs: 30_000 }, 1500, [0.03, 0.2, 0.3]);
    const [, c, v] = r.envs;
    if (c?.status !== 'ok' || v?.status !== 'ok') throw new Error('expected ok');
    expect(v.sampling?.stop).toBe('budget');
    expect(v.samples.length).toBeGreaterThanOrEqual(5); // the minimum rounds always run, and a look needs them
    expect(v.samples.length).toBeLessThanOrEqual(12); // one of the first looks (5, 8, 12) finds it clear of the bounds
    expect(c.sampling?.stop).toBe('decided');
    expect(c.sampling!.spentMs).toBeGreaterThan(0.8 * (v.samples.length + 1) * 700); // a VM run costs 700 ms here
    // No VM run after it was parked: the chroot's last runs are alone with the host.
    expect(log.lastIndexOf('vm')).toBeLessThan(log.lastIndexOf('chroot'));
    expect(clock.t).toBeLessThan(26_000);
  });

  it('futility: a hopeless cell stops even when the others were decided before its first clear look', async () => {
    // The chroot (15% noise) is decided within its own share, before the VM's look at 12 runs finds it clear of
    // the bounds and hopeless: with no one left to take its time, it stops there rather than sampling to the budget.
    const { r, clock } = await onClock([5, 40, 700], 10, { precision: 0.01, maxRounds: 400, budgetMs: 30_000 }, 1500, [0.03, 0.15, 0.3]);
    const [, c, v] = r.envs;
    if (c?.status !== 'ok' || v?.status !== 'ok') throw new Error('expected ok');
    expect(c.sampling?.stop).toBe('decided');
    expect(v.sampling?.stop).toBe('budget');
    expect(v.samples.length).toBeLessThanOrEqual(12);
    expect(clock.t).toBeLessThan(15_000);
  });

  it('in the run\'s last budgeted scenario a hopeless cell comes back for what the others leave', async () => {
    const { r, log, clock } = await onClock([5, 40, 700], 10, { precision: 0.01, maxRounds: 400, budgetMs: 30_000, last: true }, 1500, [0.03, 0.15, 0.3]);
    const [, c, v] = r.envs;
    if (c?.status !== 'ok' || v?.status !== 'ok') throw new Error('expected ok');
    expect(c.sampling?.stop).toBe('decided');
    expect(v.sampling?.stop).toBe('budget');
    // Parked after one of its first looks (5, 8, 12): no VM run between then and the chroot's last run; then the rest.
    const lastChroot = log.lastIndexOf('chroot');
    const vmBefore = log.slice(0, lastChroot).filter((x) => x === 'vm').length;
    expect(vmBefore).toBeLessThanOrEqual(12 + 1);
    expect(v.samples.length).toBeGreaterThan(vmBefore);
    expect(clock.t).toBeLessThanOrEqual(30_000 + 700 + 10);
    expect(clock.t).toBeGreaterThan(30_000 - 2 * 700);
  });

  it('futility projects from the MAD: one burst-slowed run among the first five does not make a cell look hopeless', async () => {
    // A costly cell (500 ms a run, 3% noise) whose first measured run a burst slowed x2.2. Its interval at 5 runs
    // rests on that run (the order-statistic SE uses the extremes below 8 runs) and reads as needing ~400x the time;
    // the MAD says ~2x, which fits in its share: it samples on and is decided.
    const clock = { t: 0 };
    const log: string[] = [];
    const timed = (cost: number, f: (n: number) => number) => (n: number) => { clock.t += cost; return f(n); };
    const base = noisy(2, 0.03, 22);
    let calls = 0;
    const host = new ScriptedEnv('host', log, timed(5, noisy(1, 0.03, 21)), undefined, 'host');
    const chroot = new ScriptedEnv('chroot', log, timed(500, (n) => (++calls === 2 ? 4.4 : base(n))));
    // Futility only stops a cell while another one can use its time: a cheap, noisy one.
    const other = new ScriptedEnv('vm', log, timed(5, noisy(3, 0.3, 23)), undefined, 'vm');
    const r = await runScenario(seq, [await ready(host), await ready(chroot), await ready(other)], {
      progress: NO_PROGRESS, counter: { done: 0, total: 0 }, sampling: { precision: 0.03, maxRounds: 400, budgetMs: 30_000 }, now: () => clock.t,
    });
    const c = r.envs[1];
    if (c?.status !== 'ok') throw new Error('expected ok');
    expect(c.samples.map((x) => x.startupMs)).toContain(4.4);
    expect(c.samples.length).toBeGreaterThan(5);
    expect(c.sampling?.stop).toBe('decided');
  });

  it('futility never stops a cell whose interval still straddles a claim threshold: more runs may decide it', async () => {
    // The same VM at 3 s, the "relatively fast" bound: its interval straddles it, so it samples on to the deadline.
    const { r } = await onClock([5, 40, 700], 10, { precision: 0.01, maxRounds: 400, budgetMs: 30_000 }, 3000, [0.03, 0.15, 0.3]);
    const v = r.envs[2];
    if (v?.status !== 'ok') throw new Error('expected ok');
    expect(v.sampling?.stop).toBe('budget');
    expect(v.samples.length).toBeGreaterThan(7);
  });

  /**
   * A backend whose probe-syscall runs take 2 ms + count / rate: the harness
   * must size each environment's count from its warm-up runs.
   */
  class RateEnv extends ScriptedEnv {
    constructor(name: string, log: string[], private readonly rate: number, kind: Environment['kind'] = 'chroot') {
      super(name, log, () => 1, undefined, kind);
    }
    override async start(p: Prepared, w: WorkloadInvocation): Promise<Running & { out: Promise<WorkloadOutput> }> {
      const r = await super.start(p, w);
      const count = Number(w.argv.at(-1));
      const exec = 2 + (count / this.rate) * 1000;
      return { ...r, out: Promise.resolve({ startupMs: 1, exitMs: 1 + exec, exitCode: 0, output: `isobench.result syscalls_per_sec=${this.rate} 1/s\nisobench.result syscalls_per_sec_whole=${this.rate} 1/s\n` }) };
    }
  }
  const sized = (extra: string, envs = 'host, gvisor') => parseScenarioText(`name: syscall\ndescription: t\nworkload:\n  type: probe-syscall\n  params:\n    count: 200000\nrounds: 5\nwarmup: 1\nenvironments: [${envs}]\n${extra}`, '/x/syscall.yaml');

  it('sizes the work of each environment from a short sizing run and the warm-up, and records it', async () => {
    const log: string[] = [];
    const host = new RateEnv('host', log, 9_000_000, 'host');
    const gvisor = new RateEnv('gvisor', log, 6_000);
    const r = await runScenario(sized('roundMs: 250\n'), [await ready(host), await ready(gvisor)], {
      progress: NO_PROGRESS, counter: { done: 0, total: 0 }, sampling: { precision: 0.03, maxRounds: 8 },
    });
    const [h, g] = r.envs;
    if (h?.status !== 'ok' || g?.status !== 'ok') throw new Error('expected both ok');
    // The sizing run (a tenth of the work) and the warm-up, both kept as warm-up.
    expect(h.warmup).toHaveLength(2);
    expect(g.warmup[0]!.execMs).toBeCloseTo(2 + (20_000 / 6_000) * 1000, 6);
    // Every measured round of a cell ran the same sized params, near the target time.
    for (const e of [h, g]) {
      const times = e.samples.map((x) => x.execMs);
      expect(Math.max(...times) - Math.min(...times)).toBeLessThan(1e-9);
      expect(times[0]).toBeGreaterThan(200);
      expect(times[0]).toBeLessThan(300);
      expect(e.workSize?.targetMs).toBe(250);
      expect(e.commandLine.at(-1)).toBe(String(e.workSize?.params.count));
    }
    expect(h.workSize!.params.count as number).toBeGreaterThan(200_000);
    expect(g.workSize!.params.count as number).toBeLessThan(2_000);
    expect(g.workSize!.factor).toBeCloseTo((g.workSize!.params.count as number) / 200_000, 10);
  });

  it('runs a sized scenario in one session where the backend offers one, and closes it; startup never', async () => {
    const log: string[] = [];
    const host = new RateEnv('host', log, 9_000_000, 'host');
    const vm = new RateEnv('vm', log, 2_000_000, 'vm');
    const opened: string[] = [];
    let closed = 0;
    let viaSession = 0;
    (vm as Environment).openSession = async (p, spec) => {
      opened.push(`${spec.timeoutMs}`);
      return { description: 'one test instance', startMs: 1234, start: (w) => { viaSession++; return vm.start(p, w); }, close: async () => { closed++; } };
    };
    const r = await runScenario(sized('roundMs: 250\n', 'host, vm'), [await ready(host), await ready(vm)], {
      progress: NO_PROGRESS, counter: { done: 0, total: 0 }, sampling: { precision: 0.03, maxRounds: 6 },
    });
    const v = r.envs[1];
    if (v?.status !== 'ok') throw new Error('expected ok');
    expect(opened).toHaveLength(1);
    expect(closed).toBe(1);
    expect(viaSession).toBe(v.warmup.length + v.samples.length);
    expect(v.session).toEqual({ description: 'one test instance', startMs: 1234 });
    expect(r.envs[0]?.status === 'ok' && r.envs[0].session).toBeFalsy();
    // The startup scenario measures the start itself: a fresh instance per run.
    const st = await runScenario(seq, [await ready(host), await ready(vm)], { progress: NO_PROGRESS, counter: { done: 0, total: 0 }, sampling: { precision: 0.03, maxRounds: 5 } });
    expect(opened).toHaveLength(1);
    expect(st.envs.some((e) => e.status === 'ok' && e.session)).toBe(false);
  });

  it('runs the params as written without roundMs, and in fixed mode', async () => {
    for (const [text, sampling] of [['', { precision: 0.03, maxRounds: 5 }], ['roundMs: 250\n', undefined]] as const) {
      const log: string[] = [];
      const host = new RateEnv('host', log, 9_000_000, 'host');
      const r = await runScenario(sized(text), [await ready(host)], { progress: NO_PROGRESS, counter: { done: 0, total: 0 }, ...(sampling ? { sampling } : {}) });
      const h = r.envs[0];
      if (h?.status !== 'ok') throw new Error('expected ok');
      expect(h.warmup).toHaveLength(1);
      expect(h.workSize).toBeUndefined();
      expect(h.commandLine.at(-1)).toBe('200000');
    }
  });

  it('a budget too small for the minimum rounds stops the costly environment at three rounds, never fewer', async () => {
    const { r, clock } = await onClock([5, 5, 700], 7, { precision: 0.03, maxRounds: 400, budgetMs: 1000 });
    const v = r.envs[2];
    if (v?.status !== 'ok') throw new Error('expected ok');
    expect(v.samples).toHaveLength(3);
    expect(v.sampling?.stop).toBe('budget');
    expect(v.ratioToHost?.startupMs).toBeDefined();
    // The floor rounds run once each, unbatched: past the warm-up and three rounds nothing more runs.
    expect(clock.t).toBeLessThanOrEqual(4 * 710);
  });

  it('fixed mode (no sampling options) runs exactly the rounds and says so', async () => {
    const log: string[] = [];
    const host = new ScriptedEnv('host', log, () => 1, undefined, 'host');
    const chroot = new ScriptedEnv('chroot', log, () => 2);
    const r = await runScenario(scenario(3, 0), [await ready(host), await ready(chroot)], { progress: NO_PROGRESS, counter: { done: 0, total: 6 } });
    for (const e of r.envs) expect(e.status === 'ok' && e.sampling).toEqual({ rounds: 3, stop: 'fixed', looks: 0, spentMs: expect.any(Number) });
    expect(r.sampling).toEqual({ mode: 'fixed', minRounds: 3, maxRounds: 3 });
  });
});
