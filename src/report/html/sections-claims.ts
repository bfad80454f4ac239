/** HTML sections about the seed's claims: verdict summary, comparison table, images/registry/engine. */
import type { ClaimRow, Verdict } from '../../results/claims.js';
import type { RunResults } from '../../results/types.js';
import { artifactClaims, buildSeedTable, claimsOf, COLUMN_TITLES, factsTable, notJudgedText, portabilityTable, VERDICT_LABEL } from '../model/index.js';
import { esc } from './escape.js';
import { htmlTable } from './html-table.js';

export function badge(v: Verdict): string {
  return `<span class="badge v-${esc(v)}">${esc(VERDICT_LABEL[v] ?? v)}</span>`;
}

/** Evidence lines of a claim: the first few shown, the rest behind a "more" toggle (a check list can run to a dozen). */
function evidenceList(c: ClaimRow, shown = 2): string {
  if (!c.evidence.length) return '';
  const li = (e: ClaimRow['evidence'][number]): string => `<li><code>${esc(e.source)}</code> ${esc(e.detail)}</li>`;
  const head = c.evidence.slice(0, shown).map(li).join('');
  const rest = c.evidence.slice(shown);
  const more = rest.length ? `<li class="more"><details><summary>${rest.length} more evidence line${rest.length === 1 ? '' : 's'}</summary><ul class="evidence">${rest.map(li).join('')}</ul></details></li>` : '';
  return `<ul class="evidence">${head}${more}</ul>`;
}

export function verdictsSection(r: RunResults): string {
  const claims = claimsOf(r);
  if (!claims?.length) {
    return `<section id="verdicts"><h2>Verdicts</h2><p class="lead">No claim verdicts in this run: the claims phase did not run or failed. Figures below are still measured.</p></section>`;
  }
  const rows = claims.map((c) => `<tr><td data-label="section">${esc(c.section.replace(/^VM \/ container \/ chroot comparison › /, 'Comparison › '))}</td><td data-label="claim">${esc(c.sentence)}</td><td data-label="verdict">${badge(c.verdict)}</td>` +
    `<td data-label="why"><details class="ev"><summary>${esc(c.reason)}</summary><div class="ev-body">${c.evidence.map((e) => `${esc(e.source)}: ${esc(e.detail)}`).join('\n') || 'no evidence recorded'}</div></details></td></tr>`);
  return `<section id="verdicts"><h2>Verdicts</h2><p class="lead">One row per sentence of the seed document; expand a reason for its evidence.</p>
<div class="scroll"><table id="verdict-table" class="stack"><thead><tr><th>section</th><th>claim</th><th>verdict</th><th>why</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table></div></section>`;
}

export function seedTableSection(r: RunResults): string {
  const grid = buildSeedTable(r);
  const cols = grid[0]?.map((c) => c.column) ?? [];
  const body = grid.map((row) => `<tr><th class="rowh" scope="row">${esc(row[0]?.row ?? '')}</th>${row.map((cell) => {
    const judged = cell.claims.length === 0
      ? `<div class="judgement cnj">${badge('not-judged')} ${esc(cell.notJudged ?? '')}</div>`
      : cell.claims.map((c) => `<div class="judgement">${badge(c.verdict)} <span class="sentence">${esc(c.sentence)}</span><div class="reason">${esc(c.verdict === 'not-judged' ? notJudgedText(c.reason) : c.reason)}</div>${evidenceList(c)}</div>`).join('');
    return `<td data-label="${esc(COLUMN_TITLES[cell.column])}"><div class="seed-claim">${esc(cell.seed)}</div>${judged}</td>`;
  }).join('')}</tr>`).join('\n');
  return `<section id="seed-table"><h2>The seed's comparison table</h2><p class="lead">Row for row as in the seed: its claim, this run's verdict and the measured evidence.</p>
<table class="seed" id="seed-grid"><thead><tr><th></th>${cols.map((c) => `<th scope="col">${esc(COLUMN_TITLES[c])}</th>`).join('')}</tr></thead><tbody>
${body}
</tbody></table></section>`;
}

export function artifactsSection(r: RunResults): string {
  const rows = artifactClaims(r);
  const parts: string[] = [];
  if (rows.length) {
    parts.push(`<div class="scroll"><table class="stack"><thead><tr><th>claim</th><th>verdict</th><th>why</th><th>evidence</th></tr></thead><tbody>${rows.map((c) =>
      `<tr><td data-label="claim">${esc(c.sentence)}</td><td data-label="verdict">${badge(c.verdict)}</td><td data-label="why">${esc(c.reason)}</td><td data-label="evidence">${evidenceList(c) || '–'}</td></tr>`).join('\n')}</tbody></table></div>`);
  }
  const p = portabilityTable(r);
  if (p) {
    parts.push(`<h3>Portability round-trips</h3>${htmlTable(p, { stack: true })}<p class="caption">A chroot is a bare directory: it has no manifest, no entrypoint and no digest, so nothing records what it is or how to start it; moving it means copying a tree and knowing the command out of band.</p>`);
  }
  const f = factsTable(r);
  if (f) parts.push(`<h3>Measured facts</h3>${htmlTable(f, { stack: true })}`);
  if (!parts.length) parts.push('<p class="lead">No image, registry or engine evidence in this run.</p>');
  return `<section id="artifacts"><h2>Images, registry and engine</h2><p class="lead">The seed's statements about images, registries and engines, with the facts measured for them.</p>${parts.join('\n')}</section>`;
}
