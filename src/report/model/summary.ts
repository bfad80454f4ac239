/**
 * The answer first: one row per environment (startup, speed range, isolation,
 * accelerator) and one sentence per seed section. Both reports open with it.
 */
import type { ClaimRow, Verdict } from '../../results/claims.js';
import type { RunResults } from '../../results/types.js';
import { acceleratorOf, claimsOf, envLabel, envOrder, isolationOf, okEnv, startupScenario } from './access.js';
import { fmtMs, fmtR } from './format.js';
import { VERDICT_LABEL } from './seed-table.js';
import { speedTable } from './speed.js';
import type { Cell, Table } from './tables.js';

export interface SummaryRow {
  env: string;
  label: string;
  startupMs?: number;
  startupN?: number;
  /** Lowest and highest speed ratio to the host over the comparable speed scenarios (1 = host). */
  speedLo?: number;
  speedHi?: number;
  speedCells: number;
  /** Checks observed isolated / checks where isolation applies; checks as the seed expects / judged. */
  isolated?: number;
  applicable?: number;
  asExpected?: number;
  judged?: number;
  accelerator: string;
}

export function summaryRows(r: RunResults): SummaryRow[] {
  const st = startupScenario(r);
  const speed = speedTable(r).flat();
  const iso = isolationOf(r);
  return envOrder(r).map((env) => {
    const row: SummaryRow = { env, label: envLabel(r, env), speedCells: 0, accelerator: accelText(r, env) };
    const s = st ? okEnv(st, env)?.stats.startupMs : undefined;
    if (s && st?.primaryMetric.name === 'startupMs') { row.startupMs = s.median; row.startupN = s.n; }
    const cells = speed.filter((c) => c.env === env && c.speed !== undefined && !c.notComparable);
    if (cells.length) {
      row.speedLo = Math.min(...cells.map((c) => c.speed!));
      row.speedHi = Math.max(...cells.map((c) => c.speed!));
      row.speedCells = cells.length;
    }
    const checks = iso?.checks.filter((c) => c.env === env) ?? [];
    if (checks.length) {
      const applicable = checks.filter((c) => c.isolation === 'isolated' || c.isolation === 'exposed');
      row.applicable = applicable.length;
      row.isolated = applicable.filter((c) => c.isolation === 'isolated').length;
      const judged = checks.filter((c) => c.outcome !== 'not-applicable');
      row.judged = judged.length;
      row.asExpected = judged.filter((c) => c.outcome === 'as-claimed').length;
    }
    return row;
  });
}

function accelText(r: RunResults, env: string): string {
  const a = acceleratorOf(r, env);
  if (a === 'tcg') return 'TCG emulated';
  if (a === 'kvm') return 'KVM';
  const kind = r.environments.find((e) => e.name === env)?.kind;
  return kind === 'vm' ? '–' : 'native';
}

const c = (text: string, extra: Omit<Cell, 'text'> = {}): Cell => ({ text, ...extra });

export function summaryTable(r: RunResults): Table {
  return {
    headers: ['env', 'startup', 'speed ÷ host', 'isolated', 'accel.'],
    rows: summaryRows(r).map((x) => {
      const speed = x.env === 'host' ? c('1 (base)', { detail: 'the baseline every ratio is relative to' })
        : x.speedLo === undefined ? c('–', { tone: 'na' })
          : c(x.speedLo === x.speedHi ? `×${fmtR(x.speedLo)}` : `×${fmtR(x.speedLo)}–${fmtR(x.speedHi)}`, {
            ...(x.accelerator.startsWith('TCG') ? { tone: 'warn' as const } : {}),
            detail: `lowest and highest ratio to the host over ${x.speedCells} comparable speed scenario(s); 1 = host speed, lower = slower`,
          });
      const iso = x.applicable === undefined || x.applicable === 0 ? c('–', { tone: 'na', ...(x.applicable === 0 ? { detail: 'no check could tell isolated from exposed here' } : {}) })
        : c(`${x.isolated} of ${x.applicable}`, {
          tone: x.applicable === 0 ? 'na' : x.isolated === x.applicable ? 'ok' : x.isolated === 0 ? 'bad' : 'mixed',
          detail: `${x.isolated} of ${x.applicable} applicable checks observed isolated from the host; ${x.asExpected} of ${x.judged} judged checks behave as the seed expects for this kind of environment`,
        });
      return [c(x.label), c(x.startupMs === undefined ? '–' : fmtMs(x.startupMs), x.startupN ? { detail: `median of ${x.startupN} runs, spawn to the ready marker` } : {}), speed, iso,
        c(x.accelerator, x.accelerator.startsWith('TCG') ? { tone: 'warn' } : {})];
    }),
  };
}

const ORDER: Verdict[] = ['refuted', 'nuanced', 'undecided', 'not-judged', 'confirmed'];

/** One sentence per seed section: how its claims came out, naming the one a reader most needs to see. */
export function sectionSentences(r: RunResults): { section: string; sentence: string; verdicts: Record<string, number> }[] {
  // Sections in the seed's order (the catalogue's), each once.
  const claims = claimsOf(r) ?? [];
  const sections = [...new Set(claims.map((x) => x.section))];
  return sections.map((section) => {
    const rows = claims.filter((x) => x.section === section);
    const counts: Record<string, number> = {};
    for (const x of rows) counts[x.verdict] = (counts[x.verdict] ?? 0) + 1;
    const tally = ORDER.filter((v) => counts[v]).map((v) => `${counts[v]} ${VERDICT_LABEL[v]}`).join(', ');
    const focus = ORDER.map((v) => rows.find((x) => x.verdict === v)).find((x): x is ClaimRow => x !== undefined && x.verdict !== 'confirmed');
    // Short enough for a phone's first screens: the reasons are one tap away in the verdict table.
    const head = rows.length === 1 ? `“${clip(rows[0]!.sentence, 70)}” is ${VERDICT_LABEL[rows[0]!.verdict]}` : tally;
    const why = focus && rows.length > 1 ? `; e.g. “${clip(focus.sentence, 60)}” is ${VERDICT_LABEL[focus.verdict].replace(/:.*$/, '')}` : '';
    return { section: section.replace(/^VM \/ container \/ chroot comparison › /, 'Comparison › '), sentence: `${head}${why}.`.replace(/\.\.$/, '.'), verdicts: counts };
  });
}

function clip(s: string, n: number): string {
  const t = s.trim().replace(/\s+/g, ' ');
  return t.length <= n ? t : `${t.slice(0, n - 1).replace(/[\s,;:]+\S*$/, '')}…`;
}
