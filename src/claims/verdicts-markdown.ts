import type { ClaimRow } from '../results/claims.js';
import type { IsolationResults } from '../results/isolation.js';
import type { RunResults } from '../results/types.js';
import { CHECK_NAMES } from '../probe/checks.js';
import { gate, gateOptionsOf, isGating } from '../probe/gating.js';

/** Markdown cell text: no pipes or newlines may break the table. */
function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

const MARK = { 'as-claimed': '✓ as claimed', contradicts: '✗ contradicts', 'not-applicable': '– n/a' } as const;

function isolationSection(iso: IsolationResults | undefined, required: readonly string[]): string[] {
  if (!iso) return ['## Isolation', '', 'The isolation phase did not run.', ''];
  const envs = iso.envs;
  const out = ['## Isolation checks', '', `| check | ${envs.map((e) => cell(e.env)).join(' | ')} |`, `|---|${envs.map(() => '---').join('|')}|`];
  for (const check of CHECK_NAMES) {
    const cells = envs.map((e) => {
      if (e.status !== 'ok') return e.status;
      const c = iso.checks.find((x) => x.env === e.env && x.check === check);
      return c ? MARK[c.outcome] : '—';
    });
    out.push(`| ${check} | ${cells.join(' | ')} |`);
  }
  out.push('');
  const notOk = envs.filter((e) => e.status !== 'ok');
  if (notOk.length) {
    out.push('Environments not probed:', '');
    for (const e of notOk) out.push(`- **${e.env}** ${e.status}: ${e.reason ?? 'no reason recorded'}`);
    out.push('');
  }
  const contra = iso.checks.filter((c) => c.outcome === 'contradicts');
  if (contra.length) {
    out.push('### Contradictions', '');
    for (const c of contra) {
      out.push(`- **${c.check} @ ${c.env}**${isGating(c.env, required) ? ' (required environment: fails the gate)' : ''}: expected ${c.expected}; observed ${c.observed}`);
    }
    out.push('');
  }
  return out;
}

function claimsSection(claims: ClaimRow[] | undefined): string[] {
  if (!claims) return ['## Verdicts', '', 'The claims phase did not run.', ''];
  const out = ['## Verdicts: every sentence of the seed', '', '| # | section | sentence | verdict | why | evidence |', '|---|---|---|---|---|---|'];
  claims.forEach((c, i) => {
    const ev = c.evidence.map((e) => e.source).filter((s, j, a) => a.indexOf(s) === j).join(', ');
    out.push(`| ${i + 1} | ${cell(c.section)} | ${cell(c.sentence)} | **${c.verdict}** | ${cell(c.reason)} | ${cell(ev)} |`);
  });
  out.push('');
  return out;
}

/** verdicts.md: the gate result, the isolation matrix with contradictions, and the verdict table. */
export function renderVerdictsMarkdown(r: RunResults): string {
  const iso = r.isolation;
  const g = iso ? gate(iso, gateOptionsOf(r)) : undefined;
  const head = [
    `# isobench verdicts — run ${r.runId}`,
    '',
    g === undefined
      ? '**Gate:** not evaluated (no isolation results).'
      : g.ok
        ? `**Gate: PASS** — no contradiction for the required environment(s): ${g.required.join(', ') || 'none'}.`
        : `**Gate: FAIL** — ${g.contradictions.length} contradiction(s), ${g.untested.length} required environment(s) not tested:\n\n${g.failures.map((f) => `- ${f}`).join('\n')}`,
    '',
  ];
  return [...head, ...isolationSection(iso, gateOptionsOf(r).require), ...claimsSection(r.claims)].join('\n');
}
