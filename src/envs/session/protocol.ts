import { ConfigError } from '../../core/errors.js';
import { TOKEN_RE, b64url, decodeEnvList, decodeList, encodeList, fromB64url } from './b64list.js';

/**
 * The session protocol (src/native/probe/session-loop.c reads it): what the
 * harness writes to a session's stdin, one line per run, and the line that
 * ends it. The same for a VM guest's init (on its console) and a container's
 * PID 1 (`probe session TOKEN`, on its stdin pipe).
 */

/** A token as a literal inside a RegExp: the reply and exit markers that carry it are matched with it. */
export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The line that ends a session (the reader resets and exits; a VM guest halts). */
export const SESSION_HALT = 'isobench.halt\n';
/** The reader takes at most this much per command line. */
export const SESSION_LINE_MAX = 65536;

/** One command of a session: what the reader runs next, as one line. */
export interface SessionCommand {
  token: string;
  argv: string[];
  /** Absent: the reader's default environment (a VM's init: PATH, HOME, TERM; a container: its own). */
  env?: Record<string, string>;
  /** Absent: the reader's working directory (a VM's init: /; a container: its workdir). */
  cwd?: string;
}

/**
 * `isobench.run TOKEN ARGV ENV CWD\n`: base64url fields, `-` for an absent
 * env or cwd. No limit of 2048 bytes here (a kernel command line's), only
 * the reader's line buffer.
 */
export function encodeSessionCommand(cmd: SessionCommand): string {
  if (!TOKEN_RE.test(cmd.token)) {
    throw new ConfigError('SESSION_BAD_TOKEN', `ready token ${JSON.stringify(cmd.token)} cannot go on a session command line`, { hint: 'use letters, digits and ._:@+- only' });
  }
  if (cmd.argv.length === 0) throw new ConfigError('SESSION_EMPTY_ARGV', 'a session run needs a command (the startup workload starts its own instance)');
  const env = cmd.env && Object.keys(cmd.env).length > 0 ? encodeList(Object.entries(cmd.env).map(([k, v]) => `${k}=${v}`)) : '-';
  const cwd = cmd.cwd ? b64url(Buffer.from(cmd.cwd, 'utf8')) : '-';
  const line = `isobench.run ${cmd.token} ${encodeList(cmd.argv)} ${env} ${cwd}\n`;
  if (Buffer.byteLength(line) >= SESSION_LINE_MAX) {
    throw new ConfigError('SESSION_LINE_TOO_LONG', `the session command is ${Buffer.byteLength(line)} bytes; the session reads at most ${SESSION_LINE_MAX - 1}`, { hint: 'shorten the workload argv or environment' });
  }
  return line;
}

/** Inverse of encodeSessionCommand (what session-loop.c does; for tests and diagnostics). */
export function decodeSessionCommand(line: string): SessionCommand | undefined {
  const f = line.replace(/\r?\n$/, '').split(' ').filter((x) => x !== '');
  if (f.length !== 5 || f[0] !== 'isobench.run') return undefined;
  const [, token, argv, env, cwd] = f as [string, string, string, string, string];
  const cmd: SessionCommand = { token, argv: decodeList(argv) };
  if (env !== '-') cmd.env = decodeEnvList(env);
  if (cwd !== '-') cmd.cwd = fromB64url(cwd).toString('utf8');
  return cmd;
}
