import path from 'node:path';
import { Option, type Command } from 'commander';
import { ConfigError } from '../../core/errors.js';
import { REPO_ROOT } from '../../core/version.js';
import type { ClaimRow } from '../../results/claims.js';
import type { IsolationResults } from '../../results/isolation.js';
import type { GateOptions } from '../../results/types.js';
import type { Renderer } from '../../report/types.js';
import { EXIT, EXIT_CODES_HELP } from '../errors.js';
import { isRoot } from '../root.js';
import { onPath } from '../on-path.js';
import { envOptionHelp, REPROBE_HELP } from '../env-help.js';

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
      const [{ writeFile }, { renderVerdictsMarkdown }] = await Promise.all([import('node:fs/promises'), import('../../claims/index.js')]);
      const file = path.join(outDir, VERDICTS_FILE);
      await writeFile(file, renderVerdictsMarkdown(results));
      return [file];
    },
  };
}

interface VerifyOpts { env?: string; out?: string; testWeaken?: string[]; vmKernel?: string; vmAccel?: string; require?: string; allowSkip?: boolean; allowConcurrent?: boolean; reprobe?: boolean }

/** Our engine always; the VM where QEMU is installed (a host without QEMU cannot be asked to test it). */
export function defaultRequired(env: NodeJS.ProcessEnv = process.env): string[] {
  return ['container', ...(onPath('qemu-system-x86_64', env) ? ['vm'] : [])];
}

/**
 * --require a,b (or "none"), checked against --env: a required environment
 * that is not selected could never be tested. Without --require, the default
 * set narrowed to the selection.
 */
export function requiredEnvs(opts: { require?: string; env?: string }, selected: string[] | undefined, known: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  if (opts.require === undefined) {
    const d = defaultRequired(env);
    return selected ? d.filter((n) => selected.includes(n)) : d;
  }
  if (opts.require.trim() === 'none') return [];
  const names = [...new Set(opts.require.split(',').map((s) => s.trim()).filter(Boolean))];
  const unknown = names.filter((n) => !known.includes(n));
  if (names.length === 0 || unknown.length) {
    throw new ConfigError('REQUIRE_UNKNOWN', `--require: unknown environment ${unknown.map((u) => `"${u}"`).join(', ') || '(empty list)'}`, { hint: `valid: ${known.join(', ')}, or none` });
  }
  const missing = selected ? names.filter((n) => !selected.includes(n)) : [];
  if (missing.length) throw new ConfigError('REQUIRE_NOT_SELECTED', `--require ${missing.join(',')} but --env ${opts.env} does not run it`, { hint: 'add it to --env, or drop it from --require' });
  return names;
}

export function register(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('verify')
    .description(`run the isolation checks, judge the seed's claims, write ${VERDICTS_FILE} + junit.xml; exit 1 if a required environment contradicts its expectation, 2 if one could not be tested`)
    .option('--require <list>', 'environments that must be tested and hold (default: container, plus vm where QEMU is installed); "none" gates nothing')
    .option('--allow-skip', 'a required environment this host cannot run (skipped) does not fail the gate')
    .option('--env <list>', envOptionHelp())
    .option('--out <dir>', 'output folder (default: reports/verify-<run-id>)')
    .option('--vm-kernel <file>', 'guest kernel for the vm environment: a bzImage or vmlinux, or "debian" for the distribution kernel')
    .option('--vm-accel <mode>', 'vm accelerator: auto, kvm, tcg', 'auto')
    .option('--allow-concurrent', 'run even while another run holds this home (recorded in the manifest)')
    .option('--reprobe', REPROBE_HELP)
    .addOption(new Option('--test-weaken <key=value>', 'test only (needs ISOBENCH_TEST=1), repeatable: an EnvContext.testOptions entry, e.g. container.weaken=net').argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]).hideHelp())
    .addHelpText('after', `\n${EXIT_CODES_HELP}`)
    .action(async (opts: VerifyOpts, cmd: Command) => {
      const globals = cmd.optsWithGlobals() as { home?: string; quiet?: boolean };
      const [{ envList, vmOptions, allEnvironments, reprobeRequested }, { environmentNames }, { resolveHome }, { NATIVE_DIR }] = await Promise.all([
        import('../env-options.js'), import('../../envs/index.js'), import('../../core/home.js'), import('../../core/version.js'),
      ]);
      const envFilter = envList(opts.env);
      const required = requiredEnvs(opts, envFilter, environmentNames());
      const gateOpts: GateOptions = { require: required, allowSkip: opts.allowSkip ?? false };
      const testOptions = parseTestOptions(opts.testWeaken);
      const home = resolveHome(globals.home);
      // Root first: ask the required environments whether this user can run them, and say so before any work
      // (the VM is left to the run: its check may boot a probe, and it does not need root).
      if (!isRoot() && !gateOpts.allowSkip) {
        const probeCtx = { home, nativeDir: NATIVE_DIR, runId: 'verify-preflight', log: () => {} };
        const cannot: string[] = [];
        for (const e of allEnvironments(probeCtx).filter((x) => required.includes(x.name) && x.kind !== 'vm')) {
          const a = await e.available().catch((err: unknown) => ({ ok: false, reason: String(err) }));
          if (!a.ok) cannot.push(`${e.name} (${a.reason ?? 'not available'})`);
        }
        if (cannot.length) {
          process.stderr.write(`verify: FAIL: cannot test the required environment(s) ${cannot.join(', ')}; this is uid ${process.getuid?.()} (hint: run as root, or pass --allow-skip to accept the skip)\n`);
          setExitCode(EXIT.cannotTest);
          return;
        }
      }
      const [{ collectManifest }, measure, { isolationPhase }, { claimsPhase }, { junitRenderer }, { createProgress }, { installStop, preflight, SIGNAL_EXIT }] = await Promise.all([
        import('../../measure/manifest.js'), import('../../measure/index.js'),
        import('../../measure/phases/isolation.js'), import('../../measure/phases/claims.js'), import('../../report/junit.js'), import('../progress.js'), import('../run-guard.js'),
      ]);
      const runId = measure.makeRunId();
      const outDir = path.resolve(opts.out ?? path.join(REPO_ROOT, 'reports', `verify-${runId}`));
      const progress = createProgress(process.stderr, process.env, { quiet: globals.quiet ?? false });
      const ctx = { home, nativeDir: NATIVE_DIR, runId, log: (l: string) => progress.stage(l), backendOptions: { vm: vmOptions(opts) }, reprobe: reprobeRequested(opts.reprobe), ...(testOptions ? { testOptions } : {}) };
      if (testOptions) progress.warn(`test-only weakening in effect: ${JSON.stringify(testOptions)}`);
      const environments = allEnvironments(ctx);

      const command = ['bench', ...process.argv.slice(2)];
      const lock = await preflight(home, outDir, command.join(' '), Boolean(opts.allowConcurrent));
      const stop = installStop(progress, () => environments);
      try {
        await measure.startOfRunSweep(home, (l) => progress.warn(l));
        const outcome = await measure.runAll({
          ctx,
          scenarios: [],
          environments,
          ...(envFilter ? { envFilter } : {}),
          outDir,
          command,
          buildImage: measure.defaultBuildImage,
          collectManifest,
          phases: [isolationPhase, claimsPhase],
          renderers: [verdictsRenderer(), junitRenderer()],
          progress,
          signal: stop.signal,
          gate: gateOpts,
          ...(opts.allowConcurrent ? { allowConcurrent: true } : {}),
        });
        progress.close();
        setExitCode(await printVerdict(outcome.results.isolation, outcome.results.claims, outcome.results.warnings, outDir, gateOpts, globals.quiet ?? false));
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

/** Prints the summary to stdout (failures to stderr) and returns the exit code: 1 contradiction, 2 untested, 0 pass. */
async function printVerdict(iso: IsolationResults | undefined, claims: ClaimRow[] | undefined, warnings: string[], outDir: string, gateOpts: GateOptions, quiet: boolean): Promise<number> {
  const [{ gate }, { verdictCounts }] = await Promise.all([import('../../probe/gating.js'), import('../../claims/index.js')]);
  const out = quiet ? { write: (_s: string) => true } : process.stdout;
  if (!iso) {
    process.stderr.write(`verify: FAIL: no isolation results (${warnings.find((w) => w.startsWith('phase isolation')) ?? 'the isolation phase did not run'})\n`);
    return EXIT.cannotTest;
  }
  for (const e of iso.envs) {
    const cs = iso.checks.filter((c) => c.env === e.env);
    const line = e.status === 'ok'
      ? `${cs.filter((c) => c.outcome === 'as-claimed').length} as claimed, ${cs.filter((c) => c.outcome === 'contradicts').length} contradict, ${cs.filter((c) => c.outcome === 'not-applicable').length} n/a`
      : `${e.status}: ${e.reason ?? ''}`;
    out.write(`${e.env.padEnd(10)} ${line}${gateOpts.require.includes(e.env) ? '  [required]' : ''}\n`);
  }
  if (claims) {
    const c = verdictCounts(claims);
    out.write(`claims: ${claims.length} sentences — ${c.confirmed} confirmed, ${c.nuanced} nuanced, ${c.undecided} undecided, ${c.refuted} refuted, ${c['not-judged']} not judged\n`);
  }
  out.write(`wrote ${path.join(outDir, VERDICTS_FILE)}, ${path.join(outDir, 'junit.xml')}\n`);
  const g = gate(iso, gateOpts);
  if (g.ok) {
    const skipped = gateOpts.require.filter((n) => iso.envs.find((e) => e.env === n)?.status !== 'ok');
    process.stdout.write(`verify: PASS (required: ${g.required.join(', ') || 'none'}${skipped.length ? `; skipped and allowed: ${skipped.join(', ')}` : ''})\n`);
    return EXIT.ok;
  }
  for (const f of g.failures) process.stderr.write(`verify: FAIL: ${f}\n`);
  return g.contradictions.length ? EXIT.failure : EXIT.cannotTest;
}
