import crypto from 'node:crypto';
import type { TimedProcess } from '../launch.js';
import { LaunchError, outputTail } from '../launch-errors.js';

/** A fresh "session ready" token: what the instance prints once it reads commands. */
export function sessionToken(): string {
  return `isobench-session-${crypto.randomBytes(6).toString('hex')}`;
}

/**
 * An instance's output from its spawn until its session exists: kept, then
 * handed to the session (as idle output) once it does, and the session is
 * fed directly from then on.
 */
export class EarlyOutput {
  private readonly chunks: Buffer[] = [];
  private target: { feed(b: Buffer): void } | undefined;

  /** For LaunchOptions.interactive. */
  readonly onOutput = (b: Buffer): void => {
    if (this.target) this.target.feed(b);
    else this.chunks.push(b);
  };

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }

  /** From now on the output goes to `s`, starting with what came before. */
  attach(s: { feed(b: Buffer): void }): void {
    this.target = s;
    for (const b of this.chunks.splice(0)) s.feed(b);
  }
}

/**
 * Waits for a session's instance to print its ready token within
 * `allowanceMs`; resolves with spawn -> ready (ms, from the timer). If it
 * does not come up, the instance is killed, `reap` removes what it left, and
 * the error says which instance (`what`: "the VM session's guest") with the
 * output it printed (or, when it printed nothing, what the launch saw).
 */
export async function awaitInstanceReady(proc: TimedProcess, allowanceMs: number, what: string, early: EarlyOutput, reap: () => Promise<void>): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      proc.ready,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new LaunchError('timeout', `${what} did not come up within ${allowanceMs} ms`, outputTail(early.text()), proc.commandLine)), allowanceMs);
      }),
    ]);
  } catch (e) {
    proc.kill('SIGTERM');
    await proc.done.catch(() => undefined);
    await reap();
    if (e instanceof LaunchError && e.failure !== 'timeout') {
      throw new LaunchError(e.failure, `${what} did not come up: ${e.message}`, outputTail(early.text()) || e.outputTail, e.commandLine, e);
    }
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
