import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunPhase, PhaseContext } from './types.js';
import type { EngineFacts } from '../../results/types.js';
import type { ContainerPrepared } from '../../envs/container/index.js';
import { describeError } from '../../core/errors.js';
import { dieWithParent, recordChild } from '../../core/owned-process.js';
import { ledgerFor, runDirOf } from '../../core/run-ledger.js';
import { openEngine, ContainerGroup, diskUsage, regularFiles, treeHash, isAlive, parseShimTrace, medianSteps, NAMESPACES, type GroupRun } from '../../engine/index.js';

export const CONCURRENT = 20;

export const BREAKDOWN_RUNS = 20;

function runShim(argv: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    c.stderr!.on('data', (b: Buffer) => { err += b.toString(); });
    c.on('error', reject);
    c.on('close', () => resolve(err));
  });
}

/** Sequential traced starts of /bin/true: where the engine's startup time goes. */
export async function measureBreakdown(group: ContainerGroup, lowerDirs: string[], withNet: boolean): Promise<{ steps: Record<string, number>; teardownMs: number }> {
  const traces: Array<Record<string, number>> = [];
  const teardown: number[] = [];
  for (let i = 0; i < BREAKDOWN_RUNS; i++) {
    const run = group.prepareRun({
      rootfs: { kind: 'overlay', lowerDirs },
      argv: ['/bin/true'],
      limits: { memoryBytes: 256 << 20, pids: 1024 },
      ...(withNet ? {} : { namespaces: NAMESPACES.filter((n) => n !== 'net') }),
    }, undefined, { trace: true });
    const t = parseShimTrace(await runShim(run.argv));
    if (t) traces.push(t);
    const t0 = performance.now();
    await group.removeRun(run);
    teardown.push(performance.now() - t0);
  }
  return { steps: medianSteps(traces), teardownMs: medianSteps(teardown.map((ms) => ({ ms }))).ms ?? 0 };
}

function pidOf(file: string): number | null {
  try { return Number(readFileSync(file, 'utf8').trim()) || null; } catch { return null; }
}

async function until(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

/** 20 containers from the one image at once: what each adds to disk, and that the image did not change. */
export async function measureEngineFacts(ctx: PhaseContext, lowerDirs: string[]): Promise<EngineFacts> {
  const engine = openEngine(ctx.env.home, { nativeDir: ctx.env.nativeDir });
  const group = await ContainerGroup.open(engine, `facts-${ctx.env.runId}`.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 48), 'engine facts (20 concurrent containers)');
  const shims: ChildProcess[] = [];
  const ledger = ledgerFor(runDirOf(ctx.env.home, ctx.env.runId));
  const runs: GroupRun[] = [];
  try {
    const hashDirs = async (): Promise<string> => (await Promise.all(lowerDirs.map(treeHash))).join(',');
    const before = await hashDirs();
    const imageBytes = await diskUsage(lowerDirs);
    for (let i = 0; i < CONCURRENT; i++) {
      const run = group.prepareRun({
        rootfs: { kind: 'overlay', lowerDirs },
        argv: ['/bin/sh', '-c', `echo container-${i} > /tmp/rw-proof; exec sleep 600`],
        // the pid file lets us check each init is alive while all 20 run
      }, undefined, { pidFile: path.join(group.dir, `${i}.pid`) });
      runs.push(run);
      // The shim dies with the harness (and its container with the shim), and is in the run's ledger.
      const argv = dieWithParent(run.argv);
      const shim = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore' });
      recordChild(ledger, shim, argv);
      shims.push(shim);
    }
    const proofs = runs.map((r) => path.join(r.paths.upper, 'tmp', 'rw-proof'));
    const allWrote = await until(() => proofs.every((p) => existsSync(p)), 30_000);
    const allRunningAtOnce = allWrote && runs.every((_, i) => {
      const pid = pidOf(path.join(group.dir, `${i}.pid`));
      return pid !== null && isAlive(pid, null);
    });
    const rwBytesPerContainer = await Promise.all(runs.map((r) => diskUsage([r.paths.upper])));
    let copiedImageBytes = 0;
    for (const r of runs) {
      for (const f of await regularFiles(r.paths.upper)) {
        if (lowerDirs.some((d) => existsSync(path.join(d, f.rel)))) copiedImageBytes += f.size;
      }
    }
    for (const s of shims) s.kill('SIGKILL');
    await Promise.all(shims.map((s) => new Promise((r) => (s.exitCode !== null || s.signalCode !== null ? r(null) : s.once('exit', r)))));
    const after = await hashDirs();
    const net = await measureBreakdown(group, lowerDirs, true);
    const noNet = await measureBreakdown(group, lowerDirs, false);
    return {
      startupBreakdownMs: net.steps,
      startupBreakdownNoNetMs: noNet.steps,
      teardownMs: Number(net.teardownMs.toFixed(3)),
      status: allRunningAtOnce ? 'ok' : 'failed',
      ...(allRunningAtOnce ? {} : { reason: 'not all 20 containers were running at the same time' }),
      concurrent: CONCURRENT,
      allRunningAtOnce,
      imageBytes,
      rwBytesPerContainer,
      copiedImageBytes,
      snapshotsUnchanged: before === after,
      snapshotHash: after,
    };
  } finally {
    for (const s of shims) if (s.exitCode === null && s.signalCode === null) s.kill('SIGKILL');
    await group.close();
  }
}

export const engineFactsPhase: RunPhase = {
  name: 'engine-facts',
  async run(ctx) {
    const facts = (ctx.results.facts ??= {});
    const prepared = ctx.prepared.get('container') as ContainerPrepared | undefined;
    const base = { concurrent: CONCURRENT, allRunningAtOnce: false, imageBytes: 0, rwBytesPerContainer: [], copiedImageBytes: 0, snapshotsUnchanged: false, snapshotHash: '' };
    if (!prepared?.lowerDirs) {
      facts.engine = { ...base, status: 'skipped', reason: 'the container environment was not prepared in this run' } satisfies EngineFacts;
      return;
    }
    ctx.progress(`engine facts: ${CONCURRENT} containers from one image at once`);
    try {
      facts.engine = await measureEngineFacts(ctx, prepared.lowerDirs);
    } catch (e) {
      facts.engine = { ...base, status: 'failed', reason: describeError(e).message } satisfies EngineFacts;
    }
  },
};
