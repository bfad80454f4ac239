import path from 'node:path';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { ConfigError } from '../../core/errors.js';
import { REPO_ROOT } from '../../core/version.js';
import { DEFAULT_MAX_ROUNDS } from '../../measure/sampling-defaults.js';
import type { Renderer } from '../../report/types.js';
import type { RunPhase } from '../../measure/phases/index.js';
import { envOptionHelp, REPROBE_HELP } from '../env-help.js';
import { EXIT, EXIT_CODES_HELP } from '../errors.js';
import { requireRoot } from '../root.js';

/** Renderers `bench run` writes into the run folder: every registered format (src/report/index.ts). */
export async function runRenderers(): Promise<Renderer[]> {
  const { renderers } = await import('../../report/index.js');
  return [...renderers];
}

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
  image?: string;
  command?: string[];
  allowConcurrent?: boolean;
  label?: string;
  phases?: string;
  precision?: string;
  maxRounds?: string;
  budget?: string;
  json?: boolean;
  reprobe?: boolean;
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
export const DEFAULT_BUDGET_MS = 225_000;

/**
 * --rounds alone keeps the old meaning (exactly N rounds). Otherwise sampling
 * is sequential: the scenario's rounds (or --rounds) are the minimum, then
 * rounds go on to the precision target, --max-rounds or the budget.
 */
export function samplingOptions(
  opts: Pick<RunOpts, 'rounds' | 'precision' | 'maxRounds' | 'budget'>,
  defaults: { precision: number; maxRounds: number },
): { precision: number; maxRounds: number; budgetMs?: number } | undefined {
  const sequential = opts.precision !== undefined || opts.maxRounds !== undefined || opts.budget !== undefined || opts.rounds === undefined;
  if (!sequential) return undefined;
  let maxRounds = defaults.maxRounds;
  if (opts.maxRounds !== undefined) {
    maxRounds = /^\d+$/.test(opts.maxRounds) ? Number(opts.maxRounds) : NaN;
    if (!(maxRounds >= 1 && maxRounds <= 100_000)) throw new ConfigError('OPTION_INVALID', `--max-rounds: expected a whole number from 1 to 100000, got "${opts.maxRounds}"`);
  }
  return {
    precision: opts.precision !== undefined ? parsePrecision(opts.precision) : defaults.precision,
    maxRounds,
    budgetMs: opts.budget !== undefined ? parseDuration('--budget', opts.budget) : DEFAULT_BUDGET_MS,
  };
}

/** --phases: "all" (default), "none", or names of phases (run in their usual order). */
export function selectPhases(v: string | undefined, phases: RunPhase[]): RunPhase[] {
  if (v === undefined || v === 'all') return phases;
  if (v === 'none') return [];
  const wanted = v.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = wanted.filter((w) => !phases.some((p) => p.name === w));
  if (unknown.length > 0) throw new ConfigError('OPTION_INVALID', `--phases: unknown phase ${unknown.join(', ')}`, { hint: `choose from: ${phases.map((p) => p.name).join(', ')}, or all / none` });
  return phases.filter((p) => wanted.includes(p.name));
}






export function register(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('run')
    .description('measure scenarios on environments (interleaved rounds) and write results.json + report.md')
    .argument('[scenarios...]', '"all", scenario names (files in the scenarios dir) or paths of scenario files (./mine.yaml)', ['all'])
    .option('--env <list>', envOptionHelp())
    .option('--scenario <list>', 'comma-separated scenario names (same as the positional names)')
    .option('--rounds <n>', 'measured rounds per scenario (overrides the scenario files); alone, exactly that many (no sequential sampling)')
    .option('--precision <p>', 'sequential sampling: target relative half-width of every ratio interval (default 0.03 = ±3%; startup never below ±5%)')
    .option('--max-rounds <n>', `sequential sampling: at most this many rounds per scenario (default ${DEFAULT_MAX_ROUNDS})`)
    .option('--budget <time>', 'sequential sampling: time for all timed scenarios of the run, e.g. 4m, 90s (default 3m45s: with the fixed steps, `run all` stays within 5 minutes on 2 cores)')
    .option('--warmup <n>', 'warm-up rounds per scenario (overrides the scenario files)')
    .option('--out <dir>', 'run folder (default: reports/<run-id>)')
    .option('--scenarios-dir <dir>', 'where scenario files live', DEFAULT_SCENARIOS_DIR)
    .option('--vm-kernel <file>', 'guest kernel for the vm environment: a bzImage or vmlinux, or "debian" for the distribution kernel (default: isobench\'s minimal kernel built by scripts/setup, else Debian\'s)')
    .option('--image <ref>', 'run the scenarios in this image: a store name, an OCI or docker save archive, or host[:port]/name[:tag] (pulled)')
    .option('--command <cmd>', 'ad hoc: time this command (repeatable), no scenario file; with --image, in that image', (v: string, acc: string[] = []) => [...acc, v])
    .option('--vm-accel <mode>', 'vm accelerator: auto (KVM when a probe boot works, else TCG), kvm, tcg', 'auto')
    .option('--phases <list>', 'phases after the scenarios: "all" (default), "none", or a comma-separated list (e.g. isolation,claims)')
    .option('--label <name>', 'name this host in `bench merge` (written into the manifest; default: the hostname)')
    .option('--allow-concurrent', 'run even while another run holds this home (recorded in the manifest: the figures of both may skew)')
    .option('--reprobe', REPROBE_HELP)
    .option('--json', 'print the final summary as JSON on stdout (results file, reports, medians, failures)')
    .addHelpText('after', `\n${EXIT_CODES_HELP}`)
    .action(async (names: string[], opts: RunOpts, cmd: Command) => {
      const globals = cmd.optsWithGlobals() as { home?: string; quiet?: boolean };
      requireRoot('bench run', 'namespaces, mounts, cgroups and the image store under the home');
      const [{ resolveHome }, { NATIVE_DIR }, { collectManifest }, measure, { adhocScenarios, checkCount, loadScenarios, planMatrix }, { createProgress }, { allEnvironments, envList, vmOptions, reprobeRequested }, { printRunSummary, runSummaryJson }, { environmentNames }, { installStop, preflight, SIGNAL_EXIT }] = await Promise.all([
        import('../../core/home.js'), import('../../core/version.js'), import('../../measure/manifest.js'), import('../../measure/index.js'),
        import('../../scenario/index.js'), import('../progress.js'), import('../env-options.js'), import('./run-summary.js'),
        import('../../envs/index.js'), import('../run-guard.js'),
      ]);
      const home = resolveHome(globals.home);
      const wanted = [...names, ...(opts.scenario ? [opts.scenario] : [])].filter((n) => n !== 'all' || !opts.scenario);
      // Validate everything before anything runs: a bad scenario file fails here with file:line.
      // A file given as --image is made absolute: the run may change directories, the report must name it exactly.
      const image = opts.image !== undefined && existsSync(opts.image) ? path.resolve(opts.image) : opts.image;
      const loaded = opts.command?.length
        ? adhocScenarios(opts.command, image)
        : (await loadScenarios(path.resolve(opts.scenariosDir ?? DEFAULT_SCENARIOS_DIR), wanted.length ? wanted : 'all')).map((s) => (image ? { ...s, image } : s));
      const envFilter = envList(opts.env);
      if (opts.label !== undefined && !/^[\w.@:-]{1,64}$/.test(opts.label)) throw new ConfigError('RUN_LABEL', `--label must be 1-64 letters, digits or . _ - @ :, got "${opts.label}"`);
      const runPhases = selectPhases(opts.phases, measure.phases);
      const rounds = checkCount('--rounds', opts.rounds);
      const warmup = checkCount('--warmup', opts.warmup);
      const plan = planMatrix(loaded, envFilter ?? environmentNames(), { ...(rounds !== undefined ? { rounds } : {}), ...(warmup !== undefined ? { warmup } : {}) });
      const scenarios = plan.scenarios.map((p) => ({ ...p.scenario, rounds: p.rounds, warmup: p.warmup }));
      // Loaded here, not at the top: this module is imported by every command at start-up.
      const { DEFAULT_PRECISION } = await import('../../stats/sequential.js');
      const sampling = samplingOptions(opts, { precision: DEFAULT_PRECISION, maxRounds: DEFAULT_MAX_ROUNDS });

      const runId = measure.makeRunId();
      const outDir = path.resolve(opts.out ?? path.join(DEFAULT_REPORTS_DIR, runId));
      const progress = createProgress(process.stderr, process.env, { quiet: globals.quiet ?? false });
      const ctx = { home, nativeDir: NATIVE_DIR, runId, log: (l: string) => progress.stage(l), backendOptions: { vm: vmOptions(opts) }, reprobe: reprobeRequested(opts.reprobe) };
      const environments = allEnvironments(ctx);

      const command = ['bench', ...process.argv.slice(2)];
      const lock = await preflight(home, outDir, command.join(' '), Boolean(opts.allowConcurrent));
      // Ctrl-C / SIGTERM must not leave chroot mounts or processes behind, nor lose what was measured.
      const stop = installStop(progress, () => environments);
      try {
        progress.stage(`run ${runId}: ${scenarios.length} scenario(s) → ${outDir}`);
        await measure.startOfRunSweep(home, (l) => progress.warn(l));
        const outcome = await measure.runAll({
          ctx,
          scenarios,
          environments,
          ...(envFilter ? { envFilter } : {}),
          outDir,
          ...(opts.out ? {} : { latestLinkDir: DEFAULT_REPORTS_DIR }),
          command,
          buildImage: measure.defaultBuildImage,
          collectManifest,
          // Ad hoc commands are timed like hyperfine would: no isolation, portability or claim phases unless --phases asks.
          phases: opts.command?.length && opts.phases === undefined ? [] : runPhases,
          renderers: await runRenderers(),
          progress,
          signal: stop.signal,
          ...(opts.allowConcurrent ? { allowConcurrent: true } : {}),
          ...(opts.label !== undefined ? { label: opts.label } : {}),
          ...(sampling ? { sampling } : {}),
        });
        progress.close();
        if (opts.json) process.stdout.write(`${JSON.stringify(runSummaryJson(outcome), null, 2)}\n`);
        else if (globals.quiet) process.stdout.write(`${outcome.resultsFile}\n`);
        else printRunSummary(outcome, process.stdout);
        setExitCode(EXIT.ok); // failed environments are data, not a crash
        if (outcome.baselineFailures.length > 0) {
          for (const b of outcome.baselineFailures) process.stderr.write(`host baseline failed: ${b}\n`);
          process.stderr.write('the host is the baseline of every ratio: this run is not a valid measurement (exit 1)\n');
          setExitCode(1);
        }
        if (outcome.interrupted) {
          const sig = outcome.interrupted === 'stop' ? 'SIGINT' : outcome.interrupted;
          process.stderr.write(`interrupted by ${sig === 'SIGINT' ? 'SIGINT (Ctrl-C)' : sig}: what was measured is in results.json (${outcome.resultsFile}); reports rendered from it\n`);
          setExitCode(SIGNAL_EXIT[sig]);
        }
        // Measured but not saved (disk full, read-only): a user error, after the reports we could render.
        if (outcome.saveError) throw outcome.saveError;
      } finally {
        progress.close();
        stop.dispose();
        await lock.release();
      }
    });
}
