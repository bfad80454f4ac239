import type { RegisterCommand } from './index.js';
import { commandWord, CONTAINER_WORDS } from '../global-args.js';

/**
 * Which command module defines which top-level words, so that `bench ctr run`
 * loads and registers the container commands only: commander builds every
 * option object of every command it is given, and loading the other command
 * modules would cost as much again. Help, completion, an unknown word or no
 * word at all still get every command (`./index.js`), so their output and
 * commander's "did you mean" suggestions are unchanged.
 */
export interface CommandGroup {
  /** Top-level words the modules register (aliases included). */
  names: readonly string[];
  load: () => Promise<RegisterCommand[]>;
}

export const COMMAND_GROUPS: readonly CommandGroup[] = [
  { names: ['run'], load: async () => [(await import('./run.js')).register] },
  { names: ['doctor'], load: async () => [(await import('./doctor.js')).register] },
  { names: CONTAINER_WORDS, load: async () => [(await import('./ctr.js')).register] },
  { names: ['gc'], load: async () => [(await import('./gc.js')).register] },
  { names: ['reset'], load: async () => [(await import('./reset.js')).register] },
  { names: ['report'], load: async () => [(await import('./report.js')).register] },
  { names: ['compare'], load: async () => [(await import('./compare.js')).register] },
  { names: ['merge'], load: async () => [(await import('./merge.js')).register] },
  // push/pull join the `image` group, after it.
  { names: ['image', 'images'], load: async () => { const [a, b] = await Promise.all([import('./image.js'), import('./image-remote.js')]); return [a.register, b.register]; } },
  { names: ['volume'], load: async () => [(await import('./volume.js')).register] },
  { names: ['verify'], load: async () => [(await import('./verify.js')).register] },
];

/**
 * The group that defines the command word of argv. A subcommand's help lists
 * only that command, so `bench ctr run --help` needs only its group too; the
 * top-level help has no word (or the word `help`) and gets every command.
 */
export function groupFor(args: readonly string[]): CommandGroup | undefined {
  const word = commandWord(args);
  return word === undefined ? undefined : COMMAND_GROUPS.find((g) => g.names.includes(word));
}
