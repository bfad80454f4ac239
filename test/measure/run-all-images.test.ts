import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runAll, type RunPhase } from '../../src/measure/index.js';
import { NO_PROGRESS } from '../../src/measure/progress.js';
import { HostEnvironment } from '../../src/envs/host/index.js';
import { ChrootEnvironment } from '../../src/envs/chroot/index.js';
import { parseScenarioText } from '../../src/scenario/index.js';
import { readResults } from '../../src/results/reader.js';
import type { Manifest } from '../../src/results/types.js';
import type { UserImage } from '../../src/image/user-image.js';
import type { ImageRef } from '../../src/image/types.js';
import type { Environment } from '../../src/envs/types.js';
import { fixtureImage, fixtureUnpack, tempContext } from '../envs/chroot/fixture-rootfs.js';

const isRoot = process.getuid?.() === 0;

const fakeManifest = async (): Promise<Manifest> => ({
  hostname: 'h', cpu: { model: 'm', cores: 1, physicalCores: 1 }, memoryBytes: 1, os: { distro: 'd', release: 'r', kernel: 'k', arch: 'a' },
  virtualization: { hostIsVirtual: false, kvm: 'absent' }, cgroup: 'v2', tools: {}, node: process.version, gitRevision: 'x',
});

/** The user's image as the harness sees it once resolved: its own config, its own run digest. */
const runImage: ImageRef = { ...fixtureImage, name: 'isobench/run:aaaa', digest: `sha256:${'a'.repeat(64)}`, config: { env: ['GREETING=from-image'], entrypoint: [], cmd: [], workingDir: '/bin' } };
const userImage: UserImage = { ref: 'user-ref', source: 'store', name: 'me/app:1', digest: `sha256:${'b'.repeat(64)}`, architecture: 'amd64', run: runImage };

describe.skipIf(!isRoot)('runAll with a user image beside isobench\'s own (host + chroot, real processes)', () => {
  let cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => { for (const c of cleanup.reverse()) await c(); cleanup = []; });

  it('prepares each image in turn, runs each scenario in its own, keeps the order asked for, runs the phases on isobench\'s image', async () => {
    const t = await tempContext('isobench-runall-img-');
    cleanup.push(t.dispose);
    const out = await mkdtemp(path.join(os.tmpdir(), 'isobench-runall-img-out-'));
    cleanup.push(() => rm(out, { recursive: true, force: true }));
    const startup = parseScenarioText('name: startup\ndescription: t\nworkload: { type: startup }\nenvironments: [host, chroot]\nrounds: 2\nwarmup: 0\n', '/x/startup.yaml');
    const mine = parseScenarioText([
      'name: mine', 'description: t', 'image: user-ref', 'workload:', '  type: command', '  params:',
      '    argv: [/bin/sh, -c, "echo len: ${#GREETING}; pwd"]',
      '    metrics: { len: { regex: "len: ([0-9]+)", unit: chars, better: higher } }',
      'environments: [host, chroot]', 'rounds: 2', 'warmup: 0', '',
    ].join('\n'), '/x/mine.yaml');
    const prepared: string[] = [];
    const wrap = <E extends Environment>(e: E): E => {
      const prep = e.prepare.bind(e);
      (e as Environment).prepare = async (img: ImageRef) => { prepared.push(`${e.name}:${img.digest.slice(7, 11)}`); return prep(img); };
      return e;
    };
    const phaseImages: string[] = [];
    const phases: RunPhase[] = [{ name: 'see', run: async (ctx) => { phaseImages.push(ctx.image.digest); } }];
    const resolved: string[] = [];
    await runAll({
      ctx: t.ctx,
      scenarios: [startup, mine],
      environments: [wrap(new HostEnvironment(t.ctx, fixtureUnpack)), wrap(new ChrootEnvironment(t.ctx, { unpack: fixtureUnpack }))],
      outDir: out,
      command: ['bench', 'run', 'test'],
      buildImage: async () => fixtureImage,
      resolveImage: async (_home, ref) => { resolved.push(ref); return userImage; },
      collectManifest: fakeManifest,
      phases,
      renderers: [],
      progress: NO_PROGRESS,
    });
    expect(resolved).toEqual(['user-ref']);
    // The user image first, isobench's last, so the phases find it prepared.
    expect(prepared).toEqual(['host:aaaa', 'chroot:aaaa', 'host:ffff', 'chroot:ffff']);
    expect(phaseImages).toEqual([fixtureImage.digest]);
    const r = await readResults(out);
    expect(r.scenarios.map((s) => s.name)).toEqual(['startup', 'mine']);
    const [s0, s1] = r.scenarios;
    expect(s0!.userImage).toBeUndefined();
    expect(s1!.userImage).toMatchObject({ ref: 'user-ref', digest: userImage.digest, runDigest: runImage.digest, runName: 'isobench/run:aaaa' });
    for (const e of s1!.envs) {
      expect(e.status, JSON.stringify(e)).toBe('ok');
      if (e.status !== 'ok') continue;
      expect(e.imageDigest).toBe(runImage.digest);
      // The image's Env reached the command; its WorkingDir was entered.
      expect(e.samples.map((x) => x.metrics.len)).toEqual([10, 10]);
      expect(e.commandLine.join(' ')).toMatch(/probe exec (--prefix \S+ )?--cwd \/bin -- \/bin\/sh -c/);
    }
    for (const e of s0!.envs) if (e.status === 'ok') expect(e.imageDigest).toBe(fixtureImage.digest);
  }, 120_000);
});
