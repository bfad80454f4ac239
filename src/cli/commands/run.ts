import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../../core/errors.js';
import { REPO_ROOT } from '../../core/version.js';
import { envOptionHelp } from '../env-help.js';
import type { Renderer } from '../../report/types.js';
import { EXIT, EXIT_CODES_HELP } from '../errors.js';
import { checkOutDir } from '../out-dir.js';
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
  json?: boolean;
}



function count(option: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min) throw new ConfigError('OPTION_INVALID', `${option}: expected a whole number >= ${min}, got "${v}"`);
  return n;
}



export function register(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('run')
    .description('measure scenarios on environments (interleaved rounds) and write results.json + report.md')
    .argument('[scenarios...]', '"all" or scenario names (files in the scenarios dir)', ['all'])
    .option('--env <list>', envOptionHelp())
    .option('--scenario <list>', 'comma-separated scenario names (same as the positional names)')
    .option('--rounds <n>', 'measured rounds per scenario (overrides the scenario files)')
    .option('--warmup <n>', 'warm-up rounds per scenario (overrides the scenario files)')
    .option('--out <dir>', 'run folder (default: reports/<run-id>)')
    .option('--scenarios-dir <dir>', 'where scenario files live', DEFAULT_SCENARIOS_DIR)
    .option('--vm-kernel <file>', 'guest kernel for the vm environment: a bzImage or vmlinux, or "debian" for the distribution kernel (default: isobench\'s minimal kernel built by scripts/setup, else Debian\'s)')
    .option('--vm-accel <mode>', 'vm accelerator: auto (KVM when a probe boot works, else TCG), kvm, tcg', 'auto')
    .option('--json', 'print the final summary as JSON on stdout (results file, reports, medians, failures)')
    .addHelpText('after', `\n${EXIT_CODES_HELP}`)
    .action(async (names: string[], opts: RunOpts, cmd: Command) => {
      const globals = cmd.optsWithGlobals() as { home?: string; quiet?: boolean };
      requireRoot('bench run', 'namespaces, mounts, cgroups and the image store under the home');
      const [{ resolveHome }, { NATIVE_DIR }, { collectManifest }, measure, { loadScenarios, planMatrix }, { createProgress }, { allEnvironments, envList, vmOptions }, { printRunSummary, runSummaryJson }, { environmentNames }] = await Promise.all([
        import('../../core/home.js'), import('../../core/version.js'), import('../../core/manifest.js'), import('../../measure/index.js'),
        import('../../scenario/index.js'), import('../progress.js'), import('../env-options.js'), import('./run-summary.js'),
        import('../../envs/index.js'),
      ]);
      const home = resolveHome(globals.home);
      const wanted = [...names, ...(opts.scenario ? [opts.scenario] : [])].filter((n) => n !== 'all' || !opts.scenario);
      // Validate everything before anything runs: a bad scenario file fails here with file:line.
      const loaded = await loadScenarios(path.resolve(opts.scenariosDir ?? DEFAULT_SCENARIOS_DIR), wanted.length ? wanted : 'all');
      const envFilter = envList(opts.env);
      const rounds = count('--rounds', opts.rounds, 1);
      const warmup = count('--warmup', opts.warmup, 0);
      const plan = planMatrix(loaded, envFilter ?? environmentNames(), { ...(rounds !== undefined ? { rounds } : {}), ...(warmup !== undefined ? { warmup } : {}) });
      const scenarios = plan.scenarios.map((p) => ({ ...p.scenario, rounds: p.rounds, warmup: p.warmup }));

      const runId = measure.makeRunId();
      const outDir = await checkOutDir(opts.out ?? path.join(DEFAULT_REPORTS_DIR, runId));
      const progress = createProgress(process.stderr, process.env, { quiet: globals.quiet ?? false });
      const ctx = { home, nativeDir: NATIVE_DIR, runId, log: (l: string) => progress.stage(l), backendOptions: { vm: vmOptions(opts) } };
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
        void Promise.allSettled(environments.map((e) => e.cleanup())).then(() => process.exit(EXIT.interrupted));
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
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
          command: ['bench', ...process.argv.slice(2)],
          buildImage: measure.defaultBuildImage,
          collectManifest,
          phases: measure.phases,
          renderers: await runRenderers(),
          progress,
          signal: stop.signal,
        });
        progress.close();
        if (opts.json) process.stdout.write(`${JSON.stringify(runSummaryJson(outcome), null, 2)}\n`);
        else if (globals.quiet) process.stdout.write(`${outcome.resultsFile}\n`);
        else printRunSummary(outcome, process.stdout);
        setExitCode(EXIT.ok); // failed environments are data, not a crash
      } catch (err) {
        if (!(err instanceof measure.RunInterruptedError)) throw err;
        progress.close();
        process.stderr.write(`${err.message} (${path.join(outDir, 'results.json')})\n`);
        setExitCode(EXIT.interrupted);
      } finally {
        progress.close();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
