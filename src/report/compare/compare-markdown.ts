/** `bench compare` output: Markdown for a terminal or a CI job summary ($GITHUB_STEP_SUMMARY). */
import { fmtCI, fmtLevel, fmtNum, fmtRatio, fmtValue } from '../model/format.js';
import { mdCell } from '../markdown/md-table.js';
import type { CompareReport, CompareRow, CompareStatus } from './compare-results.js';

const STATUS: Record<CompareStatus, string> = {
  baseline: '⚪ baseline (raw, not judged)',
  regression: '🔴 **regression**', improvement: '🟢 improvement', 'within-threshold': '🟡 changed within threshold', unchanged: '⚪ no change shown',
  failed: '❌ **failed in new run**', fixed: '🟢 fixed (failed in base)', skipped: '⚪ skipped', missing: '⚪ missing', incomparable: '⚪ not comparable',
};

/** "2.00× slower" / "4.1% faster" / "no change" from the slowdown factor. */
export function effect(r: CompareRow): string {
  if (r.slowdown === undefined) return '–';
  const s = r.slowdown;
  if (s >= 1.5) return `${s.toFixed(2)}× slower`;
  if (s <= 1 / 1.5) return `${(1 / s).toFixed(2)}× faster`;
  const pct = (s - 1) * 100;
  if (Math.abs(pct) < 0.05) return 'no change';
  return `${Math.abs(pct).toFixed(1)}% ${pct > 0 ? 'slower' : 'faster'}`;
}

/** "30 rows: 1 improvement, 27 no change shown, 2 skipped" — in the order of STATUS. */
function tally(rows: readonly CompareRow[]): string {
  const n = new Map<CompareStatus, number>();
  for (const r of rows) n.set(r.status, (n.get(r.status) ?? 0) + 1);
  const parts = (Object.keys(STATUS) as CompareStatus[]).filter((k) => n.has(k)).map((k) => `${n.get(k)} ${STATUS[k].replace(/[*]/g, '').replace(/^\S+ /, '')}`);
  return `${rows.length} rows: ${parts.join(', ')}.`;
}

export function compareMarkdown(c: CompareReport): string {
  const pct = `${+(c.threshold * 100).toFixed(2)}%`;
  const how = c.method === 'bootstrap' ? 'ratio of medians, percentile bootstrap' : "ratio of means, Welch's t on the log scale";
  const lines = [
    `## isobench compare: \`${c.base.runId}\` → \`${c.next.runId}\``,
    '',
    `Base ${c.base.host} @ \`${c.base.gitRevision}\` · new ${c.next.host} @ \`${c.next.gitRevision}\``,
    '',
    `${c.regressions ? `**${c.regressions} regression(s)** beyond ${pct}.` : `**No regression** beyond ${pct}.`} ${tally(c.rows)}`,
    '',
    `Each row: the scenario's primary metric, its raw medians, and new/base with its ${fmtLevel(c.confidence)} CI (${how})${c.baseline === 'host' ? '. Where the ÷host columns are filled, new/base and the effect compare those figures: each round\'s value divided by the host\'s value of the same round, so load on the machine cancels out and the raw medians may move the other way (the host row is shown raw, for information)' : ''}. A regression is a change whose whole CI lies more than ${pct} in the bad direction (slower, or lower throughput); a newly failing environment counts as one too.`,
    ...c.notes.map((n) => `\n> ⚠️ ${n}`),
    '',
    '| scenario | environment | metric | base (raw median) | new (raw median) | base ÷host | new ÷host | new/base [CI] | effect | status |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of c.rows) {
    const metric = `${r.metric} (${r.higherIsBetter ? '↑' : '↓'} better)`;
    const ratio = r.ratio === undefined ? '–' : `${fmtRatio(r.ratio)} ${fmtCI(r.lo ?? NaN, r.hi ?? NaN)} n=${r.nBase}/${r.nNew}${r.fewSamples ? ' ⚠ n' : ''}`;
    const status = `${STATUS[r.status]}${r.note ? ` — ${mdCell(r.note)}` : ''}`;
    const norm = (x: number | undefined): string => (r.normalized && x !== undefined ? `×${fmtNum(x)}` : '–');
    lines.push(`| ${r.scenario} | ${mdCell(r.label)} | ${metric} | ${fmtValue(r.baseMedian, r.unit)} | ${fmtValue(r.newMedian, r.unit)} | ${norm(r.baseNormMedian)} | ${norm(r.newNormMedian)} | ${ratio} | ${effect(r)} | ${status} |`);
  }
  return `${lines.join('\n')}\n`;
}
