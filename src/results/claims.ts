import * as z from 'zod';

/*
 * results.claims: one row per sentence of the seed document
 * (docs/container-concepts.en.md). Produced by src/claims (the judges),
 * rendered by src/report.
 */

/**
 * nuanced: the claim is partly true (some parts hold, others do not).
 * undecided: a measured interval still straddles a threshold when sampling
 * stopped (out of budget, at max rounds, or fixed rounds): more data could decide it.
 */
export const verdictSchema = z.enum(['confirmed', 'refuted', 'nuanced', 'undecided', 'not-judged']);
export type Verdict = z.infer<typeof verdictSchema>;

export const claimSubjectSchema = z.enum(['vm', 'container', 'chroot', 'image', 'registry', 'engine']);
export type ClaimSubject = z.infer<typeof claimSubjectSchema>;

export const claimEvidenceSchema = z.object({
  source: z.string().describe('where the evidence comes from: "isolation:processes@container", "scenario:cpu", "facts:portability" ...'),
  detail: z.string().describe('what was observed, in one line a reader can check'),
});
export type ClaimEvidence = z.infer<typeof claimEvidenceSchema>;

export const claimRowSchema = z.object({
  id: z.string().describe('stable id, e.g. "speed.container.exec-same"'),
  section: z.string().describe('seed section heading, e.g. "VM / container / chroot comparison › Speed"'),
  subject: claimSubjectSchema,
  sentence: z.string().describe("the seed's sentence in English"),
  sentencePt: z.string().optional().describe('the Portuguese original'),
  table: z
    .object({ row: z.enum(['Isolation', 'Portability', 'Contents', 'Speed']), column: z.enum(['vm', 'container', 'chroot']) })
    .optional()
    .describe("for the seed's comparison table: which row and column this cell is"),
  verdict: verdictSchema,
  reason: z.string().describe('plain statement of why; for not-judged: "could not judge here: <reason>"'),
  evidence: z.array(claimEvidenceSchema),
});
export type ClaimRow = z.infer<typeof claimRowSchema>;

export const claimsSchema = z.array(claimRowSchema);
