import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveHome } from '../../../src/core/home.js';
import { buildWorkloadImage } from '../../../src/image/index.js';
import { openStore } from '../../../src/engine/store/index.js';
import { push, pull } from '../../../src/engine/registry/index.js';
import { registryRoundTrip } from '../../../src/measure/phases/registry-round-trip.js';
import { imageRootfs } from '../../../src/engine/rootfs/index.js';
import { openEngine, deleteContainer } from '../../../src/engine/container/index.js';
import { startRegistry, registryAvailable, type RegistryServer } from '../../helpers/registry-server.js';
import { containerSkipReason, runToEnd } from '../network/fixture.js';

const reg = registryAvailable();
const skip = !reg.ok ? reg.reason : containerSkipReason();

/** The real workload image (busybox, sysbench + libs, probe) through docker-registry and back, then run by our engine. */
describe.skipIf(skip !== undefined)(`workload image registry round trip ${skip ? `(skipped: ${skip})` : ''}`, () => {
  let tmp = '';
  let server: RegistryServer | undefined;
  afterAll(async () => {
    await server?.stop();
    if (tmp) await fsp.rm(tmp, { recursive: true, force: true });
  });

  it('push, remove locally, pull back: identical digests; a container of the pulled image runs the probe', async () => {
    tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-h8-wl-'));
    const home = resolveHome(path.join(tmp, 'home'));
    const image = await buildWorkloadImage(home);
    const store = await openStore(home.store);
    server = await startRegistry();
    const remote = `${server.host}/isobench/workload:test`;
    const pushed = await push(store, image.name, remote, { upload: 'chunked', chunkBytes: 1 << 20 });
    expect(pushed.manifestDigest).toBe(image.digest);
    await store.remove(image.name);
    for (const l of image.layers) expect(await store.hasBlob(l.digest)).toBe(false);
    const pulled = await pull(store, remote, { tagAs: image.name });
    expect(pulled.manifestDigest).toBe(image.digest);
    expect(pulled.image.layers.map((l) => l.digest)).toEqual(image.layers.map((l) => l.digest));

    const engine = openEngine(home);
    const { lowerDirs, defaults } = await imageRootfs(home, image.name);
    const c = await runToEnd(engine, { id: 'pulled', rootfs: { kind: 'overlay', lowerDirs }, argv: ['/isobench/probe', 'ready', 'pulled-ok', '--', '/usr/bin/sysbench', '--version'], env: defaults.env });
    expect(c.output).toContain('pulled-ok');
    expect(c.output).toMatch(/sysbench \d/);
    expect(c.exitCode).toBe(0);
    await deleteContainer(engine, 'pulled');

    // The phase's helper on the same image: a fresh registry, second push skips everything, pulled bytes run.
    const rt = await registryRoundTrip({ store, image: await store.resolve(image.name), scratch: path.join(tmp, 'rt') });
    expect(rt.fact).toMatchObject({ identical: true, ranAfter: true, blobsUploadedOnSecondPush: 0, layersSkippedOnSecondPush: image.layers.length });
    expect(rt.evidence).toMatchObject({ env: 'container', method: 'registry push/pull', identical: true, ranAfter: true });
  });
});
