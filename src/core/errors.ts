/**
 * Typed errors. Every error the tool raises on purpose is a BenchError with a
 * stable `code` (for JSON results and tests) and a message that says what to
 * fix. Concerns subclass it so callers can branch on `instanceof` without
 * parsing text. Only src/cli prints them and chooses exit codes.
 */
export interface BenchErrorOptions {
  cause?: unknown;
  /** One line telling the user what to do about it. */
  hint?: string;
}

export class BenchError extends Error {
  readonly code: string;
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: BenchErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
  }

  toJSON(): { code: string; message: string; hint?: string } {
    return this.hint === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, hint: this.hint };
  }
}

/** A scenario file or command-line option is wrong. */
export class ConfigError extends BenchError {}
/** Something the host lacks: a binary, root, a kernel feature. */
export class HostRequirementError extends BenchError {}
/** A child process failed or timed out. */
export class ProcessError extends BenchError {}

/** Normalizes anything thrown into { code, message } for results.json. */
export function describeError(err: unknown): { code: string; message: string; hint?: string } {
  if (err instanceof BenchError) return err.toJSON();
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return { code: typeof code === 'string' ? code : 'INTERNAL', message: err.message };
  }
  return { code: 'INTERNAL', message: String(err) };
}
