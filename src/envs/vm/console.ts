import { escapeRe } from '../session/protocol.js';

/**
 * Turning what QEMU's serial console printed after the ready token into the
 * workload's own output. The guest tty turns "\n" into "\r\n"; the kernel may
 * print warnings ("[    1.234] ...") at any time, even mid-line, and says
 * "reboot: Restarting system" after init asks for the reset. init.c ends the
 * workload's part with "\nisobench.exit <token> <status>".
 */
export interface GuestResult {
  output: string;
  /** Undefined when the exit marker never came (guest crashed, panicked or was killed). */
  exitCode: number | undefined;
  /** Kernel lines removed from the output, kept for diagnostics. */
  kernelLines: string[];
}

const KMSG_RE = /\[\s*\d+\.\d{6}\][^\n]*(\n|$)/g;

export function parseGuestConsole(afterToken: string, token: string): GuestResult {
  const text = afterToken.replace(/\r/g, '');
  const marker = new RegExp(`\\n?isobench\\.exit ${escapeRe(token)} (\\d+)\\n`, 'g');
  let exitCode: number | undefined;
  let body = text;
  let m: RegExpExecArray | null;
  let last: RegExpExecArray | undefined;
  while ((m = marker.exec(text)) !== null) last = m;
  if (last) {
    exitCode = Number(last[1]);
    body = text.slice(0, last.index);
  }
  const kernelLines: string[] = [];
  const output = body.replace(KMSG_RE, (line) => { kernelLines.push(line.trimEnd()); return ''; });
  return { output, exitCode, kernelLines };
}
