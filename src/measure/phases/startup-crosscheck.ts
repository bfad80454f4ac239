import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { IMAGE_PATHS } from '../../image/types.js';
import type { HostPrepared } from '../../envs/host/index.js';
import type { RunPhase } from './types.js';
import type { StartupCrossCheck } from '../../results/types.js';

/** |bench / hyperfine - 1| the startup figure must stay within (the harness clock's acceptance target). */
export const STARTUP_CROSSCHECK_TOLERANCE = 0.25;

function run(argv: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(argv[0]!, argv.slice(1), { timeout: 120_000 }, (err, _o, stderr) => (err ? reject(new Error(`${argv[0]}: ${String(stderr).trim() || err.message}`)) : resolve()));
  });
}

/**
 * Cross-checks the harness clock: `hyperfine -N` times the very binary the
 * host arm's `startup` scenario ran (the probe of the unpacked image, `ready
 * x`: print a line, exit), and the two medians are stored side by side in
 * results.facts.startupCrossCheck. hyperfine measures spawn -> exit, we
 * measure spawn -> token, so ours may be slightly lower; a large gap means
 * the harness clock is off (or the host was busy: both figures are noisy
 * then). Skipped without hyperfine, the host arm or the startup scenario.
 */
export const startupCrossCheckPhase: RunPhase = {
  name: 'startup-crosscheck',
  async run(ctx) {
    const facts = (ctx.results.facts ??= {});
    const put = (c: StartupCrossCheck): void => { facts.startupCrossCheck = c; };
    const scenario = ctx.results.scenarios.find((s) => s.workload.type === 'startup');
    const hostResult = scenario?.envs.find((e) => e.env === 'host');
    const prepared = ctx.prepared.get('host') as HostPrepared | undefined;
    if (!scenario || hostResult?.status !== 'ok' || !prepared?.rootfs) return put({ status: 'skipped', reason: 'no startup scenario measured on the host in this run' });
    const bench = hostResult.stats.startupMs?.median;
    if (bench === undefined) return put({ status: 'skipped', reason: 'no startupMs statistics on the host' });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'isobench-hyperfine-'));
    const json = path.join(dir, 'hyperfine.json');
    const probe = path.join(prepared.rootfs, IMAGE_PATHS.probe);
    const command = ['hyperfine', '-N', '--warmup', '20', '--runs', '200', '--export-json', json, `${probe} ready x`];
    try {
      ctx.progress('startup cross-check: hyperfine -N on the host probe');
      await run(command);
      const r = (JSON.parse(await readFile(json, 'utf8')) as { results: { median: number; mean: number; times?: number[] }[] }).results[0];
      if (!r) throw new Error('hyperfine wrote no result');
      const hf = r.median * 1000;
      const ratio = bench / hf;
      put({
        status: 'ok',
        command,
        hyperfineMedianMs: hf,
        hyperfineMeanMs: r.mean * 1000,
        hyperfineRuns: r.times?.length ?? 200,
        benchMedianMs: bench,
        ratio,
        withinTolerance: Math.abs(ratio - 1) <= STARTUP_CROSSCHECK_TOLERANCE,
        tolerance: STARTUP_CROSSCHECK_TOLERANCE,
      });
    } catch (err) {
      const reason = (err as Error).message;
      put(/ENOENT|not found/.test(reason) ? { status: 'skipped', reason: 'hyperfine is not installed (apt-get install hyperfine)' } : { status: 'failed', reason, command });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
