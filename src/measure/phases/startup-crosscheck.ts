import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { IMAGE_PATHS } from '../../image/types.js';
import type { HostPrepared } from '../../envs/host/index.js';
import { LAUNCH_DEFAULTS, launchTimed } from '../../envs/launch.js';
import { timerServerEnabled } from '../../envs/timer-server.js';
import type { CrossCheckBlock } from '../../results/types.js';
import { mean, median } from '../../stats/index.js';
import type { RunPhase } from './types.js';
import type { StartupCrossCheck } from '../../results/types.js';

/** |timer / hyperfine - 1| must stay within this: the two clocks time the same binary in the same minutes. */
export const STARTUP_CROSSCHECK_TOLERANCE = 0.1;
/**
 * Blocks per tool and runs per block. Many short blocks, not a few long ones:
 * this host's spawn time drifts by 10-30% over seconds (a hypervisor's steal,
 * which core the child lands on), and a 100-run block of one tool can sit
 * wholly in a fast or a slow stretch. Three blocks of 100 read x1.08-1.28
 * apart on a quiet host; twenty of 15 read x1.01-1.05, the same probe timed
 * the same way. Each block discards its first CROSSCHECK_WARMUP runs, as
 * hyperfine's --warmup does.
 */
export const CROSSCHECK_BLOCKS = 20;
export const CROSSCHECK_RUNS = 15;
export const CROSSCHECK_WARMUP = 2;

/** Block b's tool, ABBA ABBA ...: neither tool always runs first after the other. */
export function crossCheckTool(b: number): 'isobench-timer' | 'hyperfine' {
  return b % 4 === 0 || b % 4 === 3 ? 'isobench-timer' : 'hyperfine';
}

function run(argv: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(argv[0]!, argv.slice(1), { timeout: 120_000 }, (err, _o, stderr) => (err ? reject(new Error(`${argv[0]}: ${String(stderr).trim() || err.message}`)) : resolve()));
  });
}

/**
 * Cross-checks the harness clock in like conditions: isobench-timer and
 * `hyperfine -N` time the very binary the host arm of the `startup` scenario
 * ran (the probe of the unpacked image, `ready x`: print a line, exit), in
 * alternating blocks run back to back (timer, hyperfine, hyperfine, timer,
 * timer ...), many short ones, so both see the same host load. Comparing the
 * scenario's few host samples, taken between VM boots, with 200 quiet
 * hyperfine runs tested the conditions, not the clock; the scenario's host
 * median is still stored beside, as its own figure. hyperfine measures spawn
 * -> exit, so the ratio is taken on the timer's spawn -> exit of the same
 * runs; the spawn -> token median (the startup definition) is stored too.
 * Like hyperfine, the timer then writes nothing while the probe runs
 * (--quiet-until-exit): its token and reports woke the harness mid-run, which
 * on two cores competed with the probe's exit (ratio x1.036 over six short
 * runs, x0.995 over four with it).
 * Skipped without hyperfine, the host arm or the startup scenario.
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
    const scenarioHost = hostResult.stats.startupMs?.median;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'isobench-hyperfine-'));
    const json = path.join(dir, 'hyperfine.json');
    const probe = path.join(prepared.rootfs, IMAGE_PATHS.probe);
    const command = ['hyperfine', '-N', '--warmup', String(CROSSCHECK_WARMUP), '--runs', String(CROSSCHECK_RUNS), '--export-json', json, `${probe} ready x`];
    const timerArgv = [probe, 'ready', 'x'];
    const blocks: CrossCheckBlock[] = [];
    const timerReady: number[] = [];
    const timerExit: number[] = [];
    const hf: number[] = [];
    try {
      ctx.progress(`startup cross-check: ${CROSSCHECK_BLOCKS} alternating blocks of isobench-timer and hyperfine -N on the host probe`);
      for (let b = 0; b < CROSSCHECK_BLOCKS * 2; b++) {
        if (crossCheckTool(b) === 'isobench-timer') {
          const xs: number[] = [];
          for (let i = 0; i < CROSSCHECK_RUNS + CROSSCHECK_WARMUP; i++) {
            // Quiet until exit: like hyperfine, the timer wakes nobody while the probe runs (its token and reports come after).
            const p = launchTimed(ctx.env.nativeDir, timerArgv, { token: 'x', timeoutMs: 10_000, quietUntilExit: true });
            const out = await p.done;
            if (i < CROSSCHECK_WARMUP) continue; // the same warm-up as hyperfine's
            xs.push(out.startupMs);
            timerExit.push(out.exitMs);
          }
          timerReady.push(...xs);
          blocks.push({ tool: 'isobench-timer', runs: xs.length, medianMs: median(xs) });
        } else {
          await run(command);
          const r = (JSON.parse(await readFile(json, 'utf8')) as { results: { times?: number[] }[] }).results[0];
          const times = (r?.times ?? []).map((t) => t * 1000);
          if (times.length === 0) throw new Error('hyperfine wrote no run times');
          hf.push(...times);
          blocks.push({ tool: 'hyperfine', runs: times.length, medianMs: median(times) });
        }
      }
      const bench = median(timerReady);
      const benchExit = median(timerExit);
      const hfMedian = median(hf);
      // Like for like: hyperfine times spawn -> exit, so the clock check uses the timer's spawn -> exit of the same runs.
      const ratio = benchExit / hfMedian;
      put({
        status: 'ok',
        command,
        // What one run did, as a command line that reruns it (the shared timer server runs the same code per request).
        timerCommand: ['isobench-timer', '--token', 'x', '--settle-us', String(timerServerEnabled() ? LAUNCH_DEFAULTS.servedSettleUs : LAUNCH_DEFAULTS.settleUs), '--quiet-until-exit', '--', ...timerArgv],
        blocks,
        hyperfineMedianMs: hfMedian,
        hyperfineMeanMs: mean(hf),
        hyperfineRuns: hf.length,
        benchMedianMs: bench,
        benchExitMedianMs: benchExit,
        readyRatio: bench / hfMedian,
        benchRuns: timerReady.length,
        ratio,
        withinTolerance: Math.abs(ratio - 1) <= STARTUP_CROSSCHECK_TOLERANCE,
        tolerance: STARTUP_CROSSCHECK_TOLERANCE,
        ...(scenarioHost !== undefined ? { scenarioHostMedianMs: scenarioHost } : {}),
      });
    } catch (err) {
      const reason = (err as Error).message;
      put(/ENOENT|not found/.test(reason) && !blocks.some((b) => b.tool === 'hyperfine')
        ? { status: 'skipped', reason: 'hyperfine is not installed (apt-get install hyperfine)' }
        : { status: 'failed', reason, command });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
