/**
 * Docker habits and the CI gate through the real, built CLI (the bundle
 * `./bench` runs, else dist/cli), as root, with a home of its own.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/core/version.js';

const BUNDLE = path.join(REPO_ROOT, 'dist', 'bundle', 'main.js');
const CLI = existsSync(BUNDLE) ? BUNDLE : path.join(REPO_ROOT, 'dist', 'cli', 'main.js');
const isRoot = process.getuid?.() === 0;
const hasSetpriv = spawnSync('setpriv', ['--version']).status === 0;
const IMAGE = 'isobench/workload:latest';

let tmp: string;
let home: string;
const bench = (args: string[], timeout = 60_000, prefix: string[] = []) => {
  const argv = [...prefix, process.execPath, CLI, '--home', home, ...args];
  return spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout, env: { ...process.env, CI: 'true' } });
};

describe.skipIf(!isRoot || !existsSync(CLI))('CLI conventions (real CLI, as root)', () => {
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'isobench-cli-conv-'));
    home = path.join(tmp, 'home');
    const b = bench(['-q', 'image', 'build'], 300_000);
    expect(b.status, b.stderr).toBe(0);
  }, 320_000);
  afterAll(() => {
    bench(['gc'], 120_000);
    // Only once nothing of ours is mounted under it (a killed container could leave its overlay).
    const mounted = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((l) => l.split(' ')[4]?.startsWith(tmp));
    if (!mounted) rmSync(tmp, { recursive: true, force: true });
  }, 130_000);

  it('ctr run [OPTIONS] IMAGE [COMMAND...], with a short name and with --image as an alias', () => {
    const a = bench(['ctr', 'run', '--rm', IMAGE, '/isobench/probe', 'ready', 'docker-order']);
    expect(a.status, a.stderr).toBe(0);
    expect(a.stdout).toContain('docker-order');
    const b = bench(['ctr', 'run', '--rm', 'isobench/workload', '/isobench/probe', 'ready', 'short-name']);
    expect(b.status, b.stderr).toBe(0);
    expect(b.stdout).toContain('short-name');
    const c = bench(['ctr', 'run', '--rm', '--image', IMAGE, '/isobench/probe', 'ready', 'alias']);
    expect(c.status, c.stderr).toBe(0);
    expect(c.stdout).toContain('alias');
    const code = bench(['ctr', 'run', '--rm', IMAGE, '/bin/sh', '-c', 'exit 7']);
    expect(code.status).toBe(7);
  });

  it('a first operand that names no image is a one-line error with a "did you mean"', () => {
    const cmdFirst = bench(['ctr', 'run', '--rm', '/isobench/probe', 'ready', 'x']);
    expect(cmdFirst.status).toBe(2);
    expect(cmdFirst.stderr.trim().split('\n')).toHaveLength(1);
    expect(cmdFirst.stderr).toContain(`the image comes first: did you mean bench ctr run ${IMAGE} /isobench/probe ready x?`);
    const typo = bench(['ctr', 'run', '--rm', 'isobench/workloda', 'true']);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain(`did you mean ${IMAGE}?`);
  });

  it('run -d, logs -f until the container stops, ps -a, images, rm', () => {
    const d = bench(['ctr', 'run', '-d', IMAGE, '/bin/sh', '-c', 'echo first; sleep 1; echo second']);
    expect(d.status, d.stderr).toBe(0);
    const id = d.stdout.trim();
    const logs = bench(['ctr', 'logs', '-f', id], 30_000);
    expect(logs.status, logs.stderr).toBe(0);
    expect(logs.stdout).toBe('first\nsecond\n');
    const ps = bench(['ps', '-a']);
    expect(ps.stdout).toMatch(new RegExp(`^${id} .*stopped \\(0\\)`, 'm'));
    expect(bench(['images']).stdout).toContain(IMAGE);
    expect(bench(['ctr', 'rm', id]).status).toBe(0);
    expect(bench(['ps', '-a']).stdout).not.toContain(id);
  });

  it.skipIf(!hasSetpriv)('verify as non-root: exit 2 naming the required environment; --allow-skip exits 0', () => {
    const nobodyHome = path.join(tmp, 'nobody');
    spawnSync('mkdir', ['-p', nobodyHome]);
    chownSync(tmp, 65534, 65534);
    chownSync(nobodyHome, 65534, 65534);
    const asNobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
    const run = (args: string[]) => {
      const argv = [...asNobody, process.execPath, CLI, '--home', path.join(nobodyHome, 'home'), ...args];
      return spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 300_000, env: { ...process.env, CI: 'true' } });
    };
    const strict = run(['verify', '--out', path.join(nobodyHome, 'out1')]);
    expect(strict.status, strict.stderr).toBe(2);
    expect(strict.stderr).toMatch(/cannot test the required environment\(s\) container/);
    const allowed = run(['verify', '--allow-skip', '--env', 'host,container', '--out', path.join(nobodyHome, 'out2')]);
    expect(allowed.status, `${allowed.stdout}\n${allowed.stderr}`).toBe(0);
    expect(allowed.stdout).toMatch(/verify: PASS \(required: container; skipped and allowed: container\)/);
    const xml = readFileSync(path.join(nobodyHome, 'out2', 'junit.xml'), 'utf8');
    expect(xml).toContain('<property name="allow_skip" value="true"/>');
    expect(xml).toMatch(/<testcase classname="container" name="network" time="[0-9.]+">\s*<skipped message="skipped: needs root/);
  }, 320_000);
});
