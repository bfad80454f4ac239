import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../src/core/version.js';
import { mountsUnder } from '../../src/engine/rootfs/mounts.js';
import { safeRemoveTree } from '../helpers/safe-rm.js';
import { rmProof, writableOutsideViews } from './rm-proof.js';

/**
 * The guards around a run, through the real CLI: a full or read-only
 * filesystem ends in one clear line (exit 1, no temp file), a second run on
 * a held home is refused naming the holder, absurd --rounds are refused,
 * `bench reset` deletes a killed run's home safely. And the negative
 * control of the chaos suite's rm proof: the old layout (a rw bind of a
 * host path) IS caught, and rm -rf does destroy its sentinel.
 */
const isRoot = process.getuid?.() === 0;
const CLI = path.join(REPO_ROOT, 'dist', 'cli', 'main.js');
let tmp = '';
let scen = '';
const scratchMounts: string[] = [];

function bench(args: string[], opts: { timeout?: number } = {}) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: opts.timeout ?? 120_000 });
}

function scratchTmpfs(name: string, options: string): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', options, `chaos-${name}`, dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mount tmpfs ${dir}: ${r.stderr}`);
  scratchMounts.push(dir);
  return dir;
}

const tempsIn = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).filter((f) => /\.tmp(-\d+)?$|\.\d+\.tmp$/.test(f)) : []);
const errorLines = (stderr: string): string[] => stderr.split('\n').filter((l) => l.startsWith('Error:'));

describe.skipIf(!isRoot)('run guards (real CLI, as root, scratch mounts)', () => {
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\``);
    tmp = mkdtempSync(path.join(os.tmpdir(), 'isobench-guards-'));
    scen = path.join(tmp, 'scenarios');
    mkdirSync(scen);
    writeFileSync(path.join(scen, 'startup.yaml'), 'name: startup\ndescription: guard\nworkload:\n  type: startup\nenvironments: [host]\nrounds: 1\nwarmup: 0\n');
    writeFileSync(path.join(scen, 'long.yaml'), 'name: long\ndescription: guard\nworkload:\n  type: startup\nenvironments: [host]\nrounds: 5000\nwarmup: 0\n');
    writeFileSync(path.join(scen, 'longc.yaml'), 'name: longc\ndescription: guard\nworkload:\n  type: startup\nenvironments: [chroot]\nrounds: 5000\nwarmup: 0\n');
  });
  afterAll(async () => {
    for (const m of scratchMounts.reverse()) spawnSync('umount', ['-l', m]);
    if (tmp) await safeRemoveTree(tmp);
  });

  it('EROFS: --out on a read-only mount ends in one clear line, exit 1, before any work', () => {
    const ro = scratchTmpfs('ro', 'ro,size=1m');
    const home = path.join(tmp, 'home-erofs');
    const r = bench(['--home', home, 'run', 'startup', '--env', 'host', '--phases', 'none', '--scenarios-dir', scen, '--out', path.join(ro, 'out')]);
    expect(r.status, r.stderr).toBe(1);
    expect(errorLines(r.stderr)).toEqual([expect.stringMatching(/EROFS \(read-only file system\)/)]);
    expect(r.stderr).not.toMatch(/internal|\n\s+at /);
    expect(existsSync(path.join(home, 'store')), 'no work before the check').toBe(false);
    expect(tempsIn(ro)).toEqual([]);
  });

  it('ENOSPC: a tiny tmpfs home ends in one clear line, exit 1, no temp file', () => {
    const tiny = scratchTmpfs('tiny', 'size=2m');
    const r = bench(['--home', path.join(tiny, 'home'), 'run', 'startup', '--env', 'host', '--phases', 'none', '--scenarios-dir', scen, '--out', path.join(tmp, 'out-enospc')]);
    expect(r.status, r.stderr).toBe(1);
    expect(errorLines(r.stderr)).toEqual([expect.stringMatching(/home .* has \d+(\.\d)? MiB free; a run needs about/)]);
    expect(r.stderr).not.toMatch(/internal|\n\s+at /);
    expect(tempsIn(tiny)).toEqual([]);
  });

  it('ENOSPC mid-run on --out: keeps measuring, renders what fits, one clear line, exit 1, no temp file', async () => {
    const small = scratchTmpfs('small', 'size=9m');
    const out = path.join(small, 'out');
    const home = path.join(tmp, 'home-midrun');
    const child = spawn(process.execPath, [CLI, '--home', home, 'run', 'startup', 'long', '--rounds', '30', '--env', 'host', '--phases', 'none', '--scenarios-dir', scen, '--out', out], { env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => { stderr += b.toString(); });
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    // Once the first results.json is on disk, fill the filesystem: every later save hits ENOSPC.
    const end = Date.now() + 90_000;
    while (!existsSync(path.join(out, 'results.json')) && Date.now() < end && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    spawnSync('dd', ['if=/dev/zero', `of=${path.join(small, 'filler')}`, 'bs=64k'], { encoding: 'utf8' });
    const code = await exited;
    expect(code, stderr.slice(-1500)).toBe(1);
    expect(errorLines(stderr)).toEqual([expect.stringMatching(/cannot \w+ .*results\.json.*ENOSPC \(no space left on device\)/)]);
    expect(stderr).toContain('cannot save results');
    expect(stderr).not.toMatch(/internal|\n\s+at /);
    expect(tempsIn(small)).toEqual([]);
  }, 150_000);

  it('a second run on a home a live run holds is refused naming the pid; --allow-concurrent runs and says so in the manifest', async () => {
    const home = path.join(tmp, 'home-lock');
    // Exactly 10,000 rounds (fixed mode): the first run must outlive the three commands below, however fast a round is.
    const first = spawn(process.execPath, [CLI, '--home', home, 'run', 'long', '--rounds', '10000', '--env', 'host', '--phases', 'none', '--scenarios-dir', scen, '--out', path.join(tmp, 'out-first')], { env: { ...process.env, CI: 'true' }, stdio: 'ignore' });
    try {
      const end = Date.now() + 90_000;
      while (!existsSync(path.join(home, 'run.lock')) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      const second = bench(['--home', home, 'run', 'startup', '--env', 'host', '--phases', 'none', '--scenarios-dir', scen, '--out', path.join(tmp, 'out-second')]);
      expect(second.status).toBe(1);
      expect(errorLines(second.stderr)).toEqual([expect.stringContaining(`Error: another run holds ${home}: pid ${first.pid} (bench --home ${home} run long --rounds 10000 --env host --phases none --scenarios-dir ${scen} --out ${path.join(tmp, 'out-first')}), since ${JSON.parse(readFileSync(path.join(home, 'run.lock'), 'utf8')).startedAt}`)]);
      const verify = bench(['--home', home, 'verify', '--env', 'host', '--out', path.join(tmp, 'out-verify')]);
      expect(verify.stderr).toContain(`pid ${first.pid}`);
      expect(verify.status).toBe(1);
      const third = bench(['--home', home, 'run', 'startup', '--env', 'host', '--phases', 'none', '--allow-concurrent', '--scenarios-dir', scen, '--out', path.join(tmp, 'out-third')]);
      expect(third.status, third.stderr.slice(-1500)).toBe(0);
      expect(JSON.parse(readFileSync(path.join(tmp, 'out-third', 'results.json'), 'utf8')).manifest.concurrentRunsAllowed).toBe(true);
    } finally {
      const gone = new Promise((r) => first.once('exit', r));
      first.kill('SIGTERM');
      await gone;
    }
    expect(first.exitCode).toBe(143);
    expect(existsSync(path.join(home, 'run.lock')), 'the lock is released on a signalled exit').toBe(false);
  }, 200_000);

  it('--rounds and --warmup are capped as in scenario files', () => {
    const r = bench(['--home', path.join(tmp, 'home-cap'), 'run', 'startup', '--rounds', '99999999', '--scenarios-dir', scen]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--rounds: expected a whole number from 1 to 10000, got "99999999"');
    const w = bench(['--home', path.join(tmp, 'home-cap'), 'run', 'startup', '--warmup', '5000', '--scenarios-dir', scen]);
    expect(w.status).toBe(2);
    expect(w.stderr).toContain('--warmup: expected a whole number from 0 to 1000');
  });

  it('bench reset deletes a SIGKILLed chroot run\'s home: unmounts first, never follows a mount', async () => {
    const home = path.join(tmp, 'home-reset');
    const child = spawn(process.execPath, [CLI, '--home', home, 'run', 'longc', '--env', 'chroot', '--phases', 'none', '--scenarios-dir', scen, '--out', path.join(tmp, 'out-reset')], { env: { ...process.env, CI: 'true' }, stdio: 'ignore' });
    const end = Date.now() + 90_000;
    while (mountsUnder(path.join(home, 'runs')).length < 6 && Date.now() < end && child.exitCode === null) await new Promise((r) => setTimeout(r, 25));
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
    expect(mountsUnder(home).length).toBeGreaterThan(0);
    const r = bench(['--home', home, 'reset']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^removed /);
    expect(existsSync(home)).toBe(false);
    expect(mountsUnder(home)).toEqual([]);
    expect(existsSync('/dev/null') && existsSync('/proc/self/status') && existsSync('/sys/kernel')).toBe(true);
  }, 150_000);

  it('negative control: a rw bind of a host path under a home is flagged, and rm -rf of it destroys the sentinel', async () => {
    const home = path.join(tmp, 'home-control');
    mkdirSync(home, { recursive: true });
    const proof = await rmProof(home, mkdtempSync(path.join(tmp, 'control-')), { extraHostBind: true });
    expect(proof.sentinels).toBe(1);
    expect(proof.destroyed).toHaveLength(1);
    // And the mountinfo check sees a rw bind of an outside dir for what it is.
    const outside = path.join(tmp, 'outside');
    const target = path.join(home, 'runs', 'r', 'dev');
    mkdirSync(outside, { recursive: true });
    mkdirSync(target, { recursive: true });
    spawnSync('mount', ['--bind', outside, target]);
    try {
      expect(writableOutsideViews(home)).toEqual([{ mountPoint: target, exposes: outside }]);
      spawnSync('mount', ['-o', 'remount,bind,ro', target]);
      expect(writableOutsideViews(home)).toEqual([]);
    } finally {
      spawnSync('umount', ['-l', target]);
    }
  });
});

describe('writableOutsideViews (mountinfo text)', () => {
  const line = (id: number, dev: string, root: string, mp: string, opts: string, fs: string) => `${id} 1 ${dev} ${root} ${mp} ${opts} - ${fs} src rw`;
  it('flags a rw bind of an outside path, not a self-bind, a fresh tmpfs or a read-only bind', async () => {
    const { parseMountInfo } = await import('../../src/core/mount-views.js');
    const info = parseMountInfo([
      line(1, '254:0', '/', '/', 'rw', 'ext4'),
      line(2, '0:5', '/', '/dev', 'rw', 'devtmpfs'),
      line(3, '254:0', '/h/runs/r/root', '/h/runs/r/root', 'rw', 'ext4'),
      line(4, '0:99', '/', '/h/runs/r/root/dev', 'rw', 'tmpfs'),
      line(5, '0:22', '/', '/h/runs/r/root/sys', 'ro', 'sysfs'),
      line(6, '0:5', '/', '/h/runs/r/old-dev', 'rw', 'devtmpfs'),
      line(7, '254:0', '/etc', '/h/runs/r/etc', 'rw', 'ext4'),
    ].join('\n'));
    expect(writableOutsideViews('/h', info)).toEqual([
      { mountPoint: '/h/runs/r/old-dev', exposes: '/dev' },
      { mountPoint: '/h/runs/r/etc', exposes: '/etc' },
    ]);
  });
});
