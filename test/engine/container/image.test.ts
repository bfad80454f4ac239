import { describe, it, expect, afterEach } from 'vitest';
import { readdirSync } from 'node:fs';
import { makeTestHome, skipReason, hashTree, type TestHome } from '../fixtures/hand-rootfs.js';
import { storeTinyImage } from '../fixtures/tiny-image.js';
import { engineFor, runToEnd, leftovers } from './helpers.js';
import { imageRootfs, deleteContainer } from '../../../src/engine/index.js';

const reason = skipReason();
let t: TestHome | undefined;
afterEach(() => { t?.cleanup(); t = undefined; });

describe.skipIf(reason !== '')(`containers from a stored OCI image (real) ${reason}`, () => {
  it('image -> shared snapshots -> overlay: the image config supplies cmd and env; snapshots stay untouched', async () => {
    t = makeTestHome();
    const name = await storeTinyImage(t.home, t.lower);
    const img = await imageRootfs(t.home, name);
    expect(img.lowerDirs).toHaveLength(1);
    expect(img.lowerDirs[0]!.startsWith(t.home.snapshots)).toBe(true);
    const before = hashTree(img.lowerDirs[0]!);
    const engine = engineFor(t.home);
    const opts = { rootfs: { kind: 'overlay' as const, lowerDirs: img.lowerDirs }, image: { name: img.image.name, digest: img.image.digest } };
    const { runContainer, waitContainer, readLogs } = await import('../../../src/engine/index.js');
    const { state } = await runContainer(engine, { ...opts, id: 'dflt' }, img.defaults, { detach: true });
    await waitContainer(engine, state.id);
    expect((await readLogs(engine, 'dflt')).trim()).toBe('default-cmd');
    const r = await runToEnd(engine, { ...opts, id: 'env', argv: ['/bin/sh', '-c', 'echo $FROM_IMAGE; rm -rf /bin/ls /isobench; echo gone > /etc/x'], env: img.defaults.env });
    expect(r.output.trim()).toBe('yes');
    // the same snapshot serves a second image user, unchanged
    expect((await imageRootfs(t.home, name)).lowerDirs).toEqual(img.lowerDirs);
    expect(hashTree(img.lowerDirs[0]!)).toBe(before);
    for (const id of ['dflt', 'env']) await deleteContainer(engine, id);
    expect(readdirSync(t.home.containers)).toEqual([]);
    expect(leftovers(t.home, engine)).toEqual([]);
  }, 30_000);
});
