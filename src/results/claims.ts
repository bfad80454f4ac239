/**
 * One row per sentence of the seed document (docs/container-concepts.en.md).
 * Produced by src/claims (the judges), rendered by src/report.
 */
export type Verdict = 'confirmed' | 'refuted' | 'nuanced' | 'not-judged';
export type ClaimSubject = 'vm' | 'container' | 'chroot' | 'image' | 'registry' | 'engine';

export interface ClaimEvidence {
  /** Where the evidence comes from: "isolation:processes@container", "scenario:cpu", "facts:portability" ... */
  source: string;
  /** What was observed, in one line a reader can check. */
  detail: string;
}

export interface ClaimRow {
  /** Stable id, e.g. "speed.container.exec-same". */
  id: string;
  /** Seed section heading, e.g. "VM / container / chroot comparison › Speed". */
  section: string;
  subject: ClaimSubject;
  /** The seed's sentence in English, and the Portuguese original. */
  sentence: string;
  sentencePt?: string;
  /** For the seed's comparison table: which row and column this cell is. */
  table?: { row: 'Isolation' | 'Portability' | 'Contents' | 'Speed'; column: 'vm' | 'container' | 'chroot' };
  verdict: Verdict;
  /** Plain statement of why; for not-judged: "could not judge here: <reason>". */
  reason: string;
  evidence: ClaimEvidence[];
  /** Time taken to judge this sentence from the run's results. */
  judgeMs?: number;
}
