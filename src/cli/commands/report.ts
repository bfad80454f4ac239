import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../../core/errors.js';
import { loadResults, renderAll, renderers } from '../../report/index.js';

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
    .option('--format <list>', `comma-separated formats (${renderers.map((r) => r.name).join(', ')}); default: all`)
    .action(async (file: string, opts: ReportOpts) => {
      const results = await loadResults(file);
      const only = opts.format?.split(',').map((s) => s.trim()).filter(Boolean);
      const known = renderers.map((r) => r.name);
      const unknown = (only ?? []).filter((f) => !known.includes(f));
      if (unknown.length) throw new ConfigError('REPORT_FORMAT', `--format: unknown format ${unknown.map((u) => `"${u}"`).join(', ')}`, { hint: `valid: ${known.join(', ')}` });
      const src = path.resolve(file);
      const outDir = path.resolve(opts.out ?? (src.endsWith('.json') ? path.dirname(src) : src));
      const files = await renderAll(results, outDir, only ? { only } : {});
      for (const f of files) { const rel = path.relative(process.cwd(), f); process.stdout.write(`${rel && !rel.startsWith('..') ? rel : f}\n`); }
      setExitCode(0);
    });
}
