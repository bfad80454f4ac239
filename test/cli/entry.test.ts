/**
 * The way people start the CLI: the `bench` launcher and the bundle's entry.
 * --version is answered before the CLI loads, the container commands run
 * from their own bundle, and neither changes what a command prints or how it
 * exits. Speed itself is measured by `npm run bench:cli`, not here.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/core/version.js';

const LAUNCHER = path.join(REPO_ROOT, 'bench');
const BUNDLE = path.join(REPO_ROOT, 'dist', 'bundle', 'main.js');
const START = path.join(REPO_ROOT, 'dist', 'bundle', 'start.cjs');
const CONTAINER_BUNDLE = path.join(REPO_ROOT, 'dist', 'bundle', 'ctr-main.cjs');
const MODULES = path.join(REPO_ROOT, 'dist', 'cli', 'main.js');
const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
/** A certificate file that does not exist: Node warns at start when it reads NODE_EXTRA_CA_CERTS. */
const MISSING_CA = '/nonexistent/isobench-test-ca.pem';

let tmp: string;
let home: string;

function run(argv: string[], env: Record<string, string> = {}) {
  const [cmd, ...rest] = argv;
  return spawnSync(cmd!, rest, { encoding: 'utf8', timeout: 30_000, cwd: tmp, env: { ...process.env, CI: 'true', ISOBENCH_DEBUG: '', NODE_EXTRA_CA_CERTS: '', ...env } });
}
const bench = (args: string[], env?: Record<string, string>) => run([LAUNCHER, ...args], env);

describe.skipIf(!existsSync(BUNDLE) || !existsSync(START) || !existsSync(CONTAINER_BUNDLE) || !existsSync(MODULES))('bench launcher and entry (built CLI)', () => {
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'isobench-entry-'));
    home = path.join(tmp, 'home');
  });
  // Nothing here mounts or starts anything: the commands below fail or print before touching the home.
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it.each([
    [['--version']],
    [['-V']],
    [['--home', '/nonexistent/home', '--version']],
    [['--home=/nonexistent/home', '-q', '-V']],
  ])('%j prints the package version and exits 0', (args) => {
    const r = bench(args);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${VERSION}\n`);
    expect(r.status).toBe(0);
  });

  // npm's `bin` runs the ES module entry directly, without the launcher's CommonJS start.
  it('the ES module entry (npm bin) answers alike', () => {
    const version = run([process.execPath, BUNDLE, '--home', home, '-V']);
    expect(version.stdout).toBe(`${VERSION}\n`);
    expect(version.status).toBe(0);
    for (const args of [['ctr', 'run', '--bogus'], ['ctrr'], ['ps', '--help']]) {
      const viaBin = run([process.execPath, BUNDLE, '--home', home, ...args]);
      const viaLauncher = bench(['--home', home, ...args]);
      expect(viaBin.stderr, args.join(' ')).toBe(viaLauncher.stderr);
      expect(viaBin.stdout, args.join(' ')).toBe(viaLauncher.stdout);
      expect(viaBin.status, args.join(' ')).toBe(viaLauncher.status);
    }
  });

  it('an unknown command still gets commander\'s error with every command in view', () => {
    const r = bench(['--home', home, 'ctrr']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: unknown command 'ctrr'\n\(Did you mean ctr\?\)\n/);
  });

  it('the full help still lists every command', () => {
    const r = bench(['--help']);
    expect(r.status).toBe(0);
    for (const c of ['run', 'doctor', 'ctr', 'ps', 'gc', 'report', 'compare', 'image', 'images', 'volume', 'verify', 'completion']) {
      expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    }
  });

  // The same arguments through the launcher (container bundle) and through tsc's module-by-module CLI.
  it.each([
    [['ctr', 'nope']],
    [['ctr', 'run', '--bogus']],
    [['ctr', 'run', '--rm', '-d', 'isobench/workload:latest']],
    [['ps', '--bogus']],
    [['ctr', '--help']],
    [['ctr', 'run', '--help']],
    [['-q', 'ps', '--help']],
  ])('%j: the container bundle prints and exits exactly as the full CLI', (args) => {
    const viaLauncher = bench(['--home', home, ...args]);
    const viaModules = run([process.execPath, MODULES, '--home', home, ...args]);
    expect(viaLauncher.stderr).toBe(viaModules.stderr);
    expect(viaLauncher.stdout).toBe(viaModules.stdout);
    expect(viaLauncher.status).toBe(viaModules.status);
    expect(viaLauncher.stderr).not.toMatch(/\n\s+at /);
  });

  it('the launcher keeps NODE_EXTRA_CA_CERTS for registry commands only', () => {
    // Node reads the file as it starts and warns when it cannot: the warning shows which processes read it.
    const warns = (r: ReturnType<typeof bench>) => /Ignoring extra certs from/.test(r.stderr);
    const kept = bench(['--home', home, 'image', '--help'], { NODE_EXTRA_CA_CERTS: MISSING_CA });
    expect(kept.status).toBe(0);
    expect(warns(kept)).toBe(true);
    for (const args of [['--version'], ['--home', home, 'ctr', '--help'], ['-q', 'ps', '--help'], ['--help']]) {
      const r = bench(args, { NODE_EXTRA_CA_CERTS: MISSING_CA });
      expect(r.status, args.join(' ')).toBe(0);
      expect(warns(r), args.join(' ')).toBe(false);
    }
  });

  it('the container bundle keeps a code cache next to it, and a cache V8 refuses is replaced, not trusted', () => {
    const cache = `${CONTAINER_BUNDLE}.cache`;
    const first = bench(['--home', home, 'ctr', 'run', '--help']);
    expect(first.status).toBe(0);
    expect(statSync(cache).size).toBeGreaterThan(1000);
    // Garbage where the cache goes (another Node, a truncated write): V8 rejects it and the command still runs alike.
    writeFileSync(cache, Buffer.alloc(4096, 7));
    const second = bench(['--home', home, 'ctr', 'run', '--help']);
    expect(second.status).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toBe(first.stderr);
    expect(readFileSync(cache).equals(Buffer.alloc(4096, 7))).toBe(false);
  });

  it('the launcher runs through a symlink and from another directory', () => {
    const link = path.join(tmp, 'bench-link');
    expect(run(['ln', '-s', LAUNCHER, link]).status).toBe(0);
    const r = run([link, '-V']);
    expect(r.stdout).toBe(`${VERSION}\n`);
    expect(r.status).toBe(0);
  });
});
