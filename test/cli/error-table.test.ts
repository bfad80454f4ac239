/**
 * Every failure a user can provoke from the command line, through the real
 * built CLI: the exit code it documents, one line on stderr, no stack trace,
 * and an answer within 10 s (a hang fails the case instead of the suite).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, chownSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/core/version.js';

const CLI = path.join(REPO_ROOT, 'dist', 'cli', 'main.js');
const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'results', 'sample-run.json');
const isRoot = process.getuid?.() === 0;
const hasSetpriv = spawnSync('setpriv', ['--version']).status === 0;
const NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];

let tmp: string;
let home: string;

function bench(args: string[], opts: { asNobody?: boolean; env?: Record<string, string> } = {}) {
  const argv = [process.execPath, CLI, '--home', home, ...args];
  const [cmd, ...rest] = opts.asNobody ? [...NOBODY, ...argv] : argv;
  return spawnSync(cmd!, rest, { encoding: 'utf8', timeout: 10_000, cwd: tmp, env: { ...process.env, CI: 'true', ISOBENCH_DEBUG: '', ...opts.env } });
}

interface Case {
  name: string;
  args: () => string[];
  code: number;
  stderr: RegExp;
  asNobody?: boolean;
  needsRoot?: boolean;
}

const cases: Case[] = [
  { name: 'image import of a missing archive (was an unhandled stream error)', args: () => ['image', 'import', '/nonexistent.tar'], code: 1, stderr: /^Error: \/nonexistent\.tar: no such file \(hint: / },
  { name: 'report --out under a file', args: () => ['report', '--out', '/etc/passwd/x', FIXTURE], code: 2, stderr: /^Error: --out \/etc\/passwd\/x: \/etc\/passwd is a file, not a directory/ },
  { name: 'report --out in /proc (used to spin at 100% CPU)', args: () => ['report', '--out', '/proc/nope', FIXTURE], code: 2, stderr: /^Error: --out \/proc\/nope: cannot create folders in \/proc/ },
  { name: 'report of a Markdown file', args: () => ['report', path.join(REPO_ROOT, 'README.md'), '--out', path.join(tmp, 'r1')], code: 2, stderr: /README\.md is not an isobench results file: it is Markdown/ },
  { name: 'report of an HTML file', args: () => ['report', path.join(tmp, 'page.html'), '--out', path.join(tmp, 'r2')], code: 2, stderr: /page\.html is not an isobench results file: it is HTML/ },
  { name: 'compare with a JSON file that is not results', args: () => ['compare', path.join(REPO_ROOT, 'package.json'), FIXTURE], code: 2, stderr: /package\.json is not an isobench results file \(it is JSON/ },
  { name: 'report of a missing path', args: () => ['report', path.join(tmp, 'missing.json')], code: 2, stderr: /missing\.json does not exist/ },
  { name: 'report with an unknown format', args: () => ['report', FIXTURE, '--out', path.join(tmp, 'r3'), '--format', 'pdf'], code: 2, stderr: /--format: unknown format "pdf" \(hint: valid: / },
  { name: 'completion for an unknown shell', args: () => ['completion', 'fish'], code: 2, stderr: /^Error: completion: unknown shell "fish" \(hint: bash or zsh\)/ },
  { name: 'verify --require of an unknown environment', args: () => ['verify', '--require', 'nope'], code: 2, stderr: /--require: unknown environment "nope"/ },
  { name: 'verify --require outside --env', args: () => ['verify', '--env', 'host', '--require', 'vm'], code: 2, stderr: /--require vm but --env host does not run it/ },
  { name: 'ctr run of an image the store does not have', args: () => ['ctr', 'run', '--rm', 'nope:latest', 'true'], code: 2, stderr: /^Error: no image "nope:latest" in the store at .* \(hint: /, needsRoot: true },
  { name: 'ctr run without an image', args: () => ['ctr', 'run', '--rm'], code: 2, stderr: /^Error: no image given: bench ctr run \[OPTIONS\] IMAGE \[COMMAND\.\.\.\]/, needsRoot: true },
  { name: 'ctr exec -it names the container, not "-it"', args: () => ['ctr', 'exec', '-it', 'nosuch', 'sh'], code: 1, stderr: /no container "nosuch"/, needsRoot: true },
  { name: 'run as non-root says so before any work', args: () => ['run', 'cpu', '--env', 'host'], code: 2, stderr: /^Error: bench run needs root .* this is uid 65534 \(hint: run it as root/, asNobody: true },
  { name: 'ctr run as non-root says so', args: () => ['ctr', 'run', '--rm', 'isobench/workload:latest', 'true'], code: 2, stderr: /^Error: bench ctr run needs root/, asNobody: true },
  { name: 'verify as non-root names the required environment it cannot test', args: () => ['verify', '--out', path.join(tmp, 'v-nobody')], code: 2, stderr: /^verify: FAIL: cannot test the required environment\(s\) container \(needs root.*this is uid 65534 \(hint: run as root, or pass --allow-skip/, asNobody: true },
];

describe.skipIf(!existsSync(CLI))('CLI error table (real CLI from dist/)', () => {
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'isobench-errors-'));
    home = path.join(tmp, 'home');
    writeFileSync(path.join(tmp, 'page.html'), '<!DOCTYPE html><html><body>not results</body></html>\n');
    // setpriv'd cases run as nobody and must be able to enter the temp dir.
    if (isRoot) chownSync(tmp, 65534, 65534);
  });
  afterAll(() => { rmSync(tmp, { recursive: true, force: true }); });

  for (const c of cases) {
    const skip = (c.asNobody && !(isRoot && hasSetpriv)) || (c.needsRoot && !isRoot);
    it.skipIf(skip)(`${c.name}: exit ${c.code}, one line, no trace`, () => {
      const r = bench(c.args(), { asNobody: c.asNobody ?? false });
      expect(r.error, 'timed out after 10 s or could not start').toBeUndefined();
      expect(r.status, r.stderr).toBe(c.code);
      const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
      expect(lines, r.stderr).toHaveLength(1);
      expect(r.stderr).not.toMatch(/^ {4}at /m);
      expect(r.stderr).toMatch(c.stderr);
    }, 15_000);
  }

  it('an unexpected error prints one line with the path of its trace file in <home>/logs, and the trace with ISOBENCH_DEBUG=1', () => {
    const script = `import(${JSON.stringify(path.join(REPO_ROOT, 'dist', 'cli', 'errors.js'))}).then((m) => { process.exitCode = m.reportError(new Error('boom'), ${JSON.stringify(home)}); });`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000, env: { ...process.env, ISOBENCH_DEBUG: '' } });
    expect(r.status).toBe(70);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/^ {4}at /m);
    const m = /trace in (\S+);/.exec(r.stderr);
    expect(m?.[1]?.startsWith(path.join(home, 'logs'))).toBe(true);
    expect(readFileSync(m![1]!, 'utf8')).toMatch(/Error: boom\n {4}at /);
    expect(readdirSync(path.join(home, 'logs')).length).toBeGreaterThan(0);
    const dbg = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000, env: { ...process.env, ISOBENCH_DEBUG: '1' } });
    expect(dbg.stderr).toMatch(/^ {4}at /m);
  });

  it('every --help that can exit non-zero carries the exit-code table', () => {
    for (const cmd of [[], ['verify'], ['run'], ['report'], ['compare'], ['ctr']]) {
      const r = bench([...cmd, '--help']);
      expect(r.status, cmd.join(' ')).toBe(0);
      expect(r.stdout, cmd.join(' ')).toMatch(/Exit codes:\n {2}0 +success\n {2}1 +a finding[^\n]*\n {2}2 +could not test[^\n]*\n {2}70 +internal error/);
    }
  });
});
