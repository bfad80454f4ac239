import type { RunPresentation, WorkloadInvocation } from '../types.js';
import type { TimedProcess } from '../launch.js';
import { CommandSession } from '../session/command-session.js';
import type { SessionFailure } from '../session/errors.js';
import { parseGuestConsole } from './console.js';
import { VmGuestError } from './errors.js';

export { sessionRunOutput } from '../session/command-session.js';

/** What the backend hands a session once its guest is up. */
export interface VmSessionParts {
  proc: TimedProcess;
  /** The token the guest printed as "session ready". */
  bootToken: string;
  /** Spawn -> "session ready" (the boot token), from the timer. */
  bootMs: number;
  presentation: RunPresentation;
  /** Removes the VM's dir (kills its QEMU by pidfile first, if still alive). */
  reap: () => Promise<void>;
  /** The backend forgets the session (called once, when it ends). */
  onEnd: () => void;
  /** The environment and working directory a run gets in the guest (as a one-shot run's kernel parameters would say). */
  commandFor: (w: WorkloadInvocation) => { env: Record<string, string>; cwd: string };
}

/** The VM's codes for a session's failures (results.json and tests know them by these). */
const VM_CODES: Record<SessionFailure, string> = {
  exited: 'VM_SESSION_GUEST_EXITED',
  ended: 'VM_SESSION_ENDED',
  busy: 'VM_SESSION_BUSY',
  abandoned: 'VM_SESSION_RUN_ABANDONED',
  closed: 'VM_SESSION_CLOSED',
  'no-exit-status': 'VM_NO_EXIT_STATUS',
};

/**
 * One booted guest serving every run of a scenario (init's session mode,
 * src/native/probe/init-session.c), driven like any session
 * (src/envs/session/command-session.ts). What is the VM's own: the serial
 * console's "\r\n" and kernel lines in the output, its error codes, and the
 * guest whose init predates sessions (it runs its one-shot protocol: prints
 * the boot token, finds nothing to run and reports status 0 for it).
 */
export class VmSession extends CommandSession {
  constructor(parts: VmSessionParts) {
    super({
      proc: parts.proc,
      readyToken: parts.bootToken,
      startMs: parts.bootMs,
      presentation: parts.presentation,
      description: `one VM boot (${(parts.bootMs / 1000).toFixed(1)} s, ${parts.presentation.name} presentation) for every run of this scenario`,
      names: { session: 'VM session', instance: 'guest' },
      reap: parts.reap,
      onEnd: parts.onEnd,
      commandFor: parts.commandFor,
      parse: (text, token) => parseGuestConsole(text, token),
      error: (failure, message, output) => new VmGuestError(VM_CODES[failure], message, output),
      // The guest keeps its own clock; its QEMU can be pinned to a host CPU: a paired run takes turns with a host companion.
      ownClock: true,
      exitedReason: (exitCode, oneShot) => oneShot
        ? 'the VM session\'s guest ran its one-shot protocol instead of session mode (its /isobench/probe predates sessions): rebuild the image with this isobench'
        : `the VM session's guest stopped (QEMU exit status ${exitCode})`,
    });
  }
}
