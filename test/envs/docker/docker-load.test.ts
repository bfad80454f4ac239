import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerdSkip, removeDaemonTmp } from './daemon-helpers.js';
import { resolveHome } from '../../../src/core/home.js';
import { NATIVE_DIR } from '../../../src/core/version.js';
import { buildWorkloadImage } from '../../../src/image/index.js';
import { openStore } from '../../../src/engine/store/index.js';
import { DockerEnvironment } from '../../../src/envs/docker/index.js';

const skip = dockerdSkip;

/**
 * An image may carry one layer twice (a tool that adds its layer on top of an
 * image that already has it). Our archive for `docker load` then must hold
 * each blob once: tar stores a second copy of a path as a hard link to
 * itself, which docker load rejects.
 */
describe.skipIf(skip !== undefined)(`docker load of an image with a repeated layer ${skip ? `(skipped: ${skip})` : ''}`, () => {
  let tmp: string | undefined;
  afterAll(() => removeDaemonTmp(tmp), 60_000);

  it('loads and runs it', async () => {
    tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-docker-load-'));
    const home = resolveHome(path.join(tmp, 'home'));
    const built = await buildWorkloadImage(home);
    const store = await openStore(built.storeRoot);
    const manifest = await store.readManifest(built.digest);
    const config = await store.readConfig(manifest.config.digest);
    const top = manifest.layers[manifest.layers.length - 1]!;
    const diffIds = config.rootfs.diff_ids;
    const twiceConfig = await store.putConfig({ ...config, rootfs: { ...config.rootfs, diff_ids: [...diffIds, diffIds[diffIds.length - 1]!] } });
    const twice = await store.putManifest({ ...manifest, config: twiceConfig, layers: [...manifest.layers, top] });
    await store.tag('t/twice:latest', twice.digest);
    const image = await store.resolve('t/twice:latest');
    expect(image.layers).toHaveLength(manifest.layers.length + 1);
    const env = new DockerEnvironment({ home, nativeDir: NATIVE_DIR, runId: `t${process.pid}`, log: () => {} });
    const a = await env.available();
    expect(a.ok, a.reason).toBe(true);
    try {
      const p = await env.prepare(image);
      const token = `tok${crypto.randomBytes(4).toString('hex')}`;
      const r = await env.start(p, { argv: ['/bin/true'], token, env: {}, timeoutMs: 120_000, limits: {} });
      expect((await env.wait(r)).exitCode).toBe(0);
    } finally {
      await env.cleanup();
    }
  }, 300_000);
});
