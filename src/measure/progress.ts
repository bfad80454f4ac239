/**
 * What the measurement loop tells whoever displays progress. The CLI renders
 * it (src/cli/progress.ts); tests and library users pass NO_PROGRESS.
 */
export interface RunStep {
  scenario: string;
  env: string;
  /** 1-based measured round, or 0 for a warm-up run. */
  round: number;
  rounds: number;
  warmup: boolean;
  /** 1-based index of this run among all runs of the whole `bench run`. */
  index: number;
  total: number;
}

export interface ProgressSink {
  /** A stage of the run (building the image, preparing chroot, a phase ...). */
  stage(text: string): void;
  runStarted(step: RunStep): void;
  runFinished(step: RunStep, outcome: { ok: boolean; ms: number; error?: string }): void;
  warn(text: string): void;
  close(): void;
}

export const NO_PROGRESS: ProgressSink = {
  stage: () => {},
  runStarted: () => {},
  runFinished: () => {},
  warn: () => {},
  close: () => {},
};
