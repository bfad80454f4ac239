import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../../core/errors.js';
import { checkOutDir } from '../out-dir.js';
import { EXIT_CODES_HELP } from '../errors.js';

/** Same value as the comparison module's default, kept here so --help loads no report code (a test checks they agree). */
export const DEFAULT_THRESHOLD_HELP = 0.4;

interface CompareOpts {
  threshold?: string;
  failOnRegression?: boolean;
  out?: string;
  method?: string;
  json?: boolean;
  baseline?: string;
}

export function register(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('compare')
    .description('compare two runs per scenario × environment (new/base with a 95% CI) and flag regressions; Markdown output')
    .argument('<base>', 'results.json (or run folder) of the baseline run')
    .argument('<new>', 'results.json (or run folder) of the new run')
    .option('--threshold <pct>', `a regression is a slowdown whose whole CI lies beyond this (default ${DEFAULT_THRESHOLD_HELP * 100}%)`)
    .option('--fail-on-regression', 'exit 1 when any regression (or a newly failing environment) is found')
    .option('--baseline <b>', 'host (default): compare other environments on their per-round ratio to the host, so machine load cancels out; none: raw values')
    .option('--method <m>', 'bootstrap (ratio of medians, default) or welch (ratio of means)')
    .option('--out <file>', 'also write the Markdown to this file (e.g. $GITHUB_STEP_SUMMARY)')
    .option('--json', 'print the comparison as JSON instead of Markdown')
    .addHelpText('after', `\n${EXIT_CODES_HELP}`)
    .action(async (baseFile: string, newFile: string, opts: CompareOpts) => {
      if (opts.out && opts.out !== process.env.GITHUB_STEP_SUMMARY) await checkOutDir(path.dirname(path.resolve(opts.out)), '--out (its folder)');
      const { compareMarkdown, compareResults, DEFAULT_THRESHOLD, loadResults, parseThreshold } = await import('../../report/index.js');
      const threshold = opts.threshold === undefined ? DEFAULT_THRESHOLD : parseThreshold(opts.threshold);
      if (opts.method !== undefined && opts.method !== 'bootstrap' && opts.method !== 'welch') {
        throw new ConfigError('COMPARE_METHOD', `--method must be bootstrap or welch, got "${opts.method}"`);
      }
      if (opts.baseline !== undefined && opts.baseline !== 'host' && opts.baseline !== 'none') {
        throw new ConfigError('COMPARE_BASELINE', `--baseline must be host or none, got "${opts.baseline}"`);
      }
      const [base, next] = await Promise.all([loadResults(baseFile), loadResults(newFile)]);
      const report = compareResults(base, next, {
        threshold,
        ...(opts.method ? { method: opts.method as 'bootstrap' | 'welch' } : {}),
        ...(opts.baseline ? { baseline: opts.baseline as 'host' | 'none' } : {}),
      });
      const md = compareMarkdown(report);
      process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : md);
      if (opts.out) await writeFile(opts.out, md, { flag: opts.out === process.env.GITHUB_STEP_SUMMARY ? 'a' : 'w' });
      setExitCode(opts.failOnRegression && report.regressions > 0 ? 1 : 0);
    });
}
