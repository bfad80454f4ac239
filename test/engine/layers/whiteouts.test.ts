import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractLayer, ensureSnapshots } from '../../../src/engine/layers/index.js';
import { openStore, MEDIA_TYPES, sha256Digest } from '../../../src/engine/store/index.js';
import { resolveHome } from '../../../src/core/home.js';
import { ovlmarkPath } from '../../../src/engine/layers/index.js';
import { makeTar } from './helpers.js';

const isRoot = process.getuid?.() === 0;
const haveOverlay = fs.existsSync('/proc/filesystems') && fs.readFileSync('/proc/filesystems', 'utf8').includes('overlay');
const haveHelper = fs.existsSync(ovlmarkPath());
const skipReason = !isRoot ? 'needs root (mknod, mount)' : !haveOverlay ? 'kernel has no overlayfs' : !haveHelper ? 'isobench-ovlmark not built (npm run build)' : '';

let base: string;
beforeEach(async () => { base = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-wh-')); });
afterEach(async () => { await fsp.rm(base, { recursive: true, force: true }); });

const lower = () => makeTar([
  { name: 'a/', type: 'directory', mode: 0o755 },
  { name: 'a/keep', data: 'keep' },
  { name: 'a/gone', data: 'gone' },
  { name: 'a/gonedir/', type: 'directory', mode: 0o755 },
  { name: 'a/gonedir/x', data: 'x' },
  { name: 'd/', type: 'directory', mode: 0o755 },
  { name: 'd/old', data: 'old' },
]);
const upper = () => makeTar([
  { name: 'a/', type: 'directory', mode: 0o755 },
  { name: 'a/.wh.gone', data: '' },
  { name: 'a/.wh.gonedir', data: '' },
  { name: 'd/', type: 'directory', mode: 0o755 },
  { name: 'd/new', data: 'new' },
  { name: 'd/.wh..wh..opq', data: '' },
]);

function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const n of fs.readdirSync(path.join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${n}` : n;
      out.push(r);
      if (fs.lstatSync(path.join(dir, r)).isDirectory()) walk(r);
    }
  };
  walk('');
  return out;
}

const EXPECTED = ['a', 'a/keep', 'd', 'd/new'];

describe.skipIf(skipReason !== '')(`OCI whiteouts on a real overlay mount ${skipReason}`, () => {
  it('maps .wh.<name> to a 0:0 char device and .wh..wh..opq to trusted.overlay.opaque', async () => {
    const l1 = path.join(base, 'l1'); const l2 = path.join(base, 'l2'); const merged = path.join(base, 'merged');
    for (const d of [l1, l2, merged]) await fsp.mkdir(d);
    await extractLayer(Readable.from([await lower()]), l1);
    const stats = await extractLayer(Readable.from([await upper()]), l2);
    expect([stats.whiteouts, stats.opaques]).toEqual([2, 1]);
    const wh = await fsp.lstat(path.join(l2, 'a/gone'));
    expect(wh.isCharacterDevice()).toBe(true);
    expect(wh.rdev).toBe(0);
    expect(fs.existsSync(path.join(l2, 'a/.wh.gone'))).toBe(false);
    execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `ro,lowerdir=${l2}:${l1}`, merged]);
    try {
      expect(tree(merged)).toEqual(EXPECTED);
      expect(fs.readFileSync(path.join(merged, 'a/keep'), 'utf8')).toBe('keep');
    } finally {
      execFileSync('umount', [merged]);
    }
  });

  it('applies the same whiteouts as deletions when flattening (chroot presentation)', async () => {
    const flat = path.join(base, 'flat');
    await fsp.mkdir(flat);
    await extractLayer(Readable.from([await lower()]), flat, { whiteouts: 'apply' });
    await extractLayer(Readable.from([await upper()]), flat, { whiteouts: 'apply' });
    expect(tree(flat)).toEqual(EXPECTED);
  });

  it('ensureSnapshots extracts each layer once, top-most first, shared by later calls', async () => {
    const home = resolveHome(path.join(base, 'home'));
    const store = await openStore(home.store);
    const layers = [];
    for (const t of [await lower(), await upper()]) {
      const gz = (await import('node:zlib')).gzipSync(t);
      const info = await store.putBlob(gz);
      layers.push({ mediaType: MEDIA_TYPES.layerTarGzip, ...info, diffId: sha256Digest(t) });
    }
    const config = await store.putConfig({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) } });
    const manifest = await store.putManifest({ schemaVersion: 2, mediaType: MEDIA_TYPES.manifest, config, layers: layers.map(({ diffId: _d, ...l }) => l) });
    await store.tag('t/wh', manifest.digest);
    const image = await store.resolve('t/wh');
    const dirs = await ensureSnapshots(home, image);
    expect(dirs).toEqual([layers[1]!.diffId, layers[0]!.diffId].map((d) => path.join(home.snapshots, d.slice(7))));
    expect(fs.existsSync(`${dirs[0]}.json`)).toBe(true);
    const ino = fs.statSync(path.join(dirs[1]!, 'a/keep')).ino;
    expect(await ensureSnapshots(home, image)).toEqual(dirs);
    expect(fs.statSync(path.join(dirs[1]!, 'a/keep')).ino).toBe(ino); // not re-extracted
    expect(fs.readdirSync(home.snapshots).filter((n) => n.startsWith('.tmp'))).toEqual([]);
    // Two extractions racing on the same layers: both get complete dirs, no temp dir left.
    await fsp.rm(home.snapshots, { recursive: true });
    const [r1, r2] = await Promise.all([ensureSnapshots(home, image), ensureSnapshots(home, image)]);
    expect(r1).toEqual(dirs);
    expect(r2).toEqual(dirs);
    expect(tree(dirs[1]!)).toEqual(['a', 'a/gone', 'a/gonedir', 'a/gonedir/x', 'a/keep', 'd', 'd/old']);
    expect(fs.readdirSync(home.snapshots).filter((n) => n.startsWith('.tmp'))).toEqual([]);
    // A corrupt blob is refused before anything is extracted.
    await fsp.rm(home.snapshots, { recursive: true });
    await fsp.writeFile(store.blobPath(layers[0]!.digest), 'garbage');
    await expect(ensureSnapshots(home, image)).rejects.toMatchObject({ code: 'STORE_DIGEST_MISMATCH' });
    expect(fs.readdirSync(home.snapshots)).toEqual([]);
  });

  it('an image that carries one layer twice mounts, with that layer once where it is highest, and reads as all layers applied in order', async () => {
    const home = resolveHome(path.join(base, 'home'));
    const store = await openStore(home.store);
    const tars = [await lower(), await upper(), await lower()]; // the first layer again on top, as a tool adding its layer twice would
    const layers = [];
    for (const t of tars) {
      const gz = (await import('node:zlib')).gzipSync(t);
      layers.push({ mediaType: MEDIA_TYPES.layerTarGzip, ...(await store.putBlob(gz)), diffId: sha256Digest(t) });
    }
    const config = await store.putConfig({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) } });
    const manifest = await store.putManifest({ schemaVersion: 2, mediaType: MEDIA_TYPES.manifest, config, layers: layers.map(({ diffId: _d, ...l }) => l) });
    await store.tag('t/twice', manifest.digest);
    const dirs = await ensureSnapshots(home, await store.resolve('t/twice'));
    expect(dirs).toEqual([layers[0]!.diffId, layers[1]!.diffId].map((d) => path.join(home.snapshots, d.slice(7))));
    const flat = path.join(base, 'flat');
    await fsp.mkdir(flat);
    for (const t of tars) await extractLayer(Readable.from([t]), flat, { whiteouts: 'apply' });
    const merged = path.join(base, 'merged-twice');
    await fsp.mkdir(merged);
    execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `ro,lowerdir=${dirs.join(':')}`, merged]);
    try {
      expect(tree(merged)).toEqual(tree(flat));
      expect(tree(merged)).toEqual(['a', 'a/gone', 'a/gonedir', 'a/gonedir/x', 'a/keep', 'd', 'd/new', 'd/old']);
    } finally {
      execFileSync('umount', [merged]);
    }
  });
});
