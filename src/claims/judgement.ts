import type { ClaimEvidence, ClaimRow, ClaimSubject, Verdict } from '../results/claims.js';
import type { RunResults } from '../results/types.js';

/** What a judge decides for one seed sentence. */
export interface Judgement {
  verdict: Verdict;
  reason: string;
  evidence: ClaimEvidence[];
}

export type Judge = (r: RunResults) => Judgement;

/** A catalogue entry: the seed sentence and how it is judged. */
export interface ClaimSpec extends Omit<ClaimRow, 'verdict' | 'reason' | 'evidence'> {
  subject: ClaimSubject;
  judge: Judge;
}

export function notJudged(reason: string, evidence: ClaimEvidence[] = []): Judgement {
  return { verdict: 'not-judged', reason: `could not judge here: ${reason}`, evidence };
}

/**
 * Combines per-part verdicts: all confirmed -> confirmed; all refuted ->
 * refuted; parts that hold beside parts that do not -> nuanced (partly true,
 * whatever is still open); otherwise, with a part still open -> undecided.
 */
export function combine(verdicts: Verdict[]): Verdict {
  const judged = verdicts.filter((v) => v !== 'not-judged');
  if (judged.length === 0) return 'not-judged';
  if (judged.every((v) => v === 'confirmed')) return 'confirmed';
  if (judged.every((v) => v === 'refuted')) return 'refuted';
  if (judged.includes('nuanced') || (judged.includes('confirmed') && judged.includes('refuted'))) return 'nuanced';
  return 'undecided';
}
