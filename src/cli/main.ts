#!/usr/bin/env node
import { toolVersion } from '../core/version.js';
import { reportError, EXIT, EXIT_CODES_HELP } from './errors.js';
import { asksVersionOnly } from './global-args.js';
import { groupFor } from './commands/groups.js';

/**
 * The only place that decides exit codes; commands return a number or throw.
 * Startup cost matters (people type `bench ctr run` the way they type
 * `docker run`): this file and the command definitions import only
 * commander; only the command group argv names is loaded and registered
 * (all of them for help, completion or an unknown word); each command loads
 * its implementation when it runs.
 */
async function main(argv: string[]): Promise<number> {
  const args = argv.slice(2);
  // The commonest cheap question needs no parser at all (the bundle's entry answers it before this file loads).
  if (asksVersionOnly(args)) {
    process.stdout.write(`${toolVersion()}\n`);
    return EXIT.ok;
  }
  const group = groupFor(args);
  const [{ Command, CommanderError }, commands] = await Promise.all([
    import('commander'),
    group ? group.load() : import('./commands/index.js').then((m) => m.commands),
  ]);
  if (args.some((a) => a === '--help' || a === '-h' || a === 'help')) {
    // Help lists the environment table; only help pays for loading it.
    const [{ environmentNames }, { setEnvironmentNamesForHelp }] = await Promise.all([import('../envs/index.js'), import('./env-help.js')]);
    setEnvironmentNamesForHelp(environmentNames());
  }
  const program = new Command('bench')
    .description('isobench: how a VM, a container and a chroot really compare — measured, with evidence.')
    .version(toolVersion())
    .option('--home <dir>', 'state directory (images, containers, caches); env ISOBENCH_HOME', undefined)
    .option('-q, --quiet', 'no progress output; print only results, ids and errors')
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n\nEnvironment: ISOBENCH_HOME (state directory), ISOBENCH_DEBUG=1 (print stack traces), NO_COLOR (no terminal escapes), CI=true (plain progress lines)`)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  let exitCode: number = EXIT.ok;
  for (const register of commands) register(program, (code) => { exitCode = code; });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.cannotTest;
    return reportError(err);
  }
}

// An error event nobody listened to (a stream, a child) must still end as one line, not a trace.
process.on('uncaughtException', (err) => { process.exitCode = reportError(err); process.exit(); });
process.on('unhandledRejection', (err) => { process.exitCode = reportError(err); process.exit(); });

main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => { process.exitCode = reportError(err); },
);
