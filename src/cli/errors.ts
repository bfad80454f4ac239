import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BenchError, ConfigError, HostRequirementError } from '../core/errors.js';
import { fsUserError, isFsErrno } from '../core/fs-errors.js';

/**
 * Exit codes, decided here and nowhere else (README "Exit codes" and every
 * --help that can exit non-zero print this table).
 */
export const EXIT = {
  ok: 0,
  /** A finding: verify contradiction, compare regression, a failed step (a full or read-only disk, a held run lock). */
  failure: 1,
  /** Could not test or bad input: usage error, missing requirement (root, a tool), a required environment skipped. */
  cannotTest: 2,
  /** A bug in isobench: an error it did not expect. */
  internal: 70,
  /** Ctrl-C. */
  interrupted: 130,
} as const;

export const EXIT_CODES_HELP = [
  'Exit codes:',
  '  0    success',
  '  1    a finding or a failed step: a contradiction in a required environment, a regression, a disk full/read-only, another run holding the home',
  '  2    could not test: bad option or input, missing requirement (root, a tool), a required environment skipped or failed',
  '  70   internal error (trace written to <home>/logs/; ISOBENCH_DEBUG=1 prints it)',
  '  130  interrupted (Ctrl-C); 143 terminated (SIGTERM)',
].join('\n');

/** A single line: terminals, CI logs and the error table test all read one line per failure. */
function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' | ').trim();
}

/** Where a trace goes: <home>/logs/, or the temp dir when the home is not writable (a non-root user). */
function writeTrace(err: Error, home: string): string | undefined {
  const name = `error-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}.log`;
  const body = `isobench ${process.argv.slice(2).join(' ')}\n${err.stack ?? err.message}\n${err.cause instanceof Error ? `cause: ${err.cause.stack ?? err.cause.message}\n` : ''}`;
  for (const dir of [path.join(home, 'logs'), path.join(os.tmpdir(), 'isobench-logs')]) {
    try {
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, name);
      writeFileSync(file, body);
      return file;
    } catch { /* try the next place */ }
  }
  return undefined;
}

/** The home for logs, read from argv/env without needing commander (errors can come before parsing). */
export function homeFromArgv(argv: string[] = process.argv, env: NodeJS.ProcessEnv = process.env): string {
  const i = argv.findIndex((a) => a === '--home' || a.startsWith('--home='));
  const v = i < 0 ? undefined : argv[i]!.includes('=') ? argv[i]!.slice('--home='.length) : argv[i + 1];
  return path.resolve(v ?? env.ISOBENCH_HOME ?? '/var/lib/isobench');
}

/**
 * Prints an error the way users read it — one line, the hint on the same
 * line — and returns the exit code for it. A stack trace is printed only with
 * ISOBENCH_DEBUG=1; an unexpected error's trace is always kept in a file whose
 * path is printed.
 */
export function reportError(err: unknown, home: string = homeFromArgv()): number {
  const debug = process.env.ISOBENCH_DEBUG === '1' || process.env.ISOBENCH_DEBUG === 'true';
  // A filesystem refusing (ENOSPC, EROFS, EACCES ...) is the user's to fix: one line with path and errno.
  if (!(err instanceof BenchError) && isFsErrno(err)) err = fsUserError(err);
  if (err instanceof BenchError) {
    process.stderr.write(`Error: ${oneLine(err.message)}${err.hint ? ` (hint: ${oneLine(err.hint)})` : ''}\n`);
    if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
    return err instanceof ConfigError || err instanceof HostRequirementError ? EXIT.cannotTest : EXIT.failure;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  const trace = writeTrace(e, home);
  process.stderr.write(`Error: internal: ${oneLine(e.message)} (${trace ? `trace in ${trace}` : 'no trace file could be written'}; ISOBENCH_DEBUG=1 prints it)\n`);
  if (debug && e.stack) process.stderr.write(`${e.stack}\n`);
  return EXIT.internal;
}
