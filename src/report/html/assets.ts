/**
 * chart.js inlined into report.html so the report opens offline with zero
 * network fetches: the UMD build from node_modules, read once per process.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ReportError } from '../errors.js';

let cached: string | undefined;

export function chartJsUmd(): string {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  let file: string;
  try {
    // 'chart.js' resolves to dist/chart.cjs; the UMD build sits beside it.
    file = path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js');
    cached = readFileSync(file, 'utf8')
      // A source-map comment would make devtools fetch a file that is not there.
      .replace(/\n?\/\/# sourceMappingURL=.*$/m, '');
  } catch (err) {
    throw new ReportError('REPORT_CHARTJS', `cannot read chart.js's UMD build to inline it into report.html: ${(err as Error).message}`, {
      cause: err,
      hint: 'run scripts/setup (npm ci) so node_modules/chart.js/dist/chart.umd.min.js exists',
    });
  }
  return cached;
}
