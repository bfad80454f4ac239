#!/usr/bin/env node
// Bundles the CLI into dist/bundle/ (part of `npm run build`, after tsc).
// Why: `bench` starts for every `bench ctr run`; Node spends most of a short
// command resolving, reading and linking ~100 small ES modules. One chunk per
// lazily loaded command keeps the laziness and removes most of that cost
// (`npm run bench:cli` measures both). npm packages stay external (they are
// resolved from node_modules as usual); dist/bundle sits two levels under the
// repository like dist/core, so paths derived from the module's own location
// still point at the checkout. The entry (src/cli/entry.ts) answers
// --version with the version put in here, before any chunk loads. proxy-main
// is a second entry: the port publisher starts it as its own process, next
// to the module that spawns it.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/cli/entry.ts', 'proxy-main': 'src/engine/network/proxy-main.ts' },
  define: { __ISOBENCH_VERSION__: JSON.stringify(version) },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  // Error classes name themselves after their constructor (new.target.name): keep identifiers.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: true,
  logLevel: 'warning',
});
