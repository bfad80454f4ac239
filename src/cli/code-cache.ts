import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/**
 * Runs a CommonJS bundle with V8's code cache, kept next to it as
 * `<file>.cache`: a container start then skips compiling the bundle's
 * functions (15–20 ms of CPU of a `bench ctr run`). Node 20 caches no
 * compiled code of its own (module.enableCompileCache came in Node 22).
 * The cache is written when a run found none or V8 refused it (another Node,
 * other V8 flags, a rebuilt bundle: V8 checks all three), after the command,
 * and only next to the bundle: it holds compiled code, so it is trusted
 * exactly as much as the bundle itself, never from a shared temp dir. A
 * directory that cannot be written (an installed, read-only tree) only means
 * no cache. The bundle must not use import(): a script run this way cannot
 * load ES modules dynamically without Node's --experimental-vm-modules.
 */
export function runWithCodeCache(file: string): void {
  const cacheFile = `${file}.cache`;
  // A shebang line is not JavaScript once the source is wrapped in a function.
  const source = readFileSync(file, 'utf8').replace(/^#!.*/, '');
  let cachedData: Buffer | undefined;
  try { cachedData = readFileSync(cacheFile); } catch { /* first run, or no cache can be kept here */ }
  // The wrapper CommonJS modules get from Node's own loader.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, ...(cachedData ? { cachedData } : {}) });
  if (!cachedData || script.cachedDataRejected) {
    process.once('exit', () => {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      try {
        // After the command ran: the cache then holds the functions it compiled, not just the top level.
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
      } catch {
        rmSync(tmp, { force: true }); // read-only or full: the next run compiles again
      }
    });
  }
  const module = { exports: {} };
  (script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: unknown, f: string, d: string) => void)(module.exports, createRequire(file), module, file, path.dirname(file));
}
