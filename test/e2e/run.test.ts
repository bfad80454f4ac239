import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../src/core/version.js';
import { RESULTS_SCHEMA_VERSION, type RunResults } from '../../src/results/types.js';
import { parseMountPoints } from '../../src/envs/chroot/index.js';

/**
 * The real `bench` CLI (dist/, built by `npm test`), as root, on the tiny
 * scenario set (2 rounds each) on host and chroot, with its own home and
 * output folder. Checks the artefacts a user relies on.
 */
const isRoot = process.getuid?.() === 0;
const CLI = path.join(REPO_ROOT, 'dist', 'cli', 'main.js');
const TINY = path.join(REPO_ROOT, 'test', 'fixtures', 'scenarios-tiny');

function bench(args: string[], home: string) {
  return spawnSync(process.execPath, [CLI, '--home', home, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 240_000 });
}

describe.skipIf(!isRoot)('bench run (real CLI, as root)', () => {
  let tmp: string;
  let home: string;
  let out: string;
  let run: ReturnType<typeof bench>;
  let results: RunResults;

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it first)`);
    tmp = await mkdtemp(path.join(os.tmpdir(), 'isobench-e2e-'));
    home = path.join(tmp, 'home');
    out = path.join(tmp, 'out');
    run = bench(['run', 'all', '--env', 'host,chroot', '--rounds', '2', '--scenarios-dir', TINY, '--out', out], home);
    if (existsSync(path.join(out, 'results.json'))) results = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')) as RunResults;
  });
  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('exits 0 and writes results.json with every scenario ok on host and chroot, same image digest', () => {
    expect(run.stderr + run.stdout).not.toMatch(/^Error:/m);
    expect(run.status).toBe(0);
    expect(results.schemaVersion).toBe(RESULTS_SCHEMA_VERSION);
    expect(results.scenarios.map((s) => s.name).sort()).toEqual(['cpu', 'fileio', 'process', 'startup']);
    const digest = results.image?.digest;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    for (const s of results.scenarios) {
      expect(s.envs.map((e) => `${e.env}:${e.status}`)).toEqual(['host:ok', 'chroot:ok']);
      for (const e of s.envs) {
        if (e.status !== 'ok') continue;
        expect(e.imageDigest).toBe(digest);
        expect(e.samples).toHaveLength(2);
        expect(e.stats.startupMs?.n).toBe(2);
        expect(e.stats[s.primaryMetric.name]?.median).toBeGreaterThan(0);
        expect(e.commandLine.join(' ')).toContain('/isobench/probe ready');
      }
      const chroot = s.envs[1];
      if (chroot?.status === 'ok') expect(chroot.ratioToHost?.[s.primaryMetric.name]?.ratio).toBeGreaterThan(0);
    }
    expect(results.manifest.cpu.cores).toBeGreaterThan(0);
    expect(results.manifest.tools.sysbench).toMatch(/sysbench/);
    expect(results.finishedAt).toBeDefined();
  });

  it('writes report.md with a table per scenario', () => {
    const md = readFileSync(path.join(out, 'report.md'), 'utf8');
    for (const name of ['startup', 'cpu', 'process', 'fileio']) expect(md).toContain(name);
    expect(md).toMatch(/\|\s*host\s*\|/);
    expect(md).toMatch(/\|\s*chroot\s*\|/);
  });

  it('leaves no mount and no scratch dir of the run behind', () => {
    const mounts = parseMountPoints(readFileSync('/proc/self/mountinfo', 'utf8'));
    expect(mounts.filter((m) => m.startsWith(home))).toEqual([]);
    const runs = path.join(home, 'runs', results.runId);
    expect(existsSync(runs)).toBe(false);
  });

  it('on SIGINT (Ctrl-C) mid-scenario exits 130 and keeps the runs already measured in results.json', async () => {
    const dir = path.join(tmp, 'long');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'startup.yaml'), 'name: startup\ndescription: long\nworkload:\n  type: startup\nrounds: 10000\nwarmup: 0\n');
    const longOut = path.join(tmp, 'long-out');
    // Its own process group, signalled as a whole: what a terminal's Ctrl-C does
    // (the run in flight gets the SIGINT too).
    // --rounds: exactly that many rounds. Under sequential sampling a quiet host's own startup median can reach
    // its precision within the first dozen runs, and the scenario then ends before the SIGINT (seen once in CI).
    const child = spawn(process.execPath, [CLI, '--home', home, 'run', 'all', '--env', 'host', '--rounds', '10000', '--scenarios-dir', dir, '--out', longOut], { env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    // Interrupt once timed runs are under way (the progress lines count them).
    const deadline = Date.now() + 120_000;
    while (!/\[\d{2,}\/\d+\] startup/.test(stderr) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    process.kill(-child.pid!, 'SIGINT');
    const code = await exited;
    expect(code, stderr.slice(-2000)).toBe(130);
    expect(stderr).toContain('what was measured is in results.json');
    const partial = JSON.parse(readFileSync(path.join(longOut, 'results.json'), 'utf8')) as RunResults;
    const sc = partial.scenarios.find((x) => x.name === 'startup');
    expect(sc?.interrupted?.timedRunsPlanned).toBe(10000);
    const host = sc?.envs[0];
    expect(host?.status).toBe('ok');
    if (host?.status === 'ok') {
      // The progress line names run 10 when it starts; the SIGINT may kill that very run, which is dropped.
      expect(host.samples.length).toBeGreaterThanOrEqual(9);
      expect(host.samples.length).toBe(sc!.interrupted!.timedRunsDone);
      expect(host.stats.startupMs?.n).toBe(host.samples.length);
    }
    expect(partial.warnings[0]).toMatch(/^scenario startup interrupted by SIGINT \(Ctrl-C\) after \d+ of 10000 timed runs/);
    expect(parseMountPoints(readFileSync('/proc/self/mountinfo', 'utf8')).filter((m) => m.startsWith(home))).toEqual([]);
  }, 180_000);

  it('fails fast on a malformed scenario, naming file and field, before anything runs', () => {
    const dir = path.join(tmp, 'bad');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'startup.yaml'), 'name: startup\ndescription: x\nworkload:\n  type: startup\nrounds: "3"\n');
    const badOut = path.join(tmp, 'bad-out');
    const r = bench(['run', 'all', '--env', 'host', '--scenarios-dir', dir, '--out', badOut], home);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/startup\.yaml:5/);
    expect(r.stderr).toContain('rounds');
    expect(existsSync(badOut)).toBe(false);
  });
});
