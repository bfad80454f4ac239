/**
 * Bundled as CommonJS only (scripts/bundle.mjs; tsc's ES module copy of this
 * file is never run). What the `./bench` launcher starts: the bundle's entry (./entry.ts) as
 * CommonJS. Node starts a CommonJS file without setting up its ES module
 * loader, which a version check or a container command then never pays for:
 * `--version` is answered here, the container commands run from their
 * CommonJS bundle with the code cache, and everything else goes to the ES
 * module entry, which the npm `bin` runs directly. Both entries share argv
 * reading (./global-args.ts) and the code cache (./code-cache.ts).
 */
import path from 'node:path';
import { asksVersionOnly, commandWord, CONTAINER_WORDS } from './global-args.js';
import { runWithCodeCache } from './code-cache.js';

/** Put in by the bundler (scripts/bundle.mjs): the version, and the container bundle's file next to this one. */
declare const __ISOBENCH_VERSION__: string;
declare const __ISOBENCH_CONTAINER_BUNDLE__: string;

/** A specifier the bundler leaves alone: the ES module entry is a file of its own next to this one. */
const ESM_ENTRY: string = './main.js';

const args = process.argv.slice(2);
if (asksVersionOnly(args)) {
  process.stdout.write(`${__ISOBENCH_VERSION__}\n`);
} else if (CONTAINER_WORDS.includes(commandWord(args) ?? '')) {
  runWithCodeCache(path.join(__dirname, __ISOBENCH_CONTAINER_BUNDLE__));
} else {
  import(ESM_ENTRY).catch((err: unknown) => {
    process.stderr.write(`Error: internal: cannot load ${ESM_ENTRY}: ${(err as Error).message} (rebuild: npm run build)\n`);
    process.exitCode = 70;
  });
}
