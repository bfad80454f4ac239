import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveHome } from '../../../src/core/home.js';
import { NATIVE_DIR, REPO_ROOT } from '../../../src/core/version.js';
import { runAll, defaultBuildImage, NO_PROGRESS } from '../../../src/measure/index.js';
import { HostEnvironment } from '../../../src/envs/host/index.js';
import { ChrootEnvironment } from '../../../src/envs/chroot/index.js';
import { ContainerEnvironment } from '../../../src/envs/container/index.js';
import { parseScenarioText } from '../../../src/scenario/index.js';
import { networkLeftovers } from '../../../src/engine/network/index.js';
import type { EnvContext } from '../../../src/envs/context.js';
import type { Manifest } from '../../../src/results/types.js';
import { containerSkipReason } from './fixture.js';

const skip = containerSkipReason();

/**
 * The network scenario through the real pipeline (image build, scheduler
 * with the host-side peer, host + chroot + our engine with a veth per run):
 * every environment ok, figures parsed, and afterwards no bridge, veth,
 * netns or lease of this home left on the host.
 */
describe.skipIf(skip !== undefined)(`network scenario on host, chroot, container ${skip ? `(skipped: ${skip})` : ''}`, () => {
  let tmp = '';
  afterAll(async () => { if (tmp) await fsp.rm(tmp, { recursive: true, force: true }); });

  it('runs with status ok everywhere and leaves nothing of the network behind', async () => {
    tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-h8-netscn-'));
    const home = resolveHome(path.join(tmp, 'home'));
    const ctx: EnvContext = { home, nativeDir: NATIVE_DIR, runId: 'nettest', log: () => {} };
    // The shipped file, with less work so the test stays quick.
    const text = fs.readFileSync(path.join(REPO_ROOT, 'scenarios', 'network.yaml'), 'utf8')
      .replace(/bytes: \d+/, 'bytes: 8388608').replace(/count: \d+/, 'count: 200').replace(/rounds: \d+/, 'rounds: 2');
    const scenario = parseScenarioText(text, path.join(REPO_ROOT, 'scenarios', 'network.yaml'));
    const manifest = async (): Promise<Manifest> => ({
      hostname: 'h', cpu: { model: 'm', cores: 1, physicalCores: 1 }, memoryBytes: 1, os: { distro: 'd', release: 'r', kernel: 'k', arch: 'a' },
      virtualization: { hostIsVirtual: false, kvm: 'absent' }, cgroup: 'v1', tools: {}, node: process.version, gitRevision: 'x',
    });
    const outcome = await runAll({
      ctx,
      scenarios: [scenario],
      environments: [new HostEnvironment(ctx), new ChrootEnvironment(ctx), new ContainerEnvironment(ctx)],
      outDir: path.join(tmp, 'out'),
      command: ['bench', 'run', 'network'],
      buildImage: defaultBuildImage,
      collectManifest: manifest,
      phases: [],
      renderers: [],
      progress: NO_PROGRESS,
    });
    const envs = outcome.results.scenarios[0]!.envs;
    expect(envs.map((e) => [e.env, e.status, e.status === 'failed' ? e.error.message : ''])).toEqual([['host', 'ok', ''], ['chroot', 'ok', ''], ['container', 'ok', '']]);
    for (const e of envs) {
      if (e.status !== 'ok') continue;
      expect(e.stats.throughput_mib_per_sec!.median).toBeGreaterThan(0);
      expect(e.stats.rtt_us!.median).toBeGreaterThan(0);
      // The container connected to the bridge gateway (10.88.x.1), the others to loopback.
      expect(e.commandLine.join(' ')).toMatch(e.env === 'container' ? /net both 10\.88\.\d+\.1 \d+/ : /net both 127\.0\.0\.1 \d+/);
    }
    const container = envs[2];
    if (container?.status === 'ok') expect(container.ratioToHost?.throughput_mib_per_sec?.ratio).toBeGreaterThan(0);
    expect(await networkLeftovers(home)).toEqual([]);
  });
});
