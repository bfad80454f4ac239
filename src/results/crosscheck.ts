/** results.facts.startupCrossCheck: the harness clock against hyperfine, in like conditions. */
export interface CrossCheckBlock {
  tool: 'isobench-timer' | 'hyperfine';
  runs: number;
  /** Median of the block, ms (timer: spawn -> ready token; hyperfine: spawn -> exit). */
  medianMs: number;
}

export interface StartupCrossCheck {
  status: 'ok' | 'skipped' | 'failed';
  reason?: string;
  /** Exact hyperfine command line of one block. */
  command?: string[];
  /** Exact isobench-timer command line of one run. */
  timerCommand?: string[];
  /** The blocks in the order they ran (timer and hyperfine alternate, back to back). */
  blocks?: CrossCheckBlock[];
  /** Median over every hyperfine run of every block. */
  hyperfineMedianMs?: number;
  hyperfineMeanMs?: number;
  hyperfineRuns?: number;
  /** Median over every timer run of every block: spawn -> ready token, the startup definition. */
  benchMedianMs?: number;
  /** The same runs' spawn -> exit median (what hyperfine measures). */
  benchExitMedianMs?: number;
  benchRuns?: number;
  /** benchExitMedianMs / hyperfineMedianMs: the same quantity (spawn -> exit) by both tools. */
  ratio?: number;
  /** benchMedianMs / hyperfineMedianMs (token vs exit: slightly below the ratio). */
  readyRatio?: number;
  withinTolerance?: boolean;
  tolerance?: number;
  /** The host median of this run's startup scenario, kept as its own figure (measured between other environments' runs). */
  scenarioHostMedianMs?: number;
}
