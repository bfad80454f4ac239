import type { MergedRatioCell, MergedReport } from '../../results/types.js';
import { esc } from '../html/escape.js';

const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/** A ratio to the cell's own host with its CI; never a raw figure. */
export function cellText(c: MergedRatioCell): string {
  switch (c.status) {
    case 'baseline': return '1 (baseline)';
    case 'absent': return '—';
    case 'skipped': return 'skipped';
    case 'failed': return 'failed';
    case 'ok': {
      const acc = c.accelerator ? ` ${c.accelerator.toUpperCase()}` : '';
      return c.ratio === undefined ? `n/a${acc}` : `×${fmt(c.ratio)} [${fmt(c.lo!)}–${fmt(c.hi!)}]${acc}`;
    }
  }
}

const mdCell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Markdown: short enough for a CI job summary. */
export function renderMergedMarkdown(m: MergedReport): string {
  const ids = m.hosts.map((h) => h.id);
  const head = (first: string[]): string[] => [`| ${[...first, ...ids].map(mdCell).join(' | ')} |`, `|${[...first, ...ids].map(() => '---').join('|')}|`];
  const out: string[] = [`# isobench: ${m.hosts.length} runs merged`, ''];
  out.push(`Hosts: ${m.hosts.map((h) => `**${h.id}** (${h.hostname}, run ${h.runId})`).join(', ')}.`, '');
  out.push('Figures are each environment\'s ratio to the bare host **of the same machine** (median ratio, 95% CI); raw figures are not compared across machines.', '');
  if (m.flags.length) out.push('## Flags', '', ...m.flags.map((f) => `- ⚠ ${f}`), '');
  out.push('## Verdicts that differ between hosts', '');
  out.push(...(m.differingVerdicts.length ? m.differingVerdicts.map((l) => `- ${l}`) : ['None: every host reached the same verdicts.']), '');
  out.push('## Manifest diff', '', ...head(['field']));
  for (const r of m.manifestDiff) out.push(`| ${r.differs ? `**${mdCell(r.field)}**` : mdCell(r.field)} | ${r.values.map(mdCell).join(' | ')} |`);
  out.push('');
  out.push('## Ratio to own host, per scenario', '');
  for (const s of m.scenarios) {
    out.push(`### ${s.scenario}: ${s.metric} (${s.higherIsBetter ? 'higher' : 'lower'} is better)`, '', ...head(['env']));
    for (const row of s.rows) out.push(`| ${mdCell(row.env)} | ${row.cells.map((c) => mdCell(cellText(c))).join(' | ')} |`);
    out.push('');
  }
  out.push('## Verdicts per host', '', ...head(['claim']));
  for (const c of m.claims) out.push(`| ${c.differs ? '**≠** ' : ''}${mdCell(c.sentence)} | ${c.verdicts.map((v) => v.verdict).join(' | ')} |`);
  out.push('');
  return out.join('\n');
}

/** Self-contained HTML page. */
export function renderMergedHtml(m: MergedReport): string {
  const ids = m.hosts.map((h) => h.id);
  const th = (first: string[]): string => `<tr>${[...first, ...ids].map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const parts: string[] = [];
  parts.push(`<h1>isobench: ${m.hosts.length} runs merged</h1>`);
  parts.push(`<p>Figures are each environment's ratio to the bare host <b>of the same machine</b> (median ratio, 95% CI); raw figures are not compared across machines.</p>`);
  if (m.flags.length) parts.push(`<h2>Flags</h2><ul class="flags">${m.flags.map((f) => `<li>⚠ ${esc(f)}</li>`).join('')}</ul>`);
  parts.push('<h2>Verdicts that differ between hosts</h2>');
  parts.push(m.differingVerdicts.length ? `<ul class="differs">${m.differingVerdicts.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>` : '<p>None: every host reached the same verdicts.</p>');
  parts.push(`<h2>Manifest diff</h2><table class="manifest">${th(['field'])}${m.manifestDiff.map((r) => `<tr${r.differs ? ' class="differs"' : ''}><th>${esc(r.field)}</th>${r.values.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`).join('')}</table>`);
  parts.push('<h2>Ratio to own host, per scenario</h2>');
  for (const s of m.scenarios) {
    parts.push(`<h3>${esc(s.scenario)}: ${esc(s.metric)} (${s.higherIsBetter ? 'higher' : 'lower'} is better)</h3><table class="ratios">${th(['env'])}${s.rows.map((row) => `<tr><th>${esc(row.env)}</th>${row.cells.map((c) => `<td class="${c.status}"${c.note ? ` title="${esc(c.note)}"` : ''}>${esc(cellText(c))}</td>`).join('')}</tr>`).join('')}</table>`);
  }
  parts.push(`<h2>Verdicts per host</h2><table class="verdicts">${th(['claim'])}${m.claims.map((c) => `<tr${c.differs ? ' class="differs"' : ''}><th>${esc(c.sentence)}</th>${c.verdicts.map((v) => `<td class="v-${v.verdict}" title="${esc(v.reason)}">${esc(v.verdict)}</td>`).join('')}</tr>`).join('')}</table>`);
  const css = 'body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em}table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}tr.differs{background:#fff4d6}.v-confirmed{color:#186a3b}.v-refuted{color:#a93226}.v-not-judged{color:#777}.flags li{color:#8a5a00}';
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>isobench merged report</title><style>${css}</style></head><body>\n${parts.join('\n')}\n</body></html>\n`;
}
