/**
 * Reading argv before commander is loaded: the entry answers `--version`
 * and main.ts picks the command group to load from these, so both agree on
 * what the top level's own options are. Keep in step with the options main.ts
 * gives the program (--home, -q/--quiet, -V/--version, -h/--help).
 */

/** The command words the container commands' own entry (ctr-main.ts) serves. */
export const CONTAINER_WORDS: readonly string[] = ['ctr', 'ps'];

/** Top-level options that take a value: the word after them is theirs. */
const VALUE_OPTIONS = new Set(['--home']);

/** How many words the global option at args[i] spans (0: not a global option with its value). */
function globalOptionSpan(args: readonly string[], i: number): number {
  const a = args[i]!;
  if (VALUE_OPTIONS.has(a)) return i + 1 < args.length ? 2 : 0;
  if (a.startsWith('--home=') || a === '-q' || a === '--quiet') return 1;
  return 0;
}

/** True when argv (after `node bench`) asks only for the version: global options, then -V/--version, nothing else. */
export function asksVersionOnly(args: readonly string[]): boolean {
  let i = 0;
  for (let n; i < args.length - 1 && (n = globalOptionSpan(args, i)) > 0;) i += n;
  return i === args.length - 1 && (args[i] === '--version' || args[i] === '-V');
}

/**
 * The command word of argv: the first operand after the global options.
 * undefined when there is none, or when another option comes first (then
 * commander reports it with every command in view).
 */
export function commandWord(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length;) {
    const a = args[i]!;
    if (!a.startsWith('-') || a === '-') return a;
    const n = globalOptionSpan(args, i);
    if (n === 0) return undefined;
    i += n;
  }
  return undefined;
}
