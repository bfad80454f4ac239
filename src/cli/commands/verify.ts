import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { ConfigError } from '../../core/errors.js';
import { resolveHome } from '../../core/home.js';
import { NATIVE_DIR, REPO_ROOT } from '../../core/version.js';
import { collectManifest } from '../../measure/manifest.js';
import type { EnvContext } from '../../envs/index.js';
import { defaultBuildImage, makeRunId, runAll, startOfRunSweep } from '../../measure/index.js';
import { isolationPhase } from '../../measure/phases/isolation.js';
import { claimsPhase } from '../../measure/phases/claims.js';
import { renderVerdictsMarkdown, verdictCounts } from '../../claims/index.js';
import { gate, GATING_ENVS } from '../../probe/index.js';
import { junitRenderer } from '../../report/junit.js';
import type { Renderer } from '../../report/types.js';
import type { ClaimRow } from '../../results/claims.js';
import type { IsolationResults } from '../../results/isolation.js';
import { createProgress } from '../progress.js';
import { allEnvironments, envList, envOptionHelp, vmOptions } from '../env-options.js';
import { installStop, preflight, SIGNAL_EXIT } from '../run-guard.js';

export const VERDICTS_FILE = 'verdicts.md';

/** Test-only weakening of our engine (e.g. container.noNetNamespace=1); ignored unless ISOBENCH_TEST=1. */
export const TEST_ENV_FLAG = 'ISOBENCH_TEST';




/** ["container.weaken=net", "x"] -> { 'container.weaken': 'net', x: '1' }. */
export function parseTestOptions(v: string[] | undefined, env: NodeJS.ProcessEnv = process.env): Record<string, string> | undefined {
  if (!v || v.length === 0) return undefined;
  if (env[TEST_ENV_FLAG] !== '1') {
    throw new ConfigError('TEST_OPTION_REFUSED', '--test-weaken is a test-only option that weakens isolation on purpose', { hint: `set ${TEST_ENV_FLAG}=1 if this is a test` });
  }
  const out: Record<string, string> = {};
  for (const item of v.map((s) => s.trim()).filter(Boolean)) {
    const eq = item.indexOf('=');
    out[eq < 0 ? item : item.slice(0, eq)] = eq < 0 ? '1' : item.slice(eq + 1);
  }
  return out;
}

function verdictsRenderer(): Renderer {
  return {
    name: 'verdicts',
    async render(results, outDir) {
      const file = path.join(outDir, VERDICTS_FILE);
      await writeFile(file, renderVerdictsMarkdown(results));
      return [file];
    },
  };
}

interface VerifyOpts { env?: string; out?: string; testWeaken?: string[]; vmKernel?: string; vmAccel?: string; allowConcurrent?: boolean }

export function register(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('verify')
    .description(`run the isolation checks in every available environment, judge the seed's claims, write ${VERDICTS_FILE} + junit.xml; exit 1 if our container engine or the VM contradicts its expectation`)
    .option('--env <list>', envOptionHelp())
    .option('--out <dir>', 'output folder (default: reports/verify-<run-id>)')
    .option('--vm-kernel <file>', 'guest kernel for the vm environment: a bzImage or vmlinux, or "debian" for the distribution kernel')
    .option('--vm-accel <mode>', 'vm accelerator: auto, kvm, tcg', 'auto')
    .option('--allow-concurrent', 'run even while another run holds this home (recorded in the manifest)')
    .addOption(new Option('--test-weaken <key=value>', 'test only (needs ISOBENCH_TEST=1), repeatable: an EnvContext.testOptions entry, e.g. container.weaken=net').argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]).hideHelp())
    .action(async (opts: VerifyOpts, cmd: Command) => {
      const globals = cmd.optsWithGlobals() as { home?: string };
      const home = resolveHome(globals.home);
      const envFilter = envList(opts.env);
      const testOptions = parseTestOptions(opts.testWeaken);
      const runId = makeRunId();
      const outDir = path.resolve(opts.out ?? path.join(REPO_ROOT, 'reports', `verify-${runId}`));
      const progress = createProgress();
      const ctx: EnvContext = { home, nativeDir: NATIVE_DIR, runId, log: (l) => progress.stage(l), backendOptions: { vm: vmOptions(opts) }, ...(testOptions ? { testOptions } : {}) };
      if (testOptions) progress.warn(`test-only weakening in effect: ${JSON.stringify(testOptions)}`);
      const environments = allEnvironments(ctx);

      const command = ['bench', ...process.argv.slice(2)];
      const lock = await preflight(home, outDir, command.join(' '), Boolean(opts.allowConcurrent));
      const stop = installStop(progress, () => environments);
      try {
        await startOfRunSweep(home, (l) => progress.warn(l));
        const outcome = await runAll({
          ctx,
          scenarios: [],
          environments,
          ...(envFilter ? { envFilter } : {}),
          outDir,
          command,
          buildImage: defaultBuildImage,
          collectManifest,
          phases: [isolationPhase, claimsPhase],
          renderers: [verdictsRenderer(), junitRenderer()],
          progress,
          signal: stop.signal,
          ...(opts.allowConcurrent ? { allowConcurrent: true } : {}),
        });
        progress.close();
        setExitCode(printVerdict(outcome.results.isolation, outcome.results.claims, outcome.results.warnings, outDir));
        if (outcome.interrupted) {
          const sig = outcome.interrupted === 'stop' ? 'SIGINT' : outcome.interrupted;
          process.stderr.write(`verify: interrupted by ${sig}: partial results in ${outcome.resultsFile}\n`);
          setExitCode(SIGNAL_EXIT[sig]);
        }
        if (outcome.saveError) throw outcome.saveError;
      } finally {
        progress.close();
        stop.dispose();
        await lock.release();
      }
    });
}

/** Prints the summary to stdout (failures to stderr) and returns the exit code. */
function printVerdict(iso: IsolationResults | undefined, claims: ClaimRow[] | undefined, warnings: string[], outDir: string): number {
  const out = process.stdout;
  if (!iso) {
    process.stderr.write(`verify: FAIL: no isolation results (${warnings.find((w) => w.startsWith('phase isolation')) ?? 'the isolation phase did not run'})\n`);
    return 1;
  }
  for (const e of iso.envs) {
    const cs = iso.checks.filter((c) => c.env === e.env);
    const line = e.status === 'ok'
      ? `${cs.filter((c) => c.outcome === 'as-claimed').length} as claimed, ${cs.filter((c) => c.outcome === 'contradicts').length} contradict, ${cs.filter((c) => c.outcome === 'not-applicable').length} n/a`
      : `${e.status}: ${e.reason ?? ''}`;
    out.write(`${e.env.padEnd(10)} ${line}\n`);
  }
  if (claims) {
    const c = verdictCounts(claims);
    out.write(`claims: ${claims.length} sentences — ${c.confirmed} confirmed, ${c.nuanced} nuanced, ${c.undecided} undecided, ${c.refuted} refuted, ${c['not-judged']} not judged\n`);
  }
  out.write(`wrote ${path.join(outDir, VERDICTS_FILE)}, ${path.join(outDir, 'junit.xml')}\n`);
  const g = gate(iso);
  if (g.ok) {
    out.write(`verify: PASS (no contradiction for ${GATING_ENVS.join(' or ')})\n`);
    return 0;
  }
  for (const f of g.failures) process.stderr.write(`verify: FAIL: ${f}\n`);
  return 1;
}
