import { describeError } from '../../core/errors.js';
import type { PhaseContext, RunPhase } from './types.js';

export interface PhaseOutcome {
  name: string;
  /** interrupted: not run because the user stopped the run before it. */
  status: 'ok' | 'failed' | 'interrupted';
  ms: number;
  error?: ReturnType<typeof describeError>;
}

/**
 * Runs the phases in order. A failing phase is recorded in results.warnings
 * and the next one still runs (a broken isolation probe must not cost the
 * claims table). `save` runs after every phase so what a phase measured is
 * on disk before the next one starts. Once ctx.signal is aborted no further
 * phase starts.
 */
export async function runPhases(phases: readonly RunPhase[], ctx: PhaseContext, save: () => Promise<void>): Promise<PhaseOutcome[]> {
  const outcomes: PhaseOutcome[] = [];
  for (const phase of phases) {
    // A stop request is honoured between phases: the rest are listed as not run.
    if (ctx.signal?.aborted) { outcomes.push({ name: phase.name, status: 'interrupted', ms: 0 }); continue; }
    ctx.progress(`phase ${phase.name}`);
    const t0 = performance.now();
    try {
      await phase.run(ctx);
      outcomes.push({ name: phase.name, status: 'ok', ms: performance.now() - t0 });
    } catch (err) {
      const error = describeError(err);
      ctx.results.warnings.push(`phase ${phase.name} failed: ${error.code}: ${error.message}`);
      outcomes.push({ name: phase.name, status: 'failed', ms: performance.now() - t0, error });
    }
    await save();
  }
  return outcomes;
}
