import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveHome } from '../../src/core/home.js';
import { NATIVE_DIR } from '../../src/core/version.js';
import { openStore, importImageArchive, sniffArchive } from '../../src/engine/store/index.js';
import { resolveUserImage } from '../../src/image/user-image.js';
import { imageHasFile } from '../../src/image/image-files.js';
import { unpackImage } from '../../src/image/unpack.js';
import { resolveScenarioImages, defaultResolveImage } from '../../src/measure/user-images.js';
import { adhocScenarios, parseScenarioText } from '../../src/scenario/index.js';
import { tarBuffer, writeDockerSave } from '../helpers/image-archives.js';
import { packOciArchive } from '../helpers/debian-image.js';

const probe = path.join(NATIVE_DIR, 'isobench-probe');
let base: string;
beforeAll(async () => { base = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-userimg-')); });
afterAll(async () => { await fsp.rm(base, { recursive: true, force: true }); });

const home = (n: string) => resolveHome(path.join(base, n));

/** A merged-/usr style tree: /bin -> usr/bin, sh -> dash. */
const withShell = () => tarBuffer([
  { name: 'usr/', type: 'directory' }, { name: 'usr/bin/', type: 'directory' },
  { name: 'usr/bin/dash', data: '#!fake', mode: 0o755 }, { name: 'usr/bin/sh', type: 'symlink', linkname: 'dash' },
  { name: 'bin', type: 'symlink', linkname: 'usr/bin' },
  { name: 'etc/', type: 'directory' }, { name: 'etc/hello', data: 'from the user layer\n' },
]);
const noShell = () => tarBuffer([{ name: 'app/', type: 'directory' }, { name: 'app/run', data: 'x', mode: 0o755 }]);

describe.skipIf(!fs.existsSync(probe))('user images: docker save archives', () => {
  it('converts to OCI on import: layers byte for byte, config unchanged (Docker image ID kept), symlinked layers resolved', async () => {
    const l1 = await withShell();
    const file = path.join(base, 'saved.tar');
    const saved = await writeDockerSave(file, { layers: [l1, l1], repoTag: 'me/app:1.0', dedupLastLayer: true, config: { WorkingDir: '/etc', User: 'nobody', Cmd: ['cat', 'hello'] } });
    expect(await sniffArchive(file)).toBe('docker');
    const u = await resolveUserImage(home('docker'), file);
    expect(u.source).toBe('docker-archive');
    expect(u.name).toBe('me/app:1.0');
    expect(u.dockerImageId).toBe(saved.imageId);
    const store = await openStore(home('docker').store);
    const m = await store.readManifest(u.digest);
    // The user's layers are the exact bytes of layer.tar: their digests are the diff_ids.
    expect(m.layers.map((l) => l.digest)).toEqual(saved.diffIds);
    expect(m.config.digest).toBe(saved.imageId);
    // The run image = the user's layers unchanged + one probe layer.
    const run = await store.readManifest(u.run.digest);
    expect(run.layers.slice(0, 2)).toEqual(m.layers);
    expect(run.layers).toHaveLength(3);
    expect(u.run.digest).not.toBe(u.digest);
    expect(u.run.config).toMatchObject({ workingDir: '/etc', user: 'nobody', cmd: ['cat', 'hello'] });
    // Unpacked, it has the user's files and the probe.
    const dest = path.join(base, 'docker-unpacked');
    await unpackImage(home('docker'), u.run, dest);
    expect(fs.readFileSync(path.join(dest, 'etc/hello'), 'utf8')).toBe('from the user layer\n');
    expect(fs.existsSync(path.join(dest, 'isobench/probe'))).toBe(true);
    // Resolving again reuses the same run image (same digest).
    expect((await resolveUserImage(home('docker'), file)).run.digest).toBe(u.run.digest);
  });

  it('a docker save whose layer does not match the config is refused, and nothing is tagged', async () => {
    const file = path.join(base, 'bad-docker.tar');
    await writeDockerSave(file, { layers: [await noShell()], repoTag: 'me/bad:1' });
    // Corrupt: rewrite the manifest to name a layer that is not there.
    const text = fs.readFileSync(file);
    const bad = Buffer.from(text.toString('latin1').replace(/"Layers":\["[0-9a-f]{64}/, '"Layers":["0000000000000000000000000000000000000000000000000000000000000000'), 'latin1');
    fs.writeFileSync(file, bad);
    const store = await openStore(home('bad').store);
    await expect(importImageArchive(store, file)).rejects.toThrow(/layer .* named by manifest.json is missing/);
    expect((await store.list()).map((s) => s.name)).not.toContain('me/bad:1');
  });
});

describe.skipIf(!fs.existsSync(probe))('user images: sources and errors', () => {
  it('OCI archive and store name give the same user digest; the shell check follows /bin -> usr/bin', async () => {
    const rootfs = path.join(base, 'rootfs.tar');
    fs.writeFileSync(rootfs, await withShell());
    const packed = await packOciArchive(rootfs, path.join(base, 'img.oci.tar'), { name: 'me/oci:1' });
    const h = home('oci');
    const fromFile = await resolveUserImage(h, packed.file);
    expect(fromFile).toMatchObject({ source: 'oci-archive', digest: packed.digest, name: 'me/oci:1', architecture: 'amd64' });
    const fromStore = await resolveUserImage(h, 'me/oci:1');
    expect(fromStore).toMatchObject({ source: 'store', digest: packed.digest });
    expect(fromStore.run.digest).toBe(fromFile.run.digest);
    expect(await imageHasFile(fromFile.run, '/bin/sh')).toBe(true);
    expect(await imageHasFile(fromFile.run, '/isobench/probe')).toBe(true);
  });

  it('names the missing file', async () => {
    await expect(resolveUserImage(home('e1'), path.join(base, 'nope.tar'))).rejects.toMatchObject({ code: 'IMAGE_FILE_MISSING', message: expect.stringContaining('nope.tar: no such file') });
  });

  it('names an unsupported archive layout and lists the supported formats', async () => {
    const file = path.join(base, 'random.tar');
    fs.writeFileSync(file, await tarBuffer([{ name: 'hello.txt', data: 'hi' }]));
    const err = (await resolveUserImage(home('e2'), file).then(() => undefined, (e: unknown) => e)) as Error & { code?: string; hint?: string };
    expect(err).toMatchObject({ code: 'STORE_ARCHIVE_UNSUPPORTED' });
    expect(err.message).toMatch(/unsupported archive layout/);
    expect(err.hint).toMatch(/OCI image layout archive .* or a `docker save` archive/);
  });

  it('refuses an arm64 image on this host before anything runs', async () => {
    if (process.arch !== 'x64') return;
    const rootfs = path.join(base, 'arm-rootfs.tar');
    fs.writeFileSync(rootfs, await noShell());
    const packed = await packOciArchive(rootfs, path.join(base, 'arm.oci.tar'), { name: 'me/arm:1', architecture: 'arm64' });
    await expect(resolveUserImage(home('e3'), packed.file)).rejects.toMatchObject({ code: 'IMAGE_ARCH_MISMATCH', message: expect.stringMatching(/built for arm64, this host is amd64/) });
  });

  it('an unknown name that is no file and no registry reference is a clear error', async () => {
    await expect(resolveUserImage(home('e4'), 'nosuchimage')).rejects.toMatchObject({ code: 'IMAGE_NOT_FOUND' });
  });

  it('shell: on an image without /bin/sh fails before anything runs; argv: is fine', async () => {
    const rootfs = path.join(base, 'nosh.tar');
    fs.writeFileSync(rootfs, await noShell());
    const packed = await packOciArchive(rootfs, path.join(base, 'nosh.oci.tar'), { name: 'me/nosh:1' });
    const shell = { ...parseScenarioText('name: s\ndescription: d\nworkload:\n  type: command\n  params: { shell: "echo hi" }\n', '/x/s.yaml'), image: packed.file };
    await expect(resolveScenarioImages(home('e5'), [shell], defaultResolveImage, () => undefined)).rejects.toMatchObject({
      code: 'IMAGE_NO_SHELL', message: expect.stringMatching(/scenario s: its command uses shell:, but image .* has no \/bin\/sh/),
    });
    const argv = adhocScenarios(['/app/run'], packed.file);
    const images = await resolveScenarioImages(home('e5'), argv, defaultResolveImage, () => undefined);
    expect(images.get(packed.file)?.digest).toBe(packed.digest);
  });
});
