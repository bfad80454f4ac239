import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../../core/errors.js';
import { resolveHome } from '../../core/home.js';
import { NATIVE_DIR, REPO_ROOT } from '../../core/version.js';
import { collectManifest } from '../../core/manifest.js';
import { ALL_ENV_NAMES, type EnvContext } from '../../envs/index.js';
import { loadScenarios, planMatrix } from '../../scenario/index.js';
import { defaultBuildImage, makeRunId, phases, runAll, RunInterruptedError, startOfRunSweep } from '../../measure/index.js';
import { DEFAULT_MAX_ROUNDS } from '../../measure/sampling.js';
import { DEFAULT_PRECISION } from '../../stats/index.js';
import { renderers } from '../../report/index.js';
import type { Renderer } from '../../report/types.js';
import { createProgress } from '../progress.js';
import { allEnvironments, envList, vmOptions } from '../env-options.js';
import { printRunSummary } from './run-summary.js';

/** Renderers `bench run` writes into the run folder: every registered format (src/report/index.ts). */
export const RUN_RENDERERS: () => Renderer[] = () => [...renderers];

export const DEFAULT_SCENARIOS_DIR = path.join(REPO_ROOT, 'scenarios');
export const DEFAULT_REPORTS_DIR = path.join(REPO_ROOT, 'reports');

interface RunOpts {
  env?: string;
  scenario?: string;
  rounds?: string;
  warmup?: string;
  out?: string;
  scenariosDir?: string;
  vmKernel?: string;
  vmAccel?: string;
  precision?: string;
  maxRounds?: string;
  budget?: string;
}



function count(option: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min) throw new ConfigError('OPTION_INVALID', `${option}: expected a whole number >= ${min}, got "${v}"`);
  return n;
}



/** "0.03", "3%" -> 0.03. */
export function parsePrecision(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(v.trim());
  const x = m ? (m[2] ? Number(m[1]) / 100 : Number(m[1])) : NaN;
  if (!(x > 0 && x < 1)) throw new ConfigError('OPTION_INVALID', `--precision: expected a fraction like 0.03 or a percentage like 3%, got "${v}"`);
  return x;
}

/** "4m", "90s", "1m30s", "240" (seconds) -> ms. */
export function parseDuration(option: string, v: string): number {
  const t = v.trim();
  const m = /^(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s?)?$/.exec(t);
  const ms = m && t !== '' ? (Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 1000 : NaN;
  if (!(ms > 0)) throw new ConfigError('OPTION_INVALID', `${option}: expected a duration like 4m, 90s or 1m30s, got "${v}"`);
  return ms;
}

/** Default time budget of the timed scenarios of a run (sequential sampling). */
export const DEFAULT_BUDGET_MS = 4 * 60_000;

/**
 * --rounds alone keeps the old meaning (exactly N rounds). Otherwise sampling
 * is sequential: the scenario's rounds (or --rounds) are the minimum, then
 * rounds go on to the precision target, --max-rounds or the budget.
 */
export function samplingOptions(opts: Pick<RunOpts, 'rounds' | 'precision' | 'maxRounds' | 'budget'>): { precision: number; maxRounds: number; budgetMs?: number } | undefined {
  const sequential = opts.precision !== undefined || opts.maxRounds !== undefined || opts.budget !== undefined || opts.rounds === undefined;
  if (!sequential) return undefined;
  const maxRounds = count('--max-rounds', opts.maxRounds, 1) ?? DEFAULT_MAX_ROUNDS;
  return {
    precision: opts.precision !== undefined ? parsePrecision(opts.precision) : DEFAULT_PRECISION,
    maxRounds,
    budgetMs: opts.budget !== undefined ? parseDuration('--budget', opts.budget) : DEFAULT_BUDGET_MS,
  };
}

export function register(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('run')
    .description('measure scenarios on environments (interleaved rounds) and write results.json + report.md')
    .argument('[scenarios...]', '"all" or scenario names (files in the scenarios dir)', ['all'])
    .option('--env <list>', `comma-separated environments (${ALL_ENV_NAMES.join(',')}); default: all`)
    .option('--scenario <list>', 'comma-separated scenario names (same as the positional names)')
    .option('--rounds <n>', 'measured rounds per scenario (overrides the scenario files); alone, exactly that many (no sequential sampling)')
    .option('--precision <p>', 'sequential sampling: target relative half-width of every ratio interval (default 0.03 = ±3%; startup never below ±5%)')
    .option('--max-rounds <n>', `sequential sampling: at most this many rounds per scenario (default ${DEFAULT_MAX_ROUNDS})`)
    .option('--budget <time>', 'sequential sampling: time for all timed scenarios of the run, e.g. 4m, 90s (default 4m)')
    .option('--warmup <n>', 'warm-up rounds per scenario (overrides the scenario files)')
    .option('--out <dir>', 'run folder (default: reports/<run-id>)')
    .option('--scenarios-dir <dir>', 'where scenario files live', DEFAULT_SCENARIOS_DIR)
    .option('--vm-kernel <file>', 'guest kernel for the vm environment: a bzImage or vmlinux, or "debian" for the distribution kernel (default: isobench\'s minimal kernel built by scripts/setup, else Debian\'s)')
    .option('--vm-accel <mode>', 'vm accelerator: auto (KVM when a probe boot works, else TCG), kvm, tcg', 'auto')
    .action(async (names: string[], opts: RunOpts, cmd: Command) => {
      const globals = cmd.optsWithGlobals() as { home?: string };
      const home = resolveHome(globals.home);
      const wanted = [...names, ...(opts.scenario ? [opts.scenario] : [])].filter((n) => n !== 'all' || !opts.scenario);
      // Validate everything before anything runs: a bad scenario file fails here with file:line.
      const loaded = await loadScenarios(path.resolve(opts.scenariosDir ?? DEFAULT_SCENARIOS_DIR), wanted.length ? wanted : 'all');
      const envFilter = envList(opts.env);
      const rounds = count('--rounds', opts.rounds, 1);
      const warmup = count('--warmup', opts.warmup, 0);
      const plan = planMatrix(loaded, envFilter ?? [...ALL_ENV_NAMES], { ...(rounds !== undefined ? { rounds } : {}), ...(warmup !== undefined ? { warmup } : {}) });
      const scenarios = plan.scenarios.map((p) => ({ ...p.scenario, rounds: p.rounds, warmup: p.warmup }));
      const sampling = samplingOptions(opts);

      const runId = makeRunId();
      const outDir = path.resolve(opts.out ?? path.join(DEFAULT_REPORTS_DIR, runId));
      const progress = createProgress();
      const ctx: EnvContext = { home, nativeDir: NATIVE_DIR, runId, log: (l) => progress.stage(l), backendOptions: { vm: vmOptions(opts) } };
      const environments = allEnvironments(ctx);

      // Ctrl-C must not leave chroot mounts or processes behind: the first one
      // stops the run between two steps and lets runAll clean up as usual; a
      // second one cleans up right away and exits.
      const stop = new AbortController();
      const onSignal = (sig: NodeJS.Signals): void => {
        if (!stop.signal.aborted) {
          stop.abort();
          progress.warn(`${sig}: stopping after the current step, then cleaning up (again to force)`);
          return;
        }
        progress.warn(`${sig}: cleaning up environments now`);
        void Promise.allSettled(environments.map((e) => e.cleanup())).then(() => process.exit(130));
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        progress.stage(`run ${runId}: ${scenarios.length} scenario(s) → ${outDir}`);
        await startOfRunSweep(home, (l) => progress.warn(l));
        const outcome = await runAll({
          ctx,
          scenarios,
          environments,
          ...(envFilter ? { envFilter } : {}),
          outDir,
          ...(opts.out ? {} : { latestLinkDir: DEFAULT_REPORTS_DIR }),
          command: ['bench', ...process.argv.slice(2)],
          buildImage: defaultBuildImage,
          collectManifest,
          phases,
          renderers: RUN_RENDERERS(),
          progress,
          signal: stop.signal,
          ...(sampling ? { sampling } : {}),
        });
        progress.close();
        printRunSummary(outcome, process.stdout);
        setExitCode(0); // failed environments are data, not a crash
      } catch (err) {
        if (!(err instanceof RunInterruptedError)) throw err;
        progress.close();
        process.stderr.write(`${err.message} (${path.join(outDir, 'results.json')})\n`);
        setExitCode(130);
      } finally {
        progress.close();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
