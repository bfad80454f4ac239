import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveHome, type HomePaths } from '../../../src/core/home.js';
import { openEngine, runContainer, deleteContainer, type Engine } from '../../../src/engine/container/index.js';
import { createVolume, inspectVolume, listVolumes, removeVolume, resolveVolumeMounts, VolumeError } from '../../../src/engine/volumes/index.js';
import { containerSkipReason, makeRootDir, runToEnd } from '../network/fixture.js';

describe('volume names and -v parsing', () => {
  let tmp: string;
  let home: HomePaths;
  beforeAll(async () => {
    tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-h8-vol-'));
    home = resolveHome(path.join(tmp, 'home'));
  });
  afterAll(async () => { if (tmp) await fsp.rm(tmp, { recursive: true, force: true }); });

  it('creates, lists, refuses duplicates and bad names, removes', async () => {
    const v = await createVolume(home, 'data1');
    expect(v.mountpoint).toBe(path.join(home.volumes, 'data1', '_data'));
    await expect(createVolume(home, 'data1')).rejects.toMatchObject({ code: 'VOLUME_EXISTS' });
    for (const bad of ['../x', '', '-a', 'a/b', 'x'.repeat(70)]) await expect(createVolume(home, bad)).rejects.toBeInstanceOf(VolumeError);
    expect((await listVolumes(home)).map((x) => x.name)).toEqual(['data1']);
    await removeVolume(home, 'data1');
    await expect(inspectVolume(home, 'data1')).rejects.toMatchObject({ code: 'VOLUME_NOT_FOUND' });
  });

  it('turns -v into mounts: named volumes are created, bind sources must exist', async () => {
    const bind = path.join(tmp, 'bind');
    await fsp.mkdir(bind);
    const m = await resolveVolumeMounts(home, ['auto:/data', `${bind}:/b:ro`]);
    expect(m).toEqual([
      { source: path.join(home.volumes, 'auto', '_data'), destination: '/data', readonly: false },
      { source: bind, destination: '/b', readonly: true },
    ]);
    await expect(resolveVolumeMounts(home, [`${tmp}/missing:/x`])).rejects.toMatchObject({ code: 'VOLUME_BAD_SPEC' });
    await expect(resolveVolumeMounts(home, ['auto:relative'])).rejects.toMatchObject({ code: 'VOLUME_BAD_SPEC' });
    await expect(resolveVolumeMounts(home, ['auto:/x:rx'])).rejects.toMatchObject({ code: 'VOLUME_BAD_SPEC' });
  });
});

const skip = containerSkipReason();

describe.skipIf(skip !== undefined)(`volumes in containers ${skip ? `(skipped: ${skip})` : ''}`, () => {
  let tmp: string;
  let home: HomePaths;
  let engine: Engine;
  let root: string;
  beforeAll(async () => {
    tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-h8-volc-'));
    home = resolveHome(path.join(tmp, 'home'));
    engine = openEngine(home);
    root = await makeRootDir(path.join(tmp, 'root'));
  });
  afterAll(async () => {
    for (const id of ['writer', 'reader', 'holder', 'ro']) await deleteContainer(engine, id, { force: true }).catch(() => {});
    if (tmp) await fsp.rm(tmp, { recursive: true, force: true });
  });

  it('a file written by one container is read by the next after the first is removed; rm of a volume in use is refused', async () => {
    const mounts = await resolveVolumeMounts(home, ['shared:/data']);
    const w = await runToEnd(engine, { id: 'writer', rootfs: { kind: 'dir', dir: root }, mounts, argv: ['/bin/busybox', 'sh', '-c', 'echo written-by-writer > /data/note && echo ok'] });
    expect(w.exitCode).toBe(0);
    await deleteContainer(engine, 'writer');
    const r = await runToEnd(engine, { id: 'reader', rootfs: { kind: 'dir', dir: root }, mounts, argv: ['/bin/busybox', 'cat', '/data/note'] });
    expect(r.output).toContain('written-by-writer');
    await deleteContainer(engine, 'reader');

    await runContainer(engine, { id: 'holder', rootfs: { kind: 'dir', dir: root }, mounts, argv: ['/bin/busybox', 'sleep', '30'] }, undefined, { detach: true });
    await expect(removeVolume(home, 'shared')).rejects.toMatchObject({ code: 'VOLUME_IN_USE', message: expect.stringContaining('holder') });
    await deleteContainer(engine, 'holder', { force: true });
    await removeVolume(home, 'shared');
    expect(fs.existsSync(path.join(home.volumes, 'shared'))).toBe(false);
  });

  it('a :ro volume cannot be written from inside', async () => {
    const mounts = await resolveVolumeMounts(home, ['rovol:/data:ro']);
    const c = await runToEnd(engine, { id: 'ro', rootfs: { kind: 'dir', dir: root }, mounts, argv: ['/bin/busybox', 'sh', '-c', 'echo x > /data/f; echo rc=$?'] });
    expect(c.output).toContain('rc=1');
    expect(fs.existsSync(path.join(home.volumes, 'rovol', '_data', 'f'))).toBe(false);
  });
});
