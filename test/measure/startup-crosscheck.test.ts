import { describe, it, expect, afterEach } from 'vitest';
import { spawnSync } from 'node:child_process';
import { CROSSCHECK_BLOCKS, CROSSCHECK_RUNS, startupCrossCheckPhase } from '../../src/measure/phases/startup-crosscheck.js';
import type { StartupCrossCheck } from '../../src/results/types.js';
import type { PhaseContext } from '../../src/measure/phases/types.js';
import { HostEnvironment } from '../../src/envs/host/index.js';
import { summarize } from '../../src/stats/index.js';
import type { RunResults, ScenarioResult } from '../../src/results/types.js';
import { fixtureImage, fixtureUnpack, tempContext } from '../envs/chroot/fixture-rootfs.js';

const hasHyperfine = spawnSync('hyperfine', ['--version']).status === 0;

function results(withStartup: boolean): RunResults {
  const scenario: ScenarioResult = {
    name: 'startup', description: '', file: '', workload: { type: 'startup', params: {} },
    primaryMetric: { name: 'startupMs', unit: 'ms', higherIsBetter: false }, metrics: [], rounds: 3, warmup: 0,
    envs: [{ env: 'host', kind: 'host', status: 'ok', imageDigest: fixtureImage.digest, commandLine: [], warmup: [], samples: [], stats: { startupMs: summarize([0.5, 0.6, 0.7]) } }],
  };
  return { scenarios: withStartup ? [scenario] : [], warnings: [] } as unknown as RunResults;
}

describe('startup cross-check phase', () => {
  let dispose: (() => Promise<void>) | undefined;
  afterEach(async () => { await dispose?.(); dispose = undefined; });

  async function context(withStartup: boolean): Promise<{ ctx: PhaseContext; env: HostEnvironment }> {
    const t = await tempContext('isobench-xcheck-');
    const env = new HostEnvironment(t.ctx, fixtureUnpack);
    const prepared = await env.prepare(fixtureImage);
    dispose = async () => { await env.cleanup(); await t.dispose(); };
    return { env, ctx: { results: results(withStartup), image: fixtureImage, environments: [env], prepared: new Map([['host', prepared]]), env: t.ctx, outDir: t.home.root, progress: () => {} } };
  }

  it.skipIf(!hasHyperfine)('alternates isobench-timer and hyperfine -N blocks on the host arm\'s probe and stores both medians', async () => {
    const { ctx } = await context(true);
    await startupCrossCheckPhase.run(ctx);
    const c = ctx.results.facts?.startupCrossCheck as StartupCrossCheck;
    expect(c.status, c.reason).toBe('ok');
    expect(c.command?.slice(0, 2)).toEqual(['hyperfine', '-N']);
    expect(c.command?.at(-1)).toMatch(/\/isobench\/probe ready x$/);
    // ABBA ABBA ...: as many blocks of each tool, neither always first.
    const tools = c.blocks?.map((b) => b.tool) ?? [];
    expect(tools).toHaveLength(2 * CROSSCHECK_BLOCKS);
    expect(tools.slice(0, 8)).toEqual(['isobench-timer', 'hyperfine', 'hyperfine', 'isobench-timer', 'isobench-timer', 'hyperfine', 'hyperfine', 'isobench-timer']);
    expect(tools.filter((t) => t === 'hyperfine')).toHaveLength(CROSSCHECK_BLOCKS);
    for (const b of c.blocks ?? []) {
      expect(b.runs).toBe(CROSSCHECK_RUNS);
      expect(b.medianMs).toBeGreaterThan(0);
    }
    expect(c.hyperfineRuns).toBe(CROSSCHECK_BLOCKS * CROSSCHECK_RUNS);
    expect(c.benchRuns).toBe(CROSSCHECK_BLOCKS * CROSSCHECK_RUNS);
    // The scenario's own host median stays a separate figure.
    expect(c.scenarioHostMedianMs).toBe(0.6);
    expect(c.ratio).toBeCloseTo(c.benchExitMedianMs! / c.hyperfineMedianMs!, 10);
    expect(c.readyRatio).toBeCloseTo(c.benchMedianMs! / c.hyperfineMedianMs!, 10);
    expect(c.benchExitMedianMs).toBeGreaterThanOrEqual(c.benchMedianMs!);
    expect(c.tolerance).toBe(0.1);
    expect(typeof c.withinTolerance).toBe('boolean');
  }, 120_000);

  it('is skipped with a reason when the run measured no startup on the host', async () => {
    const { ctx } = await context(false);
    await startupCrossCheckPhase.run(ctx);
    expect(ctx.results.facts?.startupCrossCheck).toEqual({ status: 'skipped', reason: 'no startup scenario measured on the host in this run' });
  });
});
