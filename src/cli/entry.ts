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
 * Put in by the bundler: the container commands' own bundle, a CommonJS file
 * next to this one, run with V8's code cache (./code-cache.ts). Absent when
 * run from tsc's output, where ctr-main.js sits next to entry.js.
 */
declare const __ISOBENCH_CONTAINER_BUNDLE__: string | undefined;

/** A specifier the bundler leaves alone: ctr-main must not be folded into the shared chunks. */
const CONTAINER_ENTRY: string = './ctr-main.js';

const args = process.argv.slice(2);
if (asksVersionOnly(args)) {
  const version = typeof __ISOBENCH_VERSION__ === 'string' ? __ISOBENCH_VERSION__ : (await import('../core/version.js')).toolVersion();
  process.stdout.write(`${version}\n`);
} else if (CONTAINER_WORDS.includes(commandWord(args) ?? '')) {
  if (typeof __ISOBENCH_CONTAINER_BUNDLE__ === 'string') {
    const [{ runWithCodeCache }, { fileURLToPath }] = await Promise.all([import('./code-cache.js'), import('node:url')]);
    runWithCodeCache(fileURLToPath(new URL(__ISOBENCH_CONTAINER_BUNDLE__, import.meta.url)));
  } else {
    await import(CONTAINER_ENTRY);
  }
} else {
  await import('./main.js');
}
