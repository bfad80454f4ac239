import type { Command } from 'commander';

/**
 * Each command module exports `register(program, setExitCode)`. One file per
 * command (or command group) keeps main.ts free of command logic.
 */
export type RegisterCommand = (program: Command, setExitCode: (code: number) => void) => void;

export const commands: RegisterCommand[] = [
  // Added by each feature: run, doctor, verify, report, compare, image, ctr, volume, gc ...
];
