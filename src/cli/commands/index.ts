import type { Command } from 'commander';
import { register as image } from './image.js';
import { register as imageRemote } from './image-remote.js';
import { register as volume } from './volume.js';
import { register as verify } from './verify.js';
import { register as run } from './run.js';
import { register as doctor } from './doctor.js';
import { register as ctr } from './ctr.js';
import { register as gc } from './gc.js';
import { register as reset } from './reset.js';
import { register as report } from './report.js';
import { register as compare } from './compare.js';
import { register as completion } from './completion.js';
import { register as merge } from './merge.js';

/**
 * Each command module exports `register(program, setExitCode)`. One file per
 * command (or command group) keeps main.ts free of command logic. A command
 * module imports only commander and leaf modules at the top; its action
 * imports the implementation, so `bench --help` or `bench ctr ps` does not
 * load the measurement pipeline, the reports or every backend.
 */
export type RegisterCommand = (program: Command, setExitCode: (code: number) => void) => void;

export const commands: RegisterCommand[] = [
  run,
  doctor,
  ctr,
  gc,
  reset,
  report,
  compare,
  merge,
  image,
  imageRemote, // after `image`: its push/pull join that command group
  volume,
  verify,
  // Last: it reads every command above to write the completion script.
  completion,
];
