#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { commands } from './commands/index.js';
import { reportError } from './errors.js';
import { toolVersion } from '../core/version.js';

/** The only place that decides exit codes; commands return a number or throw. */
async function main(argv: string[]): Promise<number> {
  const program = new Command('bench')
    .description('isobench: how a VM, a container and a chroot really compare — measured, with evidence.')
    .version(toolVersion())
    .option('--home <dir>', 'state directory (images, containers, caches); env ISOBENCH_HOME', undefined)
    .showHelpAfterError()
    .exitOverride();
  let exitCode = 0;
  for (const register of commands) register(program, (code) => { exitCode = code; });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    return reportError(err);
  }
}

main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => { process.exitCode = reportError(err); },
);
