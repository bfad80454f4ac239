import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../../core/errors.js';
import { checkOutDir } from '../out-dir.js';
import { EXIT_CODES_HELP } from '../errors.js';

/** Formats `--format` accepts; checked against the renderers when the command runs. */
const FORMATS = 'markdown, html, junit';

interface ReportOpts {
  out?: string;
  format?: string;
}

export function register(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('report')
    .description('re-render the reports (report.md + charts/*.png, report.html, ...) of a saved run')
    .argument('<results>', 'a results.json, or the run folder holding it')
    .option('--out <dir>', 'where to write the reports (default: the folder of results.json)')
    .option('--format <list>', `comma-separated formats (${FORMATS}); default: all`)
    .addHelpText('after', `\n${EXIT_CODES_HELP}`)
    .action(async (file: string, opts: ReportOpts) => {
      const src = path.resolve(file);
      const isDir = await stat(src).then((s) => s.isDirectory(), () => false);
      // Before reading or rendering anything: a wrong --out fails in a second.
      const outDir = await checkOutDir(opts.out ?? (isDir ? src : path.dirname(src)));
      const { loadResults, renderAll, renderers } = await import('../../report/index.js');
      const results = await loadResults(file);
      const only = opts.format?.split(',').map((s) => s.trim()).filter(Boolean);
      const known = renderers.map((r) => r.name);
      const unknown = (only ?? []).filter((f) => !known.includes(f));
      if (unknown.length) throw new ConfigError('REPORT_FORMAT', `--format: unknown format ${unknown.map((u) => `"${u}"`).join(', ')}`, { hint: `valid: ${known.join(', ')}` });
      const files = await renderAll(results, outDir, only ? { only } : {});
      for (const f of files) { const rel = path.relative(process.cwd(), f); process.stdout.write(`${rel && !rel.startsWith('..') ? rel : f}\n`); }
      setExitCode(0);
    });
}
