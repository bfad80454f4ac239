import { toolVersion } from '../core/version.js';
import type { RegisterCommand } from './commands/index.js';
import { reportError, EXIT, EXIT_CODES_HELP } from './errors.js';
import { asksVersionOnly } from './global-args.js';

export interface CliCommands {
  /** The command modules to register for these arguments (after `node bench`). */
  load: (args: string[]) => Promise<RegisterCommand[]>;
  /** Runs before help is printed (help lists the environment table; only help pays for loading it). */
  beforeHelp?: () => Promise<void>;
}

/**
 * The only place that decides exit codes; commands return a number or throw.
 * The program's own options and texts live here, so every entry (the full CLI,
 * the container commands' own bundle) parses and fails the same way.
 */
export async function runCli(argv: string[], commands: CliCommands): Promise<number> {
  const args = argv.slice(2);
  // The commonest cheap question needs no parser at all (the bundle's entry answers it before this file loads).
  if (asksVersionOnly(args)) {
    process.stdout.write(`${toolVersion()}\n`);
    return EXIT.ok;
  }
  const [{ Command, CommanderError }, registers] = await Promise.all([import('commander'), commands.load(args)]);
  if (commands.beforeHelp && args.some((a) => a === '--help' || a === '-h' || a === 'help')) await commands.beforeHelp();
  const program = new Command('bench')
    .description('isobench: how a VM, a container and a chroot really compare — measured, with evidence.')
    .version(toolVersion())
    .option('--home <dir>', 'state directory (images, containers, caches); env ISOBENCH_HOME', undefined)
    .option('-q, --quiet', 'no progress output; print only results, ids and errors')
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n\nEnvironment: ISOBENCH_HOME (state directory), ISOBENCH_DEBUG=1 (print stack traces), NO_COLOR (no terminal escapes), CI=true (plain progress lines)`)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  let exitCode: number = EXIT.ok;
  for (const register of registers) register(program, (code) => { exitCode = code; });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.cannotTest;
    return reportError(err);
  }
}

/** Runs the CLI as this process: its exit code, and one line (never a trace) for whatever escapes. */
export function runAsProcess(commands: CliCommands): void {
  // An error event nobody listened to (a stream, a child) must still end as one line, not a trace.
  process.on('uncaughtException', (err) => { process.exitCode = reportError(err); process.exit(); });
  process.on('unhandledRejection', (err) => { process.exitCode = reportError(err); process.exit(); });
  runCli(process.argv, commands).then(
    (code) => { process.exitCode = code; },
    (err: unknown) => { process.exitCode = reportError(err); },
  );
}
