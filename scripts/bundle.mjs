#!/usr/bin/env node
// Bundles the CLI into dist/bundle/ (part of `npm run build`, after tsc).
// Why: `bench` starts for every `bench ctr run`; Node spends most of a short
// command resolving, reading, compiling and linking modules (`npm run
// bench:cli` measures it). Two builds:
// - main.js (src/cli/entry.ts) and the chunks it loads: one chunk per lazily
//   loaded command keeps the laziness. The entry answers --version with the
//   version put in here, before any chunk loads.
// - ctr-main.cjs: the container commands in one CommonJS file, which the
//   entry runs with V8's code cache (src/cli/code-cache.ts): one module to
//   read instead of about forty chunks, and no compiling on later starts.
//   Its npm packages are inlined where a first use would otherwise need
//   import() (execa is an ES module; tar-stream's import would otherwise be
//   hoisted to the top and load on every start): code inlined by esbuild is
//   only run when first used. The build fails if an import() is left in it.
// commander goes into both (every command parses with it; from node_modules
// it costs a resolution, eight files and an export scan). Other npm packages
// stay external (resolved from node_modules as usual).
// dist/bundle sits two levels under the repository like dist/core, so paths
// derived from the module's own location still point at the checkout.
// proxy-main is an entry too: the port publisher starts it as its own
// process, next to the module that spawns it.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { version, dependencies } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const externalBut = (...inlined) => Object.keys(dependencies).filter((d) => !inlined.includes(d));
const CONTAINER_BUNDLE = 'ctr-main.cjs';
const common = {
  absWorkingDir: root,
  define: { __ISOBENCH_VERSION__: JSON.stringify(version), __ISOBENCH_CONTAINER_BUNDLE__: JSON.stringify(`./${CONTAINER_BUNDLE}`) },
  bundle: true,
  platform: 'node',
  target: 'node20',
  // Error classes name themselves after their constructor (new.target.name): keep identifiers.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: true,
  logLevel: 'warning',
};

// Chunks of earlier builds carry other hashes, and a code cache belongs to the bundle it was made from; nothing else lives here.
rmSync(path.join(root, 'dist', 'bundle'), { recursive: true, force: true });
const [, container] = await Promise.all([
  build({
    ...common,
    entryPoints: { main: 'src/cli/entry.ts', 'proxy-main': 'src/engine/network/proxy-main.ts' },
    outdir: 'dist/bundle',
    format: 'esm',
    splitting: true,
    external: externalBut('commander'),
    // Inlined CommonJS packages require Node's modules; an ES module has no `require` of its own.
    banner: { js: 'import{createRequire as __isobenchRequire}from"node:module";const require=__isobenchRequire(import.meta.url);' },
  }),
  build({
    ...common,
    entryPoints: ['src/cli/ctr-main.ts'],
    outfile: `dist/bundle/${CONTAINER_BUNDLE}`,
    format: 'cjs',
    external: externalBut('commander', 'tar-stream', 'execa'),
    // What import.meta.url would be: the file's own URL (modules derive the checkout's paths from it).
    define: { ...common.define, 'import.meta.url': '__isobenchModuleUrl' },
    banner: { js: 'var __isobenchModuleUrl=require("node:url").pathToFileURL(__filename).href;' },
    write: false,
  }),
]);
// What ./bench starts: the entry as CommonJS (src/cli/start.ts), so a version
// check or a container command never sets up Node's ES module loader.
await build({
  ...common,
  entryPoints: ['src/cli/start.ts'],
  outfile: 'dist/bundle/start.cjs',
  format: 'cjs',
  external: Object.keys(dependencies),
  sourcemap: false,
});
for (const f of container.outputFiles) {
  if (f.path.endsWith('.cjs') && /\bimport\(/.test(f.text)) {
    throw new Error(`${CONTAINER_BUNDLE} still calls import(), which fails when it runs with the code cache: make that import static or inline the package`);
  }
}
for (const f of container.outputFiles) writeFileSync(f.path, f.contents);
