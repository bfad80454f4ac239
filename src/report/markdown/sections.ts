/** The Markdown report, section by section (same order and tables as the HTML report). */
import type { ClaimRow, Verdict } from '../../results/claims.js';
import type { RunResults } from '../../results/types.js';
import {
  artifactClaims, buildSeedTable, claimsOf, collectWarnings, commandLines, COLUMN_TITLES, environmentsTable, factsTable, imageTable,
  isolationMatrix, manifestTable, sectionSentences, speedTable, STOP_TEXT, summaryTable, notJudgedText, mediansTable, portabilityTable, shortDigest, speedMatrix, startupTable, startupView, verdictCounts, VERDICT_LABEL,
  userImagesTable, commandMetricsTable, vmDiskStartupText, precisionSentences,
} from '../model/index.js';
import { mdCell, mdDetails, mdTable } from './md-table.js';

export const VERDICT_MARK: Record<Verdict, string> = { confirmed: '✅', refuted: '❌', nuanced: '⚖️', undecided: '⏳', 'not-judged': '❔' };
const badge = (v: Verdict): string => `${VERDICT_MARK[v] ?? ''} **${VERDICT_LABEL[v] ?? v}**`;

export function header(r: RunResults): string {
  const m = r.manifest;
  const accel = m.virtualization.accelerator === 'tcg' ? ' · VM: **TCG (emulated)**' : m.virtualization.accelerator === 'kvm' ? ' · VM: KVM' : '';
  const claims = claimsOf(r);
  const counts = claims ? verdictCounts(claims) : undefined;
  const warnings = collectWarnings(r).length;
  return [
    `# isobench report — ${r.runId}`,
    '',
    `${m.hostname} · ${m.cpu.model} · ${m.cpu.cores} cores · kernel ${m.os.kernel}${accel} · isobench ${r.tool.version} @ \`${r.tool.gitRevision}\``,
    `Started ${r.startedAt}${r.finishedAt ? `, finished ${r.finishedAt}` : ' (unfinished run)'}. Image ${r.image ? `\`${r.image.name}\` \`${r.image.digest}\`` : 'not recorded'}.`,
    '',
    counts ? `**Verdicts:** ${counts.confirmed} confirmed · ${counts.nuanced} nuanced (partly true) · ${counts.undecided} undecided (out of budget) · ${counts.refuted} refuted · ${counts['not-judged']} not judged.` : '**Verdicts:** none (the claims phase did not run).',
    warnings ? `**${warnings} warning(s)** — see [Warnings](#warnings).` : '',
  ].join('\n');
}

/** The first screen: one row per environment, then one sentence per seed section. */
export function summary(r: RunResults): string {
  const sentences = sectionSentences(r);
  return ['## The answer', '', mdTable(summaryTable(r)), '',
    '*Startup*: median spawn → ready marker. *Speed*: lowest – highest ratio to the host over the comparable scenarios (1 = host). *Isolated*: checks observed isolated from the host, of those that apply.', '',
    ...(sentences.length ? sentences.map((x) => `- **${mdCell(x.section)}**: ${mdCell(x.sentence)}`) : ['No claim verdicts in this run.'])].join('\n');
}

export function verdicts(r: RunResults): string {
  const claims = claimsOf(r);
  if (!claims?.length) return '## Verdicts\n\nNo claim verdicts in this run (the claims phase did not run or failed).';
  const rows = claims.map((c) => `| ${mdCell(c.section)} | ${mdCell(c.sentence)} | ${badge(c.verdict)} | ${mdCell(c.reason)} |`);
  return ['## Verdicts', '', 'One row per sentence of the seed document.', '', '| section | claim | verdict | why |', '|---|---|---|---|', ...rows].join('\n');
}

/** In the comparison table a cell shows the first evidence lines only; the Verdicts section and report.html have them all. */
const CELL_EVIDENCE = 2;

function claimLine(c: ClaimRow): string {
  const more = c.evidence.length - CELL_EVIDENCE;
  const ev = c.evidence.slice(0, CELL_EVIDENCE).map((e) => `${e.source}: ${e.detail}`).join('; ') + (more > 0 ? ` (+${more} more in report.html)` : '');
  return `${badge(c.verdict)} — ${mdCell(c.verdict === 'not-judged' ? notJudgedText(c.reason) : c.reason)}${ev ? `<br>*evidence:* ${mdCell(ev)}` : ''}`;
}

export function seedTable(r: RunResults): string {
  const grid = buildSeedTable(r);
  const cols = grid[0]?.map((cell) => COLUMN_TITLES[cell.column]) ?? [];
  const lines = [`| | ${cols.join(' | ')} |`, `|---|${cols.map(() => '---').join('|')}|`];
  for (const row of grid) {
    const cells = row.map((cell) => {
      const head = `*seed:* “${mdCell(cell.seed)}”`;
      if (cell.claims.length === 0) return `${head}<br>❔ ${mdCell(cell.notJudged ?? '')}`;
      return `${head}<br>${cell.claims.map(claimLine).join('<br>')}`;
    });
    lines.push(`| **${row[0]?.row ?? ''}** | ${cells.join(' | ')} |`);
  }
  return ['## The seed\'s comparison table', '', 'Each cell: the seed\'s claim, this run\'s verdict and the evidence behind it.', '', ...lines].join('\n');
}

export function startup(r: RunResults, png: string | undefined): string {
  const t = startupTable(r);
  const v = startupView(r);
  if (!t || !v) return '## Startup latency\n\nNo startup samples in this run.';
  const disk = vmDiskStartupText(r);
  return ['## Startup latency', '', `Scenario \`${v.scenario.name}\`: spawn → ready marker, every sample.${v.logScale ? ' The chart uses a logarithmic axis.' : ''}`, '',
    png ? `![startup](${png})\n` : '', mdTable(t), ...(disk ? ['', disk] : [])].join('\n');
}

export function speed(r: RunResults, png: string | undefined): string {
  const t = speedMatrix(r);
  if (!t) return '## Execution speed\n\nNo execution scenarios in this run.';
  const markers = speedTable(r).flat().filter((c) => c.notComparable || c.speed === undefined)
    .map((c) => `- **${mdCell(c.label)} · ${c.scenario}**: ${mdCell(c.notComparable ? `not comparable — ${c.notComparable}` : c.missing ?? 'no figure')}`);
  const legend = `Why sampling stopped: ${(['decided', 'precision', 'budget', 'max-rounds'] as const).map((k) => `*${k === 'max-rounds' ? 'max rounds' : k}* = ${STOP_TEXT[k]}`).join('; ')}.`;
  const precision = precisionSentences(r);
  return ['## Execution speed relative to the host', '', 'Ratio to the host, oriented so that 1 = host speed and lower = slower, with its 95% interval: a ratio of medians under fixed rounds; under sequential sampling the ratio of 20% trimmed geometric means, its interval at the stricter level of every look, printed with it, which keeps 95% however many looks it took; a cell paired with a host companion in time slots takes its ratio slot by slot. Then n, and why sampling stopped.', '',
    png ? `![speed](${png})\n` : '', ...(markers.length ? ['No comparable figure:', '', ...markers, ''] : []), mdTable(t), '', legend, '', ...(precision ? [precision, ''] : []), '### Medians of each scenario\'s primary metric', '', mdTable(mediansTable(r))].join('\n');
}

/** Only when the run had user images or commands. */
export function userCommands(r: RunResults): string {
  const img = userImagesTable(r);
  const m = commandMetricsTable(r);
  if (!img && !m) return '';
  const out = ['## Your images and commands', ''];
  if (img) out.push('Each image ran unchanged in every environment, with isobench\'s probe added as one layer on top: the second digest is what ran.', '', mdTable(img), '');
  if (m) out.push('### Metrics of each command', '', 'Without metrics in the scenario, the figure is execMs: ready marker to exit, by the harness\'s timer.', '', mdTable(m), '');
  return out.join('\n');
}

export function isolation(r: RunResults): string {
  const t = isolationMatrix(r);
  if (!t) return '## Isolation matrix\n\nNo isolation checks in this run (the isolation phase did not run).';
  return ['## Isolation matrix', '', '✓ isolated · ✗ exposed · — not applicable, as observed; “= seed” / “≠ seed”: whether that is what the seed leads us to expect there (the host is exposed everywhere, as expected).', '', mdTable(t), '',
    '<details><summary>Expected behaviour and probe evidence per cell</summary>', '', mdDetails(t), '', '</details>'].join('\n');
}

export function artifacts(r: RunResults): string {
  const out = ['## Images, registry and engine', ''];
  const rows = artifactClaims(r);
  if (rows.length) {
    out.push('| claim | verdict | why | evidence |', '|---|---|---|---|');
    for (const c of rows) out.push(`| ${mdCell(c.sentence)} | ${badge(c.verdict)} | ${mdCell(c.reason)} | ${mdCell(c.evidence.map((e) => `${e.source}: ${e.detail}`).join('; ') || '–')} |`);
    out.push('');
  }
  const p = portabilityTable(r);
  if (p) out.push('### Portability round-trips', '', mdTable(p), '', 'A chroot is a bare directory: it has no manifest, no entrypoint and no digest, so nothing records what it is or how to start it.', '');
  const f = factsTable(r);
  if (f) out.push('### Measured facts', '', mdTable(f), '');
  if (out.length === 2) out.push('No image, registry or engine evidence in this run.');
  return out.join('\n');
}

export function manifest(r: RunResults): string {
  const out = ['## Environment manifest', '', mdTable(manifestTable(r)), '', '### Environments', '', mdTable(environmentsTable(r)), ''];
  const img = imageTable(r);
  if (img && r.image) out.push(`### Image \`${r.image.name}\` \`${r.image.digest}\``, '', mdTable(img), '');
  out.push('### Command lines', '', '<details><summary>Exact argv per scenario and environment</summary>', '');
  for (const x of commandLines(r)) out.push(`- **${x.scenario} / ${x.label}** (n=${x.n}${x.digest ? `, image ${shortDigest(x.digest)}` : ''}): \`${x.line.replace(/`/g, "'")}\`${x.how ? ` (${x.how}${x.instance ? `, started by \`${x.instance.replace(/`/g, "'")}\`` : ''})` : ''}`);
  out.push('', '</details>');
  return out.join('\n');
}

export function warnings(r: RunResults): string {
  const w = collectWarnings(r);
  if (w.length === 0) return '## Warnings\n\nNone.';
  return ['## Warnings', '', ...w.map((x) => `- ${x.kind === 'failed' ? '❌' : '⚠️'} ${mdCell(x.text)}`)].join('\n');
}
