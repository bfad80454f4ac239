/** HTML sections with figures: startup, speed, isolation matrix, manifest, warnings. */
import type { RunResults } from '../../results/types.js';
import { chartHeight, type ChartSpec } from '../charts/index.js';
import {
  STOP_TEXT, speedTable, summaryTable, sectionSentences,
  collectWarnings, commandLines, environmentsTable, imageTable, isolationMatrix, manifestTable, mediansTable, shortDigest,
  speedMatrix, startupTable, startupView, userImagesTable, commandMetricsTable, vmDiskStartupText, precisionSentences,
} from '../model/index.js';
import { esc } from './escape.js';
import { codeHtml, envLabelHtml, htmlTable } from './html-table.js';

function chartBlock(chart: ChartSpec | undefined): string {
  if (!chart) return '<p class="lead">No data to chart.</p>';
  const h = chartHeight(chart, 0);
  return `<h3 class="chart-title">${esc(chart.title)}</h3><div class="chart"${h ? ` style="height:${h}px"` : ''}><canvas id="chart-${esc(chart.id)}" role="img" aria-label="${esc(chart.title)}"></canvas></div><p class="caption">${esc(chart.caption)}</p>`;
}

export function startupSection(r: RunResults, chart: ChartSpec | undefined): string {
  const t = startupTable(r);
  const v = startupView(r);
  if (!t || !v) return '<section id="startup"><h2>Startup latency</h2><p class="lead">No startup samples in this run.</p></section>';
  return `<section id="startup"><h2>Startup latency</h2><p class="lead">Scenario <code>${esc(v.scenario.name)}</code>: from spawn to the ready marker written by the first process inside the environment; every sample shown.</p>
${chartBlock(chart)}${htmlTable(t, { envFirstColumn: true, stack: true })}${vmDiskParagraph(r)}</section>`;
}

function vmDiskParagraph(r: RunResults): string {
  const text = vmDiskStartupText(r);
  return text ? `<p class="lead" id="vm-disk-startup">${esc(text)}</p>` : '';
}

export function speedSection(r: RunResults, chart: ChartSpec | undefined): string {
  const t = speedMatrix(r);
  if (!t) return '<section id="speed"><h2>Execution speed</h2><p class="lead">No execution scenarios in this run.</p></section>';
  const markers = speedTable(r).flat().filter((c) => c.notComparable || c.speed === undefined);
  const markerList = markers.length
    ? `<ul class="markers">${markers.map((c) => `<li><strong>${esc(c.label)} · ${esc(c.scenario)}</strong>: ${esc(c.notComparable ? `not comparable — ${c.notComparable}` : c.missing ?? 'no figure')}</li>`).join('')}</ul>`
    : '';
  return `<section id="speed"><h2>Execution speed relative to the host</h2><p class="lead">Each scenario's primary metric as a ratio to the host (1 = host speed, lower = slower) with its 95% interval: a ratio of medians under fixed rounds; under sequential sampling the ratio of 20% trimmed geometric means, its interval at the stricter level of every look, printed with it, which keeps 95% however many looks it took; a cell paired with a host companion in time slots takes its ratio slot by slot. Then n, and why sampling stopped (decided, precise, budget, max rounds).</p>
${chartBlock(chart)}${markerList}${htmlTable(t, { envHeaders: true })}<p class="caption">${esc(stopLegend())}</p>${precisionParagraph(r)}<h3>Medians of each scenario's primary metric</h3>${htmlTable(mediansTable(r), { envHeaders: true })}</section>`;
}

function precisionParagraph(r: RunResults): string {
  const text = precisionSentences(r);
  return text ? `<p class="lead" id="precision">${esc(text).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>` : '';
}

function stopLegend(): string {
  return `Why sampling stopped: ${(['decided', 'precision', 'budget', 'max-rounds'] as const).map((k) => `${k === 'max-rounds' ? 'max rounds' : k} = ${STOP_TEXT[k]}`).join('; ')}.`;
}

/** The first screen: one row per environment, then one sentence per seed section. */
export function summarySection(r: RunResults): string {
  const sentences = sectionSentences(r);
  return `<section id="summary"><h2>The answer</h2>
${htmlTable(summaryTable(r), { envFirstColumn: true, id: 'summary-table', titleOnly: true })}
<p class="caption">Startup: median spawn → ready. Speed: lowest–highest ratio to the host over the comparable scenarios (1 = host). Isolated: checks observed isolated, of those that apply (hover for how many match the seed).</p>
${sentences.length ? `<ul class="sentences">${sentences.map((x) => `<li><strong>${esc(x.section)}</strong>: ${esc(x.sentence)}</li>`).join('\n')}</ul>` : '<p class="lead">No claim verdicts in this run.</p>'}</section>`;
}

/** Only when the run had user images or commands. */
export function userCommandsSection(r: RunResults): string {
  const img = userImagesTable(r);
  const m = commandMetricsTable(r);
  if (!img && !m) return '';
  return `<section id="user-commands"><h2>Your images and commands</h2>
${img ? `<p class="lead">Each image ran unchanged in every environment, with isobench's probe added as one layer on top: the second digest is what ran.</p>${htmlTable(img, { stack: true })}` : ''}
${m ? `<h3>Metrics of each command</h3><p class="lead">Without metrics in the scenario, the figure is execMs: ready marker to exit, by the harness's timer.</p>${htmlTable(m, { stack: true })}` : ''}</section>`;
}

export function isolationSection(r: RunResults): string {
  const t = isolationMatrix(r);
  if (!t) return '<section id="isolation"><h2>Isolation matrix</h2><p class="lead">No isolation checks in this run (the isolation phase did not run).</p></section>';
  return `<section id="isolation"><h2>Isolation matrix</h2><p class="lead">Checks run by the probe inside each environment, coloured by what was observed: <span class="badge t-ok">✓ isolated</span> <span class="badge t-bad">✗ exposed</span> <span class="badge t-na">— n/a</span>. “= seed” / “≠ seed”: whether that is what the seed leads us to expect there (the host is exposed everywhere, as expected). Hover or tap a cell for the observation, the expectation and the probe's evidence.</p>
${htmlTable(t, { envHeaders: true, id: 'isolation-matrix' })}</section>`;
}

export function manifestSection(r: RunResults): string {
  const img = imageTable(r);
  const lines = commandLines(r);
  const cmd = `<details><summary>Exact command line per scenario and environment (${lines.length})</summary><div class="scroll"><table class="stack"><thead><tr><th>scenario</th><th>environment</th><th>n</th><th>image</th><th>argv</th></tr></thead><tbody>${lines.map((x) =>
    `<tr><td data-label="scenario">${esc(x.scenario)}</td><td data-label="environment">${envLabelHtml(x.label)}</td><td data-label="n">${x.n}</td><td data-label="image"><span class="code nowrap" title="${esc(x.digest ?? '')}">${esc(shortDigest(x.digest))}</span></td><td data-label="argv">${codeHtml(x.line)}${x.how ? `<div class="muted">${esc(x.how)}${x.instance ? `, started by ${codeHtml(x.instance)}` : ''}</div>` : ''}</td></tr>`).join('\n')}</tbody></table></div></details>`;
  return `<section id="manifest"><h2>Environment manifest</h2><p class="lead">Everything needed to trace a figure back to where and how it was measured.</p>
${htmlTable(manifestTable(r), { stack: true })}<h3>Environments</h3>${htmlTable(environmentsTable(r), { envFirstColumn: true, stack: true })}
${img && r.image ? `<h3>Image <code>${esc(r.image.name)}</code> <code>${esc(r.image.digest)}</code></h3>${htmlTable(img, { stack: true })}` : ''}
<h3>Command lines</h3>${cmd}</section>`;
}

export function warningsSection(r: RunResults): string {
  const w = collectWarnings(r);
  return `<section id="warnings"><h2>Warnings</h2>${w.length === 0 ? '<p class="lead">None.</p>' : `<ul class="warnings">${w.map((x) => `<li class="w-${esc(x.kind)}">${esc(x.text)}</li>`).join('\n')}</ul>`}</section>`;
}
