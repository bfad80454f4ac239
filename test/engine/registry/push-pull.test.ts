import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type OciStore } from '../../../src/engine/store/index.js';
import { push, pull, RegistryError } from '../../../src/engine/registry/index.js';
import { startRegistry, registryAvailable, type RegistryServer } from '../../helpers/registry-server.js';
import { probeImageLayers, storeImage, makeLayer } from './fixture-image.js';
import { NATIVE_DIR } from '../../../src/core/version.js';

const avail = registryAvailable();
const probe = path.join(NATIVE_DIR, 'isobench-probe');
const canRun = avail.ok && fs.existsSync(probe);

describe.skipIf(!canRun)(`registry push/pull against docker-registry on 127.0.0.1 ${canRun ? '' : `(skipped: ${avail.reason ?? `${probe} not built (npm run build)`})`}`, () => {
  let server: RegistryServer;
  let home: string;
  let store: OciStore;
  let manifestDigest: string;

  beforeAll(async () => {
    server = await startRegistry();
    home = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-h8-reg-'));
    store = await openStore(path.join(home, 'store'));
    manifestDigest = await storeImage(store, 'isobench/probe-image:latest', await probeImageLayers(probe), ['/isobench/probe', 'ready', 'x']);
  });
  afterAll(async () => {
    await server?.stop();
    if (home) await fsp.rm(home, { recursive: true, force: true });
  });

  it('pushes, removes locally, pulls back identical digests and the image runs', async () => {
    const remote = `${server.host}/isobench/probe-image:v1`;
    const before = await store.resolve('isobench/probe-image:latest');
    const first = await push(store, 'isobench/probe-image:latest', remote);
    expect(first.manifestDigest).toBe(manifestDigest);
    expect(first.uploaded).toBe(3);
    expect(first.skipped).toBe(0);

    const again = await push(store, 'isobench/probe-image:latest', remote);
    expect(again.skipped).toBe(3);
    expect(again.uploaded).toBe(0);

    await store.remove('isobench/probe-image:latest');
    for (const l of before.layers) expect(await store.hasBlob(l.digest)).toBe(false);

    const got = await pull(store, remote, { tagAs: 'isobench/probe-image:latest' });
    expect(got.manifestDigest).toBe(manifestDigest);
    expect(got.fetched).toHaveLength(3);
    expect(got.image.layers.map((l) => l.digest)).toEqual(before.layers.map((l) => l.digest));
    expect(got.image.layers.map((l) => l.diffId)).toEqual(before.layers.map((l) => l.diffId));

    // Run it: unpack the pulled layers and start the probe under chroot.
    const root = path.join(home, 'rootfs');
    await fsp.mkdir(root);
    for (const l of got.image.layers) execFileSync('tar', ['-xzf', store.blobPath(l.digest), '-C', root]);
    const out = execFileSync('chroot', [root, '/isobench/probe', 'ready', 'tok-after-pull', '--', '/bin/busybox', 'echo', 'ran'], { encoding: 'utf8' });
    expect(out).toContain('tok-after-pull');
    expect(out).toContain('ran');
  });

  it('chunked upload: several PATCHes, same digests on pull', async () => {
    const remote = `${server.host}/isobench/chunked:latest`;
    const res = await push(store, 'isobench/probe-image:latest', remote, { upload: 'chunked', chunkBytes: 256 * 1024 });
    // Blobs live per repository in the registry's namespace; a new repository gets uploads.
    const busybox = res.blobs.find((b) => b.size > 512 * 1024);
    expect(busybox?.chunks).toBeGreaterThan(1);
    const fresh = await openStore(path.join(home, 'store-chunked'));
    const got = await pull(fresh, remote);
    expect(got.localName).toBe(remote);
    expect(got.manifestDigest).toBe(res.manifestDigest);
    expect(got.fetched.sort()).toEqual(res.blobs.map((b) => b.digest).sort());
  });

  it('two images sharing a layer store it once; the second pull fetches only what is new', async () => {
    const layers = await probeImageLayers(probe);
    const extra = await makeLayer({ 'etc/motd': { data: Buffer.from('second image\n') } });
    await storeImage(store, 'isobench/second:latest', [layers[0]!, layers[1]!, extra], ['/bin/busybox', 'cat', '/etc/motd']);
    await push(store, 'isobench/second:latest', `${server.host}/isobench/second:latest`);
    const fresh = await openStore(path.join(home, 'store-shared'));
    const a = await pull(fresh, `${server.host}/isobench/probe-image:v1`);
    const b = await pull(fresh, `${server.host}/isobench/second:latest`);
    expect(a.fetched).toHaveLength(3);
    // busybox and probe layers were already there; only the new layer and the new config travel.
    expect(b.present.sort()).toEqual(a.image.layers.map((l) => l.digest).sort());
    expect(b.fetched).toHaveLength(2);
    const files = await fsp.readdir(path.join(home, 'store-shared', 'blobs', 'sha256'));
    // 3 layers + 2 configs + 2 manifests, no duplicate of the shared layers.
    expect(files).toHaveLength(7);
  });

  it('pull of an unknown tag fails with REGISTRY_NOT_FOUND', async () => {
    await expect(pull(store, `${server.host}/isobench/nope:latest`)).rejects.toMatchObject({ code: 'REGISTRY_NOT_FOUND' });
  });

  it('refuses plain http to a non-loopback registry without insecure', async () => {
    await expect(pull(store, '192.0.2.1:5000/x:latest', { scheme: 'http' })).rejects.toBeInstanceOf(RegistryError);
  });
});
