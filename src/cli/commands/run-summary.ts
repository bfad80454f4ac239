import type { RunAllOutcome } from '../../measure/index.js';
import type { EnvResult, ScenarioResult } from '../../results/types.js';
import { vmDiskStartupText } from '../../report/model/vm-disk.js';
import { precisionSentences } from '../../report/model/precision.js';

function fmt(x: number): string {
  return Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3);
}

function cell(s: ScenarioResult, e: EnvResult): string {
  if (e.status === 'skipped') return `skipped (${e.reason})`;
  if (e.status === 'failed') return `FAILED ${e.error.code}`;
  const m = s.primaryMetric.name;
  const st = e.stats[m];
  const ratio = e.ratioToHost?.[m];
  return `${st ? `${fmt(st.median)} ${s.primaryMetric.unit}` : '–'}${ratio ? ` (×${fmt(ratio.ratio)} [${fmt(ratio.lo)}, ${fmt(ratio.hi)}])` : ''}`;
}

/** The few lines a user reads after `bench run`: medians of the primary metric, where the files are, what failed. */
export function printRunSummary(o: RunAllOutcome, out: NodeJS.WritableStream): void {
  const lines: string[] = [''];
  for (const s of o.results.scenarios) {
    lines.push(`${s.name} — ${s.primaryMetric.name} (median, ratio to host [95% CI])`);
    for (const e of s.envs) lines.push(`  ${e.env.padEnd(10)} ${cell(s, e)}`);
  }
  const x = o.results.facts?.startupCrossCheck;
  if (x?.status === 'ok' && x.benchMedianMs !== undefined && x.hyperfineMedianMs !== undefined) {
    const spawnExit = x.benchExitMedianMs !== undefined ? `spawn→exit ${fmt(x.benchExitMedianMs)} ms (ready ${fmt(x.benchMedianMs)} ms)` : `${fmt(x.benchMedianMs)} ms`;
    lines.push('', `startup cross-check (alternating blocks, same probe): isobench-timer ${spawnExit} vs hyperfine -N ${fmt(x.hyperfineMedianMs)} ms (×${fmt(x.ratio ?? NaN)}, ${x.withinTolerance ? 'within' : 'OUTSIDE'} ±${Math.round((x.tolerance ?? 0) * 100)}%${x.withinTolerance ? '' : '; a busy host makes both noisy'})${x.scenarioHostMedianMs !== undefined ? `; the startup scenario's host median: ${fmt(x.scenarioHostMedianMs)} ms` : ''}`);
  } else if (x && x.status !== 'ok') {
    lines.push('', `startup cross-check ${x.status}: ${x.reason ?? ''}`);
  }
  const k = o.results.facts?.vmKernelComparison;
  if (k?.status === 'ok' && k.ours && k.stock) {
    lines.push(`vm guest kernel: ${k.ours.kernel} (isobench's) started in ${fmt(k.ours.medianMs)} ms; the same image with the stock ${k.stock.kernel} in ${fmt(k.stock.medianMs)} ms (×${fmt(k.ratio ?? NaN)}, ${k.stock.n} boots, ${k.accelerator})`);
  } else if (k && k.status !== 'skipped') {
    lines.push(`vm guest kernel comparison ${k.status}: ${k.reason ?? ''}`);
  }
  const d = vmDiskStartupText(o.results);
  if (d) lines.push(d.replace(/^VM disk presentation: /, 'vm disk presentation: ').replace(/ The boots come from .*$/, ''));
  const precision = precisionSentences(o.results);
  if (precision) lines.push('', precision.replace(/`/g, ''));
  lines.push('', `results: ${o.resultsFile}`);
  for (const r of o.reports) lines.push(`report:  ${r}`);
  if (o.failures.length > 0) {
    lines.push('', `${o.failures.length} failure(s) (recorded in results.json; the run still completed):`);
    for (const f of o.failures) lines.push(`  - ${f}`);
  }
  out.write(`${lines.join('\n')}\n`);
}

/** `bench run --json`: the same summary, for scripts. Every figure is also in results.json; this is the short form. */
export function runSummaryJson(o: RunAllOutcome): Record<string, unknown> {
  return {
    runId: o.results.runId,
    results: o.resultsFile,
    reports: o.reports,
    scenarios: o.results.scenarios.map((s) => ({
      name: s.name,
      metric: s.primaryMetric.name,
      unit: s.primaryMetric.unit,
      envs: s.envs.map((e) => e.status === 'ok'
        ? { env: e.env, status: e.status, median: e.stats[s.primaryMetric.name]?.median ?? null, ratioToHost: e.ratioToHost?.[s.primaryMetric.name] ?? null }
        : e.status === 'skipped' ? { env: e.env, status: e.status, reason: e.reason } : { env: e.env, status: e.status, error: e.error }),
    })),
    facts: { startupCrossCheck: o.results.facts?.startupCrossCheck ?? null, vmKernelComparison: o.results.facts?.vmKernelComparison ?? null, vmDiskStartup: o.results.facts?.vmDiskStartup ?? null },
    failures: o.failures,
    warnings: o.results.warnings,
  };
}
