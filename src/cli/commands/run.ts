import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../../core/errors.js';
import { resolveHome } from '../../core/home.js';
import { NATIVE_DIR, REPO_ROOT } from '../../core/version.js';
import { collectManifest } from '../../core/manifest.js';
import { environmentNames, type EnvContext } from '../../envs/index.js';
import { adhocScenarios, loadScenarios, planMatrix } from '../../scenario/index.js';
import { existsSync } from 'node:fs';
import { defaultBuildImage, makeRunId, phases, runAll, RunInterruptedError, startOfRunSweep } from '../../measure/index.js';
import { renderers } from '../../report/index.js';
import type { Renderer } from '../../report/types.js';
import { createProgress } from '../progress.js';
import { allEnvironments, envList, envOptionHelp, vmOptions } from '../env-options.js';
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
  image?: string;
  command?: string[];
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
    .option('--image <ref>', 'run the scenarios in this image: a store name, an OCI or docker save archive, or host[:port]/name[:tag] (pulled)')
    .option('--command <cmd>', 'ad hoc: time this command (repeatable), no scenario file; with --image, in that image', (v: string, acc: string[] = []) => [...acc, v])
    .option('--vm-accel <mode>', 'vm accelerator: auto (KVM when a probe boot works, else TCG), kvm, tcg', 'auto')
    .action(async (names: string[], opts: RunOpts, cmd: Command) => {
      const globals = cmd.optsWithGlobals() as { home?: string };
      const home = resolveHome(globals.home);
      const wanted = [...names, ...(opts.scenario ? [opts.scenario] : [])].filter((n) => n !== 'all' || !opts.scenario);
      // Validate everything before anything runs: a bad scenario file fails here with file:line.
      // A file given as --image is made absolute: the run may change directories, the report must name it exactly.
      const image = opts.image !== undefined && existsSync(opts.image) ? path.resolve(opts.image) : opts.image;
      const loaded = opts.command?.length
        ? adhocScenarios(opts.command, image)
        : (await loadScenarios(path.resolve(opts.scenariosDir ?? DEFAULT_SCENARIOS_DIR), wanted.length ? wanted : 'all')).map((s) => (image ? { ...s, image } : s));
      const envFilter = envList(opts.env);
      const rounds = count('--rounds', opts.rounds, 1);
      const warmup = count('--warmup', opts.warmup, 0);
      const plan = planMatrix(loaded, envFilter ?? environmentNames(), { ...(rounds !== undefined ? { rounds } : {}), ...(warmup !== undefined ? { warmup } : {}) });
      const scenarios = plan.scenarios.map((p) => ({ ...p.scenario, rounds: p.rounds, warmup: p.warmup }));

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
          // Ad hoc commands are timed like hyperfine would: no isolation, portability or claim phases.
          phases: opts.command?.length ? [] : phases,
          renderers: RUN_RENDERERS(),
          progress,
          signal: stop.signal,
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
