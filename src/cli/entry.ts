#!/usr/bin/env node
/**
 * What `bench` starts. It answers `--version` (also after the global options,
 * e.g. `--home H --version`) without loading anything else, and otherwise
 * hands over to the CLI (./main.ts). Node spends tens of milliseconds on the
 * modules a full start loads; a version check needs none of them.
 */
import { asksVersionOnly } from './global-args.js';

/** Put in by the bundler (scripts/bundle.mjs) from package.json; absent when run from tsc's output. */
declare const __ISOBENCH_VERSION__: string | undefined;

if (asksVersionOnly(process.argv.slice(2))) {
  const version = typeof __ISOBENCH_VERSION__ === 'string' ? __ISOBENCH_VERSION__ : (await import('../core/version.js')).toolVersion();
  process.stdout.write(`${version}\n`);
} else {
  await import('./main.js');
}
