import { ProcessError } from '../../core/errors.js';
import { outputTail } from '../launch-errors.js';

/** What can go wrong with a session itself (its runs' own failures are LaunchErrors). */
export type SessionFailure = 'exited' | 'ended' | 'busy' | 'abandoned' | 'closed' | 'no-exit-status';

/** A container session's instance stopped, was closed, or a run could not be placed in it. */
export class SessionError extends ProcessError {
  readonly outputTail: string;

  constructor(code: string, message: string, output: string) {
    super(code, message, { hint: 'see the output tail in results.json; the scenario runs one instance per run with --rounds (no sequential sampling)' });
    this.outputTail = outputTail(output);
  }
}

const CODES: Record<SessionFailure, string> = {
  exited: 'SESSION_EXITED',
  ended: 'SESSION_ENDED',
  busy: 'SESSION_BUSY',
  abandoned: 'SESSION_RUN_ABANDONED',
  closed: 'SESSION_CLOSED',
  'no-exit-status': 'SESSION_NO_EXIT_STATUS',
};

/** The SessionError for a failure of a container session. */
export function sessionError(failure: SessionFailure, message: string, output: string): SessionError {
  return new SessionError(CODES[failure], message, output);
}
