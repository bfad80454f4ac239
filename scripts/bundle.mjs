#!/usr/bin/env node
// Bundles the CLI into dist/bundle/ (part of `npm run build`, after tsc).
// Why: `bench` starts for every `bench ctr run`; Node spends most of a short
// command resolving, reading and linking small ES modules (`npm run bench:cli`
// measures it). Two builds:
// - main.js (src/cli/entry.ts) and the chunks it loads: one chunk per lazily
//   loaded command keeps the laziness. The entry answers --version with the
//   version put in here, before any chunk loads.
// - ctr-main.js: the container commands in one file, no chunks. A container
//   start then links one module instead of about forty (15% of the start).
// commander goes into both (every command parses with it; from node_modules
// it costs a resolution, eight files and an export scan); tar-stream goes
// into ctr-main, where only a first extraction of a layer runs it, because
// an external package there would be imported at the top of the file. Other
// npm packages stay external (resolved from node_modules as usual).
// dist/bundle sits two levels under the repository like dist/core, so paths
// derived from the module's own location still point at the checkout.
// proxy-main is an entry too: the port publisher starts it as its own
// process, next to the module that spawns it.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { version, dependencies } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const externalBut = (...inlined) => Object.keys(dependencies).filter((d) => !inlined.includes(d));
const common = {
  absWorkingDir: root,
  define: { __ISOBENCH_VERSION__: JSON.stringify(version) },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Inlined CommonJS packages require Node's modules; an ES module has no `require` of its own.
  banner: { js: 'import{createRequire as __isobenchRequire}from"node:module";const require=__isobenchRequire(import.meta.url);' },
  // Error classes name themselves after their constructor (new.target.name): keep identifiers.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: true,
  logLevel: 'warning',
};

// Chunks of earlier builds carry other hashes; nothing else lives here.
rmSync(path.join(root, 'dist', 'bundle'), { recursive: true, force: true });
await Promise.all([
  build({
    ...common,
    entryPoints: { main: 'src/cli/entry.ts', 'proxy-main': 'src/engine/network/proxy-main.ts' },
    outdir: 'dist/bundle',
    splitting: true,
    external: externalBut('commander'),
  }),
  build({
    ...common,
    entryPoints: { 'ctr-main': 'src/cli/ctr-main.ts' },
    outdir: 'dist/bundle',
    external: externalBut('commander', 'tar-stream'),
  }),
]);
