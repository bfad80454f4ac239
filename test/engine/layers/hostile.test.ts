import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractLayer, LayerError } from '../../../src/engine/layers/index.js';
import { makeTar, type TarEntry } from './helpers.js';

// containerd's archive breakout tests are the model: every case has a
// sentinel OUTSIDE the snapshot that must be byte-identical afterwards, and
// nothing may appear outside either.
let base: string;
let snap: string;
let outside: string;
let sentinel: string;

beforeEach(async () => {
  base = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-layers-'));
  snap = path.join(base, 'snap');
  outside = path.join(base, 'outside');
  sentinel = path.join(outside, 'sentinel');
  await fsp.mkdir(snap);
  await fsp.mkdir(outside);
  await fsp.writeFile(sentinel, 'original');
});
afterEach(async () => {
  await fsp.rm(base, { recursive: true, force: true });
});

async function expectRejected(entries: TarEntry[], code: string, entryName: string, whiteouts: 'overlay' | 'apply' = 'overlay') {
  const err = await extractLayer(Readable.from([await makeTar(entries)]), snap, { whiteouts }).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(LayerError);
  expect((err as LayerError).code).toBe(code);
  expect((err as LayerError).entry).toBe(entryName);
  expect((err as Error).message).toContain(JSON.stringify(entryName));
  await expectOutsideUntouched();
}

async function expectOutsideUntouched() {
  expect(await fsp.readFile(sentinel, 'utf8')).toBe('original');
  expect((await fsp.readdir(outside)).sort()).toEqual(['sentinel']);
  expect((await fsp.readdir(base)).sort()).toEqual(['outside', 'snap']);
}

describe('hostile layers are refused without writing outside the snapshot', () => {
  it('absolute path', async () => {
    await expectRejected([{ name: sentinel, data: 'pwned' }], 'LAYER_UNSAFE_ENTRY', sentinel);
  });

  it('../ escape', async () => {
    await expectRejected([{ name: 'a/../../outside/sentinel', data: 'pwned' }], 'LAYER_UNSAFE_ENTRY', 'a/../../outside/sentinel');
    await expectRejected([{ name: '../outside/new', data: 'pwned' }], 'LAYER_UNSAFE_ENTRY', '../outside/new');
  });

  it('symlink then write through it (relative and absolute link)', async () => {
    await expectRejected([
      { name: 'evil', type: 'symlink', linkname: outside },
      { name: 'evil/sentinel', data: 'pwned' },
    ], 'LAYER_UNSAFE_ENTRY', 'evil/sentinel');
    await fsp.rm(snap, { recursive: true }); await fsp.mkdir(snap);
    await expectRejected([
      { name: 'rel', type: 'symlink', linkname: '../outside' },
      { name: 'rel/new', type: 'directory', mode: 0o755 },
    ], 'LAYER_UNSAFE_ENTRY', 'rel/new');
  });

  it('a file entry replaces a symlink instead of writing through it', async () => {
    await extractLayer(Readable.from([await makeTar([
      { name: 'f', type: 'symlink', linkname: sentinel },
      { name: 'f', data: 'pwned' },
    ])]), snap);
    expect((await fsp.lstat(path.join(snap, 'f'))).isFile()).toBe(true);
    expect(await fsp.readFile(path.join(snap, 'f'), 'utf8')).toBe('pwned');
    await expectOutsideUntouched();
  });

  it('a directory replaced by a symlink later in the layer gets no deferred chmod/utimes/whiteout through it', async () => {
    const before = await fsp.stat(outside);
    await extractLayer(Readable.from([await makeTar([
      { name: 'x/', type: 'directory', mode: 0o777, mtime: new Date(0) },
      { name: 'x', type: 'symlink', linkname: outside },
    ])]), snap).catch(() => undefined);
    const after = await fsp.stat(outside);
    expect([after.mode, after.mtimeMs]).toEqual([before.mode, before.mtimeMs]);
    await expectOutsideUntouched();
    await fsp.rm(snap, { recursive: true }); await fsp.mkdir(snap);
    const err = await extractLayer(Readable.from([await makeTar([
      { name: 'y/', type: 'directory' },
      { name: 'y/.wh.sentinel', data: '' },
      { name: 'y', type: 'symlink', linkname: outside },
    ])]), snap).catch((e: unknown) => e);
    if (process.getuid?.() === 0) expect(err).toMatchObject({ code: 'LAYER_UNSAFE_ENTRY' });
    await expectOutsideUntouched();
    expect((await fsp.lstat(sentinel)).isFile()).toBe(true);
  });

  it('hardlink to a file outside', async () => {
    await expectRejected([{ name: 'h', type: 'link', linkname: '../outside/sentinel' }], 'LAYER_UNSAFE_ENTRY', 'h');
    await expectRejected([{ name: 'h', type: 'link', linkname: sentinel }], 'LAYER_UNSAFE_ENTRY', 'h');
  });

  it('hardlink to a symlink escaping the snapshot, and through a symlinked dir', async () => {
    await expectRejected([
      { name: 'l', type: 'symlink', linkname: sentinel },
      { name: 'h', type: 'link', linkname: 'l' },
    ], 'LAYER_UNSAFE_ENTRY', 'h');
    await fsp.rm(snap, { recursive: true }); await fsp.mkdir(snap);
    await expectRejected([
      { name: 'd', type: 'symlink', linkname: outside },
      { name: 'h', type: 'link', linkname: 'd/sentinel' },
    ], 'LAYER_UNSAFE_ENTRY', 'h');
  });

  it('whiteout of . and .. (both whiteout modes)', async () => {
    for (const mode of ['overlay', 'apply'] as const) {
      await expectRejected([{ name: 'a/', type: 'directory' }, { name: 'a/.wh..', data: '' }], 'LAYER_UNSAFE_ENTRY', 'a/.wh..', mode);
      await expectRejected([{ name: 'a/.wh...', data: '' }], 'LAYER_UNSAFE_ENTRY', 'a/.wh...', mode);
    }
    expect(fs.existsSync(path.join(snap, 'a'))).toBe(true);
  });

  it('device nodes', async () => {
    await expectRejected([{ name: 'dev/sda', type: 'block-device', devmajor: 8, devminor: 0 }], 'LAYER_UNSAFE_ENTRY', 'dev/sda');
    await expectRejected([{ name: 'mem', type: 'character-device', devmajor: 1, devminor: 1 }], 'LAYER_UNSAFE_ENTRY', 'mem');
  });
});

describe('ordinary layers', () => {
  it('extracts tar+gzip with modes, owners, mtimes, symlinks, hardlinks and fifos', async () => {
    const mtime = new Date(1_234_567_000);
    const buf = await makeTar([
      { name: './', type: 'directory', mode: 0o755 },
      { name: 'bin/', type: 'directory', mode: 0o755, mtime },
      { name: 'bin/tool', data: '#!/bin/sh\n', mode: 0o4755, uid: 1000, gid: 1001, mtime },
      { name: 'bin/alias', type: 'symlink', linkname: '/bin/tool' },
      { name: 'bin/hard', type: 'link', linkname: 'bin/tool' },
      { name: 'tmp/', type: 'directory', mode: 0o1777 },
      { name: 'run/pipe', type: 'fifo', mode: 0o600 },
    ], true);
    const stats = await extractLayer(Readable.from([buf]), snap);
    expect(stats.entries).toBe(7);
    const tool = await fsp.stat(path.join(snap, 'bin/tool'));
    expect(tool.mode & 0o7777).toBe(0o4755);
    expect(tool.mtime.getTime()).toBe(mtime.getTime());
    if (process.getuid?.() === 0) expect([tool.uid, tool.gid]).toEqual([1000, 1001]);
    expect(await fsp.readlink(path.join(snap, 'bin/alias'))).toBe('/bin/tool');
    expect((await fsp.stat(path.join(snap, 'bin/hard'))).ino).toBe(tool.ino);
    expect((await fsp.stat(path.join(snap, 'tmp'))).mode & 0o7777).toBe(0o1777);
    expect((await fsp.stat(path.join(snap, 'bin'))).mtime.getTime()).toBe(mtime.getTime());
    expect((await fsp.lstat(path.join(snap, 'run/pipe'))).isFIFO()).toBe(true);
  });

  it('checks the diff_id of the uncompressed tar', async () => {
    const buf = await makeTar([{ name: 'a', data: 'x' }], true);
    await expect(extractLayer(Readable.from([buf]), snap, { expectDiffId: `sha256:${'0'.repeat(64)}` }))
      .rejects.toMatchObject({ code: 'LAYER_DIFFID_MISMATCH' });
  });

  it('reports a truncated archive as corrupt', async () => {
    const buf = await makeTar([{ name: 'a', data: 'x'.repeat(5000) }], true);
    await expect(extractLayer(Readable.from([buf.subarray(0, 60)]), snap)).rejects.toMatchObject({ code: 'LAYER_CORRUPT' });
  });
});
