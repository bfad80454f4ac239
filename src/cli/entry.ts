#!/usr/bin/env node
/**
 * What `bench` starts. It answers `--version` (also after the global options,
 * e.g. `--home H --version`) without loading anything else, sends the
 * container commands to their own entry, and everything else to the full CLI
 * (./main.ts). Node spends tens of milliseconds on the modules a full start
 * loads; a version check needs none of them, a container start few.
 */
import { asksVersionOnly, commandWord, CONTAINER_WORDS } from './global-args.js';

/** Put in by the bundler (scripts/bundle.mjs) from package.json; absent when run from tsc's output. */
declare const __ISOBENCH_VERSION__: string | undefined;

/**
 * A specifier the bundler leaves alone: ctr-main is bundled as a file of its
 * own next to this one (and tsc writes ctr-main.js next to entry.js too), so
 * it must not be folded into the shared chunks.
 */
const CONTAINER_ENTRY: string = './ctr-main.js';

const args = process.argv.slice(2);
if (asksVersionOnly(args)) {
  const version = typeof __ISOBENCH_VERSION__ === 'string' ? __ISOBENCH_VERSION__ : (await import('../core/version.js')).toolVersion();
  process.stdout.write(`${version}\n`);
} else if (CONTAINER_WORDS.includes(commandWord(args) ?? '')) {
  await import(CONTAINER_ENTRY);
} else {
  await import('./main.js');
}
