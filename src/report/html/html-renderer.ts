/**
 * report.html: one self-contained file (chart.js, CSS, data and script all
 * inline) that opens offline on a laptop or a phone with zero network fetches.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunResults } from '../../results/types.js';
import type { Renderer } from '../types.js';
import { allCharts } from '../charts/index.js';
import { CHART_RUNTIME_JS } from '../charts/runtime.js';
import { claimsOf, collectWarnings, verdictCounts, VERDICT_LABEL } from '../model/index.js';
import { chartJsUmd } from './assets.js';
import { CLIENT_JS } from './client.js';
import { esc, jsonForScript, scriptSafe } from './escape.js';
import { artifactsSection, seedTableSection, verdictsSection } from './sections-claims.js';
import { isolationSection, userCommandsSection, manifestSection, speedSection, startupSection, summarySection, warningsSection } from './sections-figures.js';
import { REPORT_CSS } from './styles.js';

const NAV: [string, string][] = [
  ['summary', 'Answer'], ['startup', 'Startup'], ['speed', 'Speed'], ['isolation', 'Isolation'], ['verdicts', 'Verdicts'], ['seed-table', 'Comparison table'],
  ['artifacts', 'Images & engine'], ['manifest', 'Manifest'], ['warnings', 'Warnings'],
];

function headerHtml(r: RunResults): string {
  const m = r.manifest;
  const claims = claimsOf(r);
  const counts = claims ? verdictCounts(claims) : undefined;
  const nWarn = collectWarnings(r).length;
  const accel = m.virtualization.accelerator === 'tcg' ? ' · VM <span class="tcg">TCG emulated</span>' : m.virtualization.accelerator === 'kvm' ? ' · VM: KVM' : '';
  const countBadges = counts
    ? (['confirmed', 'nuanced', 'undecided', 'refuted', 'not-judged'] as const).map((v) => `<span class="badge v-${v}">${counts[v]} ${VERDICT_LABEL[v]}</span>`).join('')
    : '<span class="badge v-not-judged">no verdicts in this run</span>';
  return `<header class="top"><h1>isobench report — ${esc(r.runId)}</h1>
<div class="meta">${esc(m.hostname)} · ${esc(m.cpu.model)} · ${m.cpu.cores} cores · kernel ${esc(m.os.kernel)}${accel} · isobench ${esc(r.tool.version)} @ <code>${esc(r.tool.gitRevision)}</code><span class="when"><br>
started ${esc(r.startedAt)}${r.finishedAt ? ` · finished ${esc(r.finishedAt)}` : ' · <strong>unfinished run</strong>'} · image ${r.image ? `<code title="${esc(r.image.digest)}">${esc(r.image.digest)}</code>` : 'not recorded'}</span></div>
<div class="counts">${countBadges}${nWarn ? `<a class="badge t-warn" href="#warnings">${nWarn} warning${nWarn === 1 ? '' : 's'}</a>` : ''}</div></header>`;
}

export function renderHtml(r: RunResults): string {
  const charts = allCharts(r);
  const byId = new Map(charts.map((c) => [c.id, c]));
  const body = [
    summarySection(r), startupSection(r, byId.get('startup')), speedSection(r, byId.get('speed')), isolationSection(r),
    verdictsSection(r), seedTableSection(r), userCommandsSection(r), artifactsSection(r), manifestSection(r), warningsSection(r),
  ].join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>isobench report — ${esc(r.runId)}</title>
<style>${REPORT_CSS}</style></head>
<body>
${headerHtml(r)}
<nav class="toc">${NAV.map(([id, t]) => `<a href="#${id}">${t}</a>`).join('')}</nav>
<main>
${body}
</main>
<footer>isobench ${esc(r.tool.version)} · rendered from results.json (schema ${r.schemaVersion}) · the full results are embedded in this file (script#isobench-results)</footer>
<script type="application/json" id="isobench-charts">${jsonForScript(charts.map((c) => ({ id: c.id, config: c.config })))}</script>
<script type="application/json" id="isobench-results">${jsonForScript(r)}</script>
<script>${scriptSafe(chartJsUmd())}</script>
<script>${scriptSafe(CHART_RUNTIME_JS)}</script>
<script>${scriptSafe(CLIENT_JS)}</script>
</body></html>
`;
}

export function htmlRenderer(): Renderer {
  return {
    name: 'html',
    async render(results, outDir) {
      const file = path.join(outDir, 'report.html');
      await writeFile(file, renderHtml(results));
      return [file];
    },
  };
}
