import { ProcessError } from '../core/errors.js';

export type LaunchFailure = 'exited-before-ready' | 'timeout' | 'spawn-error' | 'timer-failed' | 'killed';

const TAIL_BYTES = 4000;

/** Last few KB of a process's output, for error messages and results.json. */
export function outputTail(text: string, max = TAIL_BYTES): string {
  return text.length <= max ? text : `…${text.slice(text.length - max)}`;
}

/** A timed launch that never reached its ready token, or did not finish in time. */
export class LaunchError extends ProcessError {
  readonly failure: LaunchFailure;
  readonly outputTail: string;
  readonly commandLine: string[];
  readonly exitCode: number | undefined;

  constructor(failure: LaunchFailure, message: string, tail: string, commandLine: string[], cause?: unknown, exitCode?: number) {
    const hint = failure === 'timeout'
      ? 'raise the scenario timeout or look at the output tail in results.json'
      : failure === 'killed'
        ? 'the harness stopped this run (cleanup or interrupt)'
        : failure === 'timer-failed'
        ? 'rebuild the native helpers with `npm run build`'
        : 'see the output tail in results.json for what the program printed';
    super(`LAUNCH_${failure.toUpperCase().replace(/-/g, '_')}`, message, { cause, hint });
    this.failure = failure;
    this.outputTail = tail;
    this.commandLine = commandLine;
    this.exitCode = exitCode;
  }
}
