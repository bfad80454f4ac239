import type { ClaimRow } from '../results/claims.js';
import type { RunResults } from '../results/types.js';
import { describeError } from '../core/errors.js';
import { CATALOGUE } from './catalogue.js';
import type { ClaimSpec } from './judgement.js';

/** Judges every catalogued sentence; a judge that throws yields not-judged with the error, never a lost row. */
export function judgeClaims(r: RunResults, catalogue: readonly ClaimSpec[] = CATALOGUE): ClaimRow[] {
  return catalogue.map(({ judge, ...spec }) => {
    try {
      return { ...spec, ...judge(r) };
    } catch (err) {
      return { ...spec, verdict: 'not-judged' as const, reason: `could not judge here: the judge failed (${describeError(err).message})`, evidence: [] };
    }
  });
}

export function verdictCounts(rows: ClaimRow[]): Record<ClaimRow['verdict'], number> {
  const c = { confirmed: 0, refuted: 0, nuanced: 0, undecided: 0, 'not-judged': 0 };
  for (const r of rows) c[r.verdict]++;
  return c;
}
