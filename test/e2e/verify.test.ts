import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../src/core/version.js';
import type { RunResults } from '../../src/results/types.js';
import type { IsolationResults } from '../../src/results/isolation.js';
import { shmKeyPresent } from '../../src/probe/sentinels.js';

/**
 * The real `bench verify` (dist/, built by `npm test`) as root with its own
 * home: it must pass on this machine, show the chroot escape and the
 * container contained, leave no host sentinel behind — and fail, naming the
 * network check, when our engine is weakened on purpose (no network namespace).
 */
const isRoot = process.getuid?.() === 0;
const CLI = path.join(REPO_ROOT, 'dist', 'cli', 'main.js');

function bench(args: string[], home: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [CLI, '--home', home, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true', ...env }, timeout: 400_000 });
}

function leftovers(iso: IsolationResults): string[] {
  const s = iso.hostFacts.sentinel as { pid: number; shmKey: number; port: number; file: string };
  const left: string[] = [];
  if (shmKeyPresent(s.shmKey)) left.push('shm');
  if (existsSync(s.file)) left.push('file');
  try { process.kill(s.pid, 0); left.push('process'); } catch { /* gone */ }
  const listening = spawnSync('ss', ['-Hltn', `sport = :${s.port}`], { encoding: 'utf8' }).stdout.trim();
  if (listening) left.push('listener');
  return left;
}

describe.skipIf(!isRoot || !existsSync(CLI))('bench verify (real CLI, as root)', () => {
  let tmp: string;
  beforeAll(async () => { tmp = await mkdtemp(path.join(os.tmpdir(), 'isobench-verify-e2e-')); });
  afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

  it('exits 0 on this machine; JUnit has every check per environment; chroot escapes, container contained; nothing left behind', () => {
    const out = path.join(tmp, 'ok');
    const r = bench(['verify', '--out', out], path.join(tmp, 'home-ok'));
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toContain('verify: PASS');
    const results = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')) as RunResults;
    const iso = results.isolation as IsolationResults;
    const get = (env: string, check: string) => iso.checks.find((c) => c.env === env && c.check === check);
    expect(get('chroot', 'chroot-escape')?.evidence).toContain('"escaped":"present-token"');
    for (const check of ['processes', 'ipc', 'network']) expect(get('chroot', check)?.outcome, check).toBe('as-claimed');
    if (iso.envs.find((e) => e.env === 'container')?.status === 'ok') {
      expect(get('container', 'chroot-escape')?.evidence).toContain('"escaped":"absent');
      expect(get('container', 'processes')?.evidence).toContain('"kill0":"ESRCH"');
      expect(get('container', 'ipc')?.evidence).toContain('"shmget":"ENOENT"');
      expect(get('container', 'network')?.evidence).not.toContain('"connect":"connected"');
      // Every attack of the escape checks is refused in our container, with evidence...
      for (const check of ['devices', 'syscalls', 'cgroup-escape', 'host-binary']) expect(get('container', check)?.outcome, check).toBe('as-claimed');
      expect(get('container', 'syscalls')?.evidence).toContain('"unshare_user":"EPERM"');
      expect(get('container', 'devices')?.evidence).toContain('"open_kvm":"EPERM"');
    }
    // ...and open from the chroot and the host.
    for (const env of ['host', 'chroot']) {
      expect(get(env, 'devices')?.observed, env).toMatch(/^opened /);
      expect(get(env, 'cgroup-escape')?.observed, env).toContain('HOST\'s root');
      expect(get(env, 'host-binary')?.observed, env).toContain('resolve to an engine binary');
    }
    const xml = readFileSync(path.join(out, 'junit.xml'), 'utf8');
    for (const e of iso.envs) {
      if (e.status !== 'ok') continue;
      expect(xml.match(new RegExp(`<testcase classname="${e.env}" `, 'g'))?.length, e.env).toBe(17);
    }
    expect(readFileSync(path.join(out, 'verdicts.md'), 'utf8')).toContain('Gate: PASS');
    expect((results.claims as unknown[]).length).toBe(30);
    expect(leftovers(iso)).toEqual([]);
  });

  it('the weakening option is refused without ISOBENCH_TEST=1', () => {
    const r = bench(['verify', '--env', 'host', '--test-weaken', 'container.weaken=net', '--out', path.join(tmp, 'refused')], path.join(tmp, 'home-refused'), { ISOBENCH_TEST: '' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('test-only');
  });

  for (const [weaken, check, says] of [
    ['devices', 'devices', /opened \/dev\/kvm|read the host's token/],
    ['seccomp', 'syscalls', /no seccomp filter/],
    ['cgroups', 'cgroup-escape', /host's root cgroup|HOST's root/],
  ] as const) {
    it(`exits 1 naming the ${check} check when our engine runs with --test-weaken container.weaken=${weaken}`, () => {
      const out = path.join(tmp, `weak-${weaken}`);
      const r = bench(['verify', '--env', 'host,container', '--test-weaken', `container.weaken=${weaken}`, '--out', out], path.join(tmp, `home-weak-${weaken}`), { ISOBENCH_TEST: '1' });
      const results = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')) as RunResults;
      const iso = results.isolation as IsolationResults;
      if (iso.envs.find((e) => e.env === 'container')?.status !== 'ok') {
        expect(iso.envs.find((e) => e.env === 'container')?.status).toBe('skipped');
        return;
      }
      expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`verify: FAIL: ${check}@container: `));
      expect(r.stderr.split('\n').find((l) => l.includes(`${check}@container`))).toMatch(says);
      expect(leftovers(iso)).toEqual([]);
    });
  }

  it('exits non-zero naming the network check when our engine runs without a network namespace', () => {
    const out = path.join(tmp, 'weak');
    const r = bench(['verify', '--env', 'host,container', '--test-weaken', 'container.weaken=net', '--out', out], path.join(tmp, 'home-weak'), { ISOBENCH_TEST: '1' });
    const results = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')) as RunResults;
    const iso = results.isolation as IsolationResults;
    if (iso.envs.find((e) => e.env === 'container')?.status !== 'ok') {
      // The container backend cannot run here: the gate has nothing to say about it.
      expect(iso.envs.find((e) => e.env === 'container')?.status).toBe('skipped');
      return;
    }
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(1);
    expect(r.stderr).toMatch(/verify: FAIL: network@container: .*connected to the host's listener/);
    const xml = readFileSync(path.join(out, 'junit.xml'), 'utf8');
    expect(xml).toMatch(/<testcase classname="container" name="network" time="[0-9.]+">\s*<failure type="contradicts"/);
    expect(leftovers(iso)).toEqual([]);
  });
});
