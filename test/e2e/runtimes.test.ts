import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../src/core/version.js';
import { resolveHome } from '../../src/core/home.js';
import type { RunResults } from '../../src/results/types.js';
import { networkLeftovers } from '../../src/engine/network/index.js';
import { dockerPaths } from '../../src/envs/docker/paths.js';
import { nspawnMachinePrefix } from '../../src/envs/nspawn/nspawn-env.js';

/**
 * `bench run startup` in Docker, gVisor and systemd-nspawn through the real
 * CLI, then nothing of theirs may be left: no dockerd/containerd/shim/runsc
 * process, no mount, no nspawn dir, no veth, no image in a default Docker
 * data-root. A runtime that is not installed must be skipped with its reason.
 */
const isRoot = process.getuid?.() === 0;
const CLI = path.join(REPO_ROOT, 'dist', 'cli', 'main.js');
const RUNTIMES = ['docker', 'gvisor', 'nspawn'] as const;
const BINARY: Record<(typeof RUNTIMES)[number], string> = { docker: 'dockerd', gvisor: 'runsc', nspawn: 'systemd-nspawn' };

function installed(bin: string): boolean {
  return (process.env.PATH ?? '/usr/sbin:/usr/bin').split(':').some((d) => existsSync(path.join(d, bin)));
}

/** PIDs whose command line mentions `needle` (our home or exec-root paths are unique to this test). */
function processesMentioning(needle: string): string[] {
  const out: string[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(needle)) out.push(`${d}: ${cmd.slice(0, 160)}`);
    } catch { /* exited */ }
  }
  return out;
}

describe.skipIf(!isRoot)('docker, gvisor and nspawn through `bench run startup` (real CLI, as root)', () => {
  let tmp: string;
  let home: string;
  let out: string;
  let run: ReturnType<typeof spawnSync>;
  let results: RunResults;

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\``);
    tmp = await mkdtemp(path.join(os.tmpdir(), 'isobench-rt-'));
    home = path.join(tmp, 'home');
    out = path.join(tmp, 'out');
    run = spawnSync(process.execPath, [CLI, '--home', home, 'run', 'startup', '--env', RUNTIMES.join(','), '--rounds', '2', '--warmup', '0', '--out', out],
      { encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 400_000 });
    if (existsSync(path.join(out, 'results.json'))) results = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')) as RunResults;
  }, 420_000);

  afterAll(async () => {
    if (!tmp) return;
    spawnSync(process.execPath, [CLI, '--home', home, 'gc'], { encoding: 'utf8', timeout: 120_000 });
    const mounted = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((l) => (l.split(' ')[4] ?? '').startsWith(tmp));
    if (!mounted) await rm(tmp, { recursive: true, force: true });
  }, 150_000);

  it('each runtime ran startup, or was skipped because it is not installed', () => {
    expect(String(run.stderr) + String(run.stdout)).not.toMatch(/^Error:/m);
    expect(results, `no results.json; stderr: ${String(run.stderr).slice(-1500)}`).toBeDefined();
    const startup = results.scenarios.find((s) => s.name === 'startup')!;
    for (const rt of RUNTIMES) {
      const e = startup.envs.find((x) => x.env === rt)!;
      if (!installed(BINARY[rt])) {
        expect(e.status).toBe('skipped');
        expect(e.status === 'skipped' && e.reason).toMatch(/not installed/);
        continue;
      }
      expect(e.status === 'failed' ? `${rt}: ${e.error.message}` : e.status).toBe('ok');
      if (e.status !== 'ok') continue;
      expect(e.samples).toHaveLength(2);
      expect(e.stats.startupMs!.median).toBeGreaterThan(0);
      expect(e.imageDigest).toBe(results.image?.digest);
    }
    expect(run.status).toBe(0);
  });

  it('records the gVisor platform and Docker\'s image id', () => {
    const info = (n: string) => results.environments.find((e) => e.name === n);
    if (installed('runsc')) expect(info('gvisor')?.facts?.gvisorPlatform).toMatch(/^(systrap|kvm|ptrace)$/);
    if (installed('dockerd')) expect(info('docker')?.facts?.dockerImageId).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('leaves nothing behind: no process, mount, nspawn dir, veth or netns of this home, no image in the default Docker data-root', async () => {
    const h = resolveHome(home);
    const dp = dockerPaths(h);
    expect(processesMentioning(home)).toEqual([]);
    expect(processesMentioning(dp.execRoot)).toEqual([]);
    expect(existsSync(dp.execRoot)).toBe(false);
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4] ?? '').filter((m) => m.startsWith(tmp) || m.startsWith(dp.execRoot));
    expect(mounts).toEqual([]);
    const nspawnDirs = existsSync('/run/systemd/nspawn/propagate') ? readdirSync('/run/systemd/nspawn/propagate').filter((n) => n.startsWith(nspawnMachinePrefix(h.tag))) : [];
    expect(nspawnDirs).toEqual([]);
    expect(await networkLeftovers(h)).toEqual([]);
    // The user's Docker (default data-root) never saw our image: read its repository list, never its daemon.
    const repos = '/var/lib/docker/image/overlay2/repositories.json';
    if (existsSync(repos)) expect(readFileSync(repos, 'utf8')).not.toContain('isobench/');
  });
});
