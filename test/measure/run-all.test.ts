import { describe, it, expect, afterEach } from 'vitest';
import { existsSync, readFileSync, readlinkSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runAll, type RunPhase } from '../../src/measure/index.js';
import { ProcessError } from '../../src/core/errors.js';
import { NO_PROGRESS } from '../../src/measure/progress.js';
import { HostEnvironment } from '../../src/envs/host/index.js';
import { ChrootEnvironment } from '../../src/envs/chroot/index.js';
import { parseScenarioText } from '../../src/scenario/index.js';
import { readResults } from '../../src/results/reader.js';
import { parseMountPoints } from '../../src/envs/chroot/index.js';
import type { Manifest, RunResults } from '../../src/results/types.js';
import { fixtureImage, fixtureUnpack, tempContext } from '../envs/chroot/fixture-rootfs.js';

const isRoot = process.getuid?.() === 0;

const yaml = (name: string, type: string, params = '{}') =>
  parseScenarioText(`name: ${name}\ndescription: t\nworkload:\n  type: ${type}\n  params: ${params}\nenvironments: [host, chroot]\nrounds: 3\nwarmup: 1\ntimeoutSeconds: 20\n`, `/x/${name}.yaml`);

const fakeManifest = async (): Promise<Manifest> => ({
  hostname: 'h', cpu: { model: 'm', cores: 1, physicalCores: 1 }, memoryBytes: 1, os: { distro: 'd', release: 'r', kernel: 'k', arch: 'a' },
  virtualization: { hostIsVirtual: false, kvm: 'absent' }, cgroup: 'v2', tools: {}, node: process.version, gitRevision: 'x',
});

describe.skipIf(!isRoot)('runAll on host + chroot (real processes and mounts, hand-made image tree)', () => {
  let cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => { for (const c of cleanup.reverse()) await c(); cleanup = []; });

  it('measures every scenario on both, saves results.json after each step, runs phases and renderers, cleans up', async () => {
    const t = await tempContext('isobench-runall-');
    cleanup.push(t.dispose);
    const reports = await mkdtemp(path.join(os.tmpdir(), 'isobench-reports-'));
    cleanup.push(() => rm(reports, { recursive: true, force: true }));
    const outDir = path.join(reports, 'run1');
    const seenByPhase: number[] = [];
    const phases: RunPhase[] = [
      { name: 'count', run: async (ctx) => { seenByPhase.push(ctx.results.scenarios.length, ctx.environments.length); (ctx.results.facts ??= {}).volumes = { status: 'skipped', reason: 'counted' }; } },
      { name: 'broken', run: async () => { throw new Error('phase bug'); } },
      {
        name: 'after-broken',
        run: async (ctx) => {
          const onDisk = JSON.parse(readFileSync(path.join(ctx.outDir, 'results.json'), 'utf8')) as RunResults;
          (ctx.results.facts ??= {}).ociArchive = { status: onDisk.facts?.volumes?.reason === 'counted' ? 'ok' : 'failed' };
        },
      },
    ];
    const outcome = await runAll({
      ctx: t.ctx,
      scenarios: [yaml('startup', 'startup'), yaml('process', 'probe-proc', '{ count: 3, program: probe }'), yaml('fileio', 'probe-fsync', '{ count: 3 }')],
      environments: [new HostEnvironment(t.ctx, fixtureUnpack), new ChrootEnvironment(t.ctx, { unpack: fixtureUnpack })],
      outDir,
      latestLinkDir: reports,
      command: ['bench', 'run', 'test'],
      buildImage: async () => fixtureImage,
      collectManifest: fakeManifest,
      phases,
      renderers: [{ name: 'list', render: async (r, dir) => { const f = path.join(dir, 'list.txt'); await (await import('node:fs/promises')).writeFile(f, r.scenarios.map((s) => s.name).join('\n')); return [f]; } }],
      progress: NO_PROGRESS,
    });

    const results = await readResults(outDir);
    expect(results.scenarios.map((s) => s.name)).toEqual(['startup', 'process', 'fileio']);
    for (const s of results.scenarios) {
      expect(s.envs.map((e) => [e.env, e.status])).toEqual([['host', 'ok'], ['chroot', 'ok']]);
      for (const e of s.envs) {
        if (e.status !== 'ok') continue;
        expect(e.imageDigest).toBe(fixtureImage.digest);
        expect(e.samples).toHaveLength(3);
        expect(e.warmup).toHaveLength(1);
        expect(e.stats.startupMs?.n).toBe(3);
        expect(e.commandLine.length).toBeGreaterThan(3);
      }
      const chroot = s.envs[1];
      if (chroot?.status === 'ok') expect(chroot.ratioToHost?.startupMs?.ratio).toBeGreaterThan(0);
    }
    const proc = results.scenarios[1]?.envs[0];
    if (proc?.status === 'ok') expect(proc.stats.forks_per_sec?.median).toBeGreaterThan(0);
    expect(results.environments.map((e) => e.status)).toEqual(['available', 'available']);
    expect(results.image?.digest).toBe(fixtureImage.digest);
    expect(results.finishedAt).toBeDefined();
    expect(seenByPhase).toEqual([3, 2]);
    expect(results.facts).toEqual({ volumes: { status: 'skipped', reason: 'counted' }, ociArchive: { status: 'ok' } });
    expect(results.warnings.some((w) => w.includes('phase broken failed'))).toBe(true);
    expect(outcome.failures).toEqual([expect.stringContaining('phase broken')]);
    expect(outcome.reports).toEqual([path.join(outDir, 'list.txt')]);
    expect(readlinkSync(path.join(reports, 'latest'))).toBe('run1');
    // Nothing of the run is left: no mount, no scratch dir.
    const mounts = parseMountPoints(await readFile('/proc/self/mountinfo', 'utf8'));
    expect(mounts.filter((m) => m.startsWith(t.home.root))).toEqual([]);
    expect(existsSync(path.join(t.home.runs, t.ctx.runId))).toBe(false);
  });

  it('on SIGTERM inside a scenario saves its partial samples, marks it interrupted, stops before the next, still renders', async () => {
    const t = await tempContext('isobench-runall-');
    cleanup.push(t.dispose);
    const outDir = path.join(t.home.root, 'out');
    const stop = new AbortController();
    let finished = 0;
    const progress = { ...NO_PROGRESS, runFinished: () => { if (++finished === 4) stop.abort('SIGTERM'); } };
    const outcome = await runAll({
      ctx: t.ctx,
      scenarios: [yaml('startup', 'startup'), yaml('fileio', 'probe-fsync', '{ count: 3 }')],
      environments: [new HostEnvironment(t.ctx, fixtureUnpack), new ChrootEnvironment(t.ctx, { unpack: fixtureUnpack })],
      outDir,
      command: ['bench'],
      buildImage: async () => fixtureImage,
      collectManifest: fakeManifest,
      phases: [],
      renderers: [{ name: 'list', render: async (r, dir) => { const f = path.join(dir, 'list.txt'); await (await import('node:fs/promises')).writeFile(f, r.scenarios.map((s) => s.name).join('\n')); return [f]; } }],
      progress,
      signal: stop.signal,
    });
    // Not an error: the run ends early, cleans up, saves and renders (the CLI exits 130/143).
    expect(outcome.interrupted).toBe('SIGTERM');
    expect(outcome.reports).toEqual([path.join(outDir, 'list.txt')]);
    expect(readFileSync(path.join(outDir, 'list.txt'), 'utf8')).toBe('startup');
    const r = await readResults(outDir);
    // 1 warm-up pass (2 runs) + 1 timed round (2 runs), then Ctrl-C: the timed round is kept.
    expect(r.scenarios.map((s) => s.name)).toEqual(['startup']);
    expect(r.scenarios[0]!.interrupted).toEqual({ timedRunsDone: 2, timedRunsPlanned: 6 });
    for (const e of r.scenarios[0]!.envs) {
      expect(e.status).toBe('ok');
      if (e.status === 'ok') expect(e.stats.startupMs?.n).toBe(1);
    }
    expect(r.warnings).toEqual([
      'scenario startup interrupted by SIGTERM after 2 of 6 timed runs: its statistics cover those only',
      'run interrupted by SIGTERM: what was measured is saved',
    ]);
    expect(readdirSync(outDir).filter((f) => f.includes('.tmp'))).toEqual([]);
    expect(existsSync(path.join(t.home.runs, t.ctx.runId))).toBe(false);
  });

  it('prepares the environments once per image: other images\' scenarios first, the workload image last for the phases; results keep the selection order', async () => {
    const t = await tempContext('isobench-runall-');
    cleanup.push(t.dispose);
    const outDir = path.join(t.home.root, 'out');
    const other = { ...fixtureImage, name: 'isobench/other:latest', digest: `sha256:${'e'.repeat(64)}` };
    const fileio = yaml('fileio', 'probe-fsync', '{ count: 3 }');
    // The same workload, declared to run in another image (as the apps workloads do).
    const inOther = { ...yaml('other-fileio', 'probe-fsync', '{ count: 3 }') };
    inOther.definition = { ...inOther.definition, image: other.name };
    const built: (string | undefined)[] = [];
    const prepared: string[] = [];
    const host = new HostEnvironment(t.ctx, fixtureUnpack);
    const prepare = host.prepare.bind(host);
    host.prepare = async (img) => { prepared.push(img.digest); return prepare(img); };
    let phaseSaw: string | undefined;
    await runAll({
      ctx: t.ctx,
      scenarios: [fileio, inOther],
      environments: [host],
      outDir,
      command: ['bench'],
      buildImage: async (_home, name) => { built.push(name); return name === other.name ? other : fixtureImage; },
      collectManifest: fakeManifest,
      phases: [{ name: 'see', run: async (ctx) => { phaseSaw = ctx.prepared.get('host')?.imageDigest; } }],
      renderers: [],
      progress: NO_PROGRESS,
    });
    const r = await readResults(outDir);
    // Built once beside the availability checks (cached in the store), then looked up by each image group.
    expect(built).toEqual([other.name, undefined, other.name, undefined]);
    expect(prepared).toEqual([other.digest, fixtureImage.digest]);
    expect(phaseSaw).toBe(fixtureImage.digest);
    expect(r.scenarios.map((s) => s.name)).toEqual(['fileio', 'other-fileio']);
    expect(r.scenarios.map((s) => (s.envs[0]?.status === 'ok' ? s.envs[0].imageDigest : s.envs[0]?.status))).toEqual([fixtureImage.digest, other.digest]);
    expect(r.images?.map((i) => i.name)).toEqual([other.name, fixtureImage.name]);
    expect(existsSync(path.join(t.home.runs, t.ctx.runId))).toBe(false);
  });

  it('keeps what was measured and still cleans up when the image build fails', async () => {
    const t = await tempContext('isobench-runall-');
    cleanup.push(t.dispose);
    const outDir = path.join(t.home.root, 'out');
    await expect(runAll({
      ctx: t.ctx,
      scenarios: [yaml('startup', 'startup')],
      environments: [new HostEnvironment(t.ctx, fixtureUnpack)],
      outDir,
      command: ['bench'],
      buildImage: async () => { throw new Error('no image today'); },
      collectManifest: fakeManifest,
      phases: [],
      renderers: [],
      progress: NO_PROGRESS,
    })).rejects.toThrow('no image today');
    const r = await readResults(outDir);
    expect(r.warnings).toEqual(['run aborted: no image today']);
  });

  it('names a failed host baseline (the run is then not a success) and still measures the others', async () => {
    const t = await tempContext('isobench-runall-');
    cleanup.push(t.dispose);
    const outDir = path.join(t.home.root, 'out');
    class BrokenHost extends HostEnvironment {
      override async start(): Promise<never> { throw new ProcessError('HOST_BROKEN', 'the host copy is corrupt'); }
    }
    const outcome = await runAll({
      ctx: t.ctx,
      scenarios: [yaml('startup', 'startup')],
      environments: [new BrokenHost(t.ctx, fixtureUnpack), new ChrootEnvironment(t.ctx, { unpack: fixtureUnpack })],
      outDir,
      command: ['bench'],
      buildImage: async () => fixtureImage,
      collectManifest: fakeManifest,
      phases: [],
      renderers: [],
      progress: NO_PROGRESS,
    });
    expect(outcome.baselineFailures).toEqual(['startup: HOST_BROKEN: the host copy is corrupt']);
    expect(outcome.results.scenarios[0]!.envs.map((e) => e.status)).toEqual(['failed', 'ok']);
    expect(outcome.results.warnings).toContain('host baseline failed: startup: HOST_BROKEN: the host copy is corrupt');
  });
});
