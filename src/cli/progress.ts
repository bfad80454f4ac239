import type { ProgressSink, RunStep } from '../measure/progress.js';

/**
 * Terminal progress of `bench run`: one status line, rewritten in place,
 * showing scenario × env × round, runs done / total and an ETA; stages and
 * failures scroll above it. Plain one-line-per-event output when stderr is
 * not a TTY, CI=true, NO_COLOR is set or TERM=dumb (logs stay readable, no
 * terminal escapes). Written to stderr so stdout carries only the final
 * summary. --quiet keeps warnings and failures only.
 * ISOBENCH_TIMING=1 stamps each stage line with milliseconds and the time
 * since the previous stage line, so the untimed fixed cost of a run (checks,
 * preparing, phases, cleanup) can be read off the log stage by stage.
 */
export function createProgress(stream: NodeJS.WriteStream = process.stderr, env: NodeJS.ProcessEnv = process.env, opts: { quiet?: boolean } = {}): ProgressSink {
  const quiet = opts.quiet ?? false;
  const fancy = !quiet && Boolean(stream.isTTY) && env.CI !== 'true' && env.CI !== '1' && !env.NO_COLOR && env.TERM !== 'dumb';
  const t0 = Date.now();
  const timing = env.ISOBENCH_TIMING === '1' || env.ISOBENCH_TIMING === 'true';
  let lastStage = t0;
  let runsDone = 0;
  let runMsTotal = 0;
  let status = '';

  const eta = (step: RunStep): string => {
    if (runsDone === 0) return '';
    const left = Math.max(0, step.total - step.index);
    const s = Math.round(((runMsTotal / runsDone) * left) / 1000);
    return ` ETA ${s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`}`;
  };
  const label = (step: RunStep): string =>
    `${step.scenario} × ${step.env} × ${step.warmup ? 'warm-up' : `round ${step.round}/${step.rounds}`}`;
  const clear = (): void => { if (fancy && status) stream.write('\r\x1b[2K'); };
  const line = (text: string): void => {
    clear();
    stream.write(`${text}\n`);
    if (fancy && status) stream.write(status);
  };
  const elapsed = (): string => {
    const now = Date.now();
    if (!timing) return `${((now - t0) / 1000).toFixed(0)}s`;
    const since = now - lastStage;
    lastStage = now;
    return `${((now - t0) / 1000).toFixed(3)}s +${(since / 1000).toFixed(3)}s`;
  };

  return {
    stage(text) {
      if (quiet) return;
      // A new stage ends the previous run's status line.
      clear();
      status = '';
      line(`[${elapsed()}] ${text}`);
    },
    runStarted(step) {
      if (quiet) return;
      const text = `[${step.index}/${step.total}] ${label(step)}${eta(step)}`;
      if (fancy) {
        clear();
        const cols = stream.columns && stream.columns > 20 ? stream.columns : 100;
        status = text.slice(0, cols - 1);
        stream.write(status);
      } else {
        stream.write(`${text}\n`);
      }
    },
    runFinished(step, outcome) {
      runsDone++;
      runMsTotal += outcome.ms;
      if (!outcome.ok) line(`  FAILED ${label(step)}: ${outcome.error ?? 'unknown error'}`);
    },
    warn(text) { line(`warning: ${text}`); },
    close() {
      clear();
      status = '';
    },
  };
}
