/**
 * The seed's comparison table (Isolation, Portability, Contents, Speed × VM,
 * Container, Chroot) rebuilt from this run's claim rows. The seed's own words
 * are kept here so every cell shows the claim even when the claims phase did
 * not run; the verdicts and evidence come only from results.json.
 */
import type { ClaimRow, Verdict } from '../../results/claims.js';
import type { RunResults } from '../../results/types.js';
import { claimsOf } from './access.js';

export const SEED_ROWS = ['Isolation', 'Portability', 'Contents', 'Speed'] as const;
export const SEED_COLUMNS = ['vm', 'container', 'chroot'] as const;
export type SeedRow = (typeof SEED_ROWS)[number];
export type SeedColumn = (typeof SEED_COLUMNS)[number];

export const COLUMN_TITLES: Record<SeedColumn, string> = { vm: 'Virtual machine', container: 'Container', chroot: 'Chroot' };

/** The seed document's cells, verbatim (docs/container-concepts.en.md). */
export const SEED_TEXT: Record<SeedRow, Record<SeedColumn, string>> = {
  Isolation: { vm: 'Total isolation.', container: 'Isolation of the filesystem, the processes and the network.', chroot: 'Isolation of the filesystem only.' },
  Portability: { vm: 'Completely portable.', container: 'Completely portable.', chroot: 'Not portable.' },
  Contents: {
    vm: 'A complete OS with its own kernel.',
    container: "A complete OS, but it uses the host's kernel. Most of the time the complete OS is not needed: only what the application needs to run (libraries and applications) can be kept.",
    chroot: 'Anything you want.',
  },
  Speed: {
    vm: "Relatively fast to start. Its execution speed is CLOSE to the host's.",
    container: "VERY fast start. Its execution speed is the SAME as the host's.",
    chroot: "VERY fast start. Its execution speed is the SAME as the host's.",
  },
};

export interface SeedCell {
  row: SeedRow;
  column: SeedColumn;
  seed: string;
  /** Claim rows judged for this cell (a cell may hold several sentences). */
  claims: ClaimRow[];
  /** Set when nothing in this cell could be judged: "could not judge here: <reason>". */
  notJudged?: string;
}

export function buildSeedTable(r: RunResults): SeedCell[][] {
  const claims = claimsOf(r);
  return SEED_ROWS.map((row) => SEED_COLUMNS.map((column) => {
    const mine = (claims ?? []).filter((c) => c.table?.row === row && c.table.column === column);
    const cell: SeedCell = { row, column, seed: SEED_TEXT[row][column], claims: mine };
    if (!claims) cell.notJudged = 'could not judge here: this run has no claim verdicts (the claims phase did not run or failed)';
    else if (mine.length === 0) cell.notJudged = 'could not judge here: no verdict for this cell in results.json';
    else if (mine.every((c) => c.verdict === 'not-judged')) cell.notJudged = notJudgedText(mine[0]?.reason ?? '');
    return cell;
  }));
}

/** Reasons are written "could not judge here: ..." by the judges; make sure the prefix is there exactly once. */
export function notJudgedText(reason: string): string {
  const r = reason.trim();
  return /^could not judge here/i.test(r) ? r : `could not judge here: ${r || 'no reason given'}`;
}

export const VERDICT_LABEL: Record<Verdict, string> = { confirmed: 'confirmed', refuted: 'refuted', nuanced: 'nuanced: partly true', undecided: 'undecided: out of budget', 'not-judged': 'not judged' };

export function verdictCounts(claims: readonly ClaimRow[]): Record<Verdict, number> {
  const out: Record<Verdict, number> = { confirmed: 0, refuted: 0, nuanced: 0, undecided: 0, 'not-judged': 0 };
  for (const c of claims) if (c.verdict in out) out[c.verdict]++;
  return out;
}

/** Claims about images, registry and engine (outside the comparison table). */
export function artifactClaims(r: RunResults): ClaimRow[] {
  return (claimsOf(r) ?? []).filter((c) => !c.table && (c.subject === 'image' || c.subject === 'registry' || c.subject === 'engine' || c.section.startsWith('Artifacts')));
}
