import { ConfigError } from '../../core/errors.js';
import { TOKEN_RE, b64url, decodeEnvList, decodeList, encodeList, fromB64url } from '../session/b64list.js';

/**
 * What the guest's init (src/native/probe/init.c) runs, carried on the kernel
 * command line. Dotted names are module parameters of a module that does not
 * exist: the kernel neither parses them nor passes them to init as argv or
 * environment, and base64url (no padding) keeps spaces, quotes and '=' out of
 * its tokenizer. Lists are NUL-terminated elements, like /proc/<pid>/cmdline.
 */
export interface GuestCommand {
  token: string;
  argv: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Disk presentation: kernel modules to load (paths in the initramfs, in order) and the root device. */
  modules?: string[];
  root?: string;
}

/** x86's COMMAND_LINE_SIZE: the kernel silently truncates beyond it. */
export const KERNEL_CMDLINE_MAX = 2048;

/** The isobench.* kernel parameters for one guest command. */
export function encodeGuestParams(cmd: GuestCommand): string[] {
  if (!TOKEN_RE.test(cmd.token)) {
    throw new ConfigError('VM_BAD_TOKEN', `ready token ${JSON.stringify(cmd.token)} cannot go on a kernel command line`, { hint: 'use letters, digits and ._:@+- only' });
  }
  // An empty argv (the startup workload) means: print the token, run nothing.
  const out = [`isobench.token=${cmd.token}`];
  if (cmd.argv.length > 0) out.push(`isobench.argv=${encodeList(cmd.argv)}`);
  if (cmd.env) out.push(`isobench.env=${encodeList(Object.entries(cmd.env).map(([k, v]) => `${k}=${v}`))}`);
  if (cmd.cwd) out.push(`isobench.cwd=${b64url(Buffer.from(cmd.cwd, 'utf8'))}`);
  if (cmd.modules?.length) out.push(`isobench.modules=${encodeList(cmd.modules)}`);
  if (cmd.root) {
    if (!/^\/dev\/[a-z0-9]+$/.test(cmd.root)) throw new ConfigError('VM_BAD_ROOT', `root device ${JSON.stringify(cmd.root)} is not /dev/<name>`);
    out.push(`isobench.root=${cmd.root}`);
  }
  return out;
}

/** Joins kernel parameters and refuses a line the kernel would truncate. */
export function joinKernelCmdline(params: string[]): string {
  const line = params.join(' ');
  if (Buffer.byteLength(line) >= KERNEL_CMDLINE_MAX) {
    throw new ConfigError('VM_CMDLINE_TOO_LONG', `the guest kernel command line is ${Buffer.byteLength(line)} bytes; the kernel keeps only ${KERNEL_CMDLINE_MAX - 1}`, { hint: 'shorten the workload argv or environment for the vm environment' });
  }
  return line;
}

/** Inverse of encodeGuestParams over a whole command line (what init.c does; used by tests and diagnostics). */
export function decodeGuestParams(cmdline: string): GuestCommand | undefined {
  const get = (name: string): string | undefined => {
    for (const word of cmdline.split(/\s+/)) if (word.startsWith(`${name}=`)) return word.slice(name.length + 1);
    return undefined;
  };
  const token = get('isobench.token');
  const argv = get('isobench.argv');
  if (token === undefined) return undefined;
  const cmd: GuestCommand = { token, argv: argv === undefined ? [] : decodeList(argv) };
  const env = get('isobench.env');
  if (env !== undefined) cmd.env = decodeEnvList(env);
  const cwd = get('isobench.cwd');
  if (cwd !== undefined) cmd.cwd = fromB64url(cwd).toString('utf8');
  const modules = get('isobench.modules');
  if (modules !== undefined) cmd.modules = decodeList(modules);
  const root = get('isobench.root');
  if (root !== undefined) cmd.root = root;
  return cmd;
}

/**
 * Session mode (init-session.c): the kernel parameter that makes init keep
 * the guest up and read commands from the console after its setup.
 */
export const SESSION_PARAM = 'isobench.session=1';
