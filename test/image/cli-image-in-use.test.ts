import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { benchImage as bench } from './image-cli.js';
import { openStore } from '../../src/engine/store/index.js';
import { deleteContainer, imageRootfs, runContainer } from '../../src/engine/index.js';
import { pruneSnapshots } from '../../src/engine/layers/index.js';
import { makeHandRootfs, makeTestHome, skipReason, type TestHome } from '../engine/fixtures/hand-rootfs.js';
import { storeTinyImage } from '../engine/fixtures/tiny-image.js';
import { engineFor, leftovers } from '../engine/container/helpers.js';

const reason = skipReason();
let t: TestHome | undefined;
afterEach(() => { t?.cleanup(); t = undefined; });

describe.skipIf(reason !== '')(`bench image rm with a live container (real) ${reason}`, () => {
  it('refuses to remove an image a running container uses; --prune-snapshots keeps its snapshot', async () => {
    t = makeTestHome();
    const home = t.home;
    const nameA = await storeTinyImage(home, t.lower, 'tiny/a:1');
    const otherTree = makeHandRootfs(path.join(home.root, 'snapshots', 'hand-b'));
    fs.writeFileSync(path.join(otherTree, 'only-in-b'), 'b\n');
    const nameB = await storeTinyImage(home, otherTree, 'tiny/b:1');
    const imgA = await imageRootfs(home, nameA);
    const imgB = await imageRootfs(home, nameB);
    const engine = engineFor(home);
    const { state } = await runContainer(engine, {
      id: 'holder',
      rootfs: { kind: 'overlay', lowerDirs: imgA.lowerDirs },
      image: { name: imgA.image.name, digest: imgA.image.digest },
      argv: ['/bin/sh', '-c', 'sleep 120'],
    }, imgA.defaults, { detach: true });
    try {
      expect(state.status).not.toBe('stopped');
      await expect(bench(home.root, 'rm', nameA)).rejects.toMatchObject({ code: 'IMAGE_IN_USE', message: expect.stringMatching(/used by running container holder; nothing was removed/) });
      const store = await openStore(home.store);
      expect((await store.list()).map((i) => i.name).sort()).toEqual([nameA, nameB].sort());

      // Something else untags A behind the CLI's back; pruning while B goes must still keep the live snapshot.
      await store.remove(nameA);
      const out = await bench(home.root, 'rm', nameB, '--prune-snapshots');
      expect(out).toMatch(/removed tiny\/b:1 .*\npruned 1 snapshot\(s\)/);
      for (const d of imgA.lowerDirs) expect(fs.existsSync(d), `${d} is in use`).toBe(true);
      for (const d of imgB.lowerDirs) expect(fs.existsSync(d), `${d} is unused`).toBe(false);
    } finally {
      await deleteContainer(engine, 'holder', { force: true });
    }
    // Stopped now: the same prune removes A's snapshot.
    expect(await pruneSnapshots(home, [], [])).toEqual(imgA.lowerDirs);
    expect(leftovers(home, engine)).toEqual([]);
  }, 60_000);
});
