import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, mkdir, writeFile, symlink, link, chmod, readFile, lstat, readlink, stat, utimes, lutimes } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveHome, type HomePaths } from '../../../src/core/home.js';
import { buildInitramfs, INITRAMFS_FORMAT } from '../../../src/image/vm/index.js';
import type { ImageRef } from '../../../src/image/types.js';

const hasCpio = existsSync('/usr/bin/cpio');

async function tree(dest: string): Promise<void> {
  await mkdir(path.join(dest, 'bin'), { recursive: true });
  await mkdir(path.join(dest, 'isobench'), { recursive: true });
  await writeFile(path.join(dest, 'bin/busybox'), Buffer.alloc(70001, 7));
  await chmod(path.join(dest, 'bin/busybox'), 0o755);
  await link(path.join(dest, 'bin/busybox'), path.join(dest, 'bin/ls'));
  await symlink('busybox', path.join(dest, 'bin/sh'));
  await writeFile(path.join(dest, 'isobench/probe'), '#!probe\n');
  await chmod(path.join(dest, 'isobench/probe'), 0o755);
  // Unpacked layers carry the tar's mtimes; a hand-made tree must fix them too.
  for (const f of ['bin/busybox', 'isobench/probe', 'bin', 'isobench']) await utimes(path.join(dest, f), 1e9, 1e9);
  await lutimes(path.join(dest, 'bin/sh'), 1e9, 1e9);
}

describe('initramfs from the image layers', () => {
  let root: string;
  let home: HomePaths;
  const image: ImageRef = { name: 't:1', digest: 'sha256:' + 'cd'.repeat(32), layers: [], config: { env: [], entrypoint: [], cmd: [], workingDir: '/' }, storeRoot: '/nonexistent' };
  let unpacks = 0;
  const unpack = async (_i: ImageRef, dest: string): Promise<void> => { unpacks++; await tree(dest); };

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'isobench-initramfs-'));
    home = resolveHome(root);
  });
  afterAll(async () => { await rm(root, { recursive: true, force: true }); });

  it.skipIf(!hasCpio)('holds the image files, hardlinks, symlinks, /init -> probe and /dev/console, as cpio(1) reads it', async () => {
    const a = await buildInitramfs(home, image, unpack);
    expect(a.cached).toBe(false);
    expect(a.path).toContain(`cdcd`);
    expect(a.path).toContain(`-f${INITRAMFS_FORMAT}.cpio`);
    expect(a.size % 512).toBe(0);
    const listing = execFileSync('cpio', ['-t', '-v', '--quiet', '-F', a.path], { encoding: 'utf8' });
    expect(listing).toMatch(/^crw------- .* 5,\s*1 .* dev\/console$/m);
    expect(listing).toMatch(/^lrwxrwxrwx .* init -> \/isobench\/probe$/m);
    expect(listing).toMatch(/^drwxrwxrwt .* tmp$/m);
    const out = path.join(root, 'x');
    await mkdir(out);
    // Extraction by the reference tool proves the format, not just our reader.
    execFileSync('cpio', ['-i', '-d', '-m', '--quiet', '--no-absolute-filenames', '-F', a.path], { cwd: out });
    expect(await readFile(path.join(out, 'bin/busybox'))).toEqual(Buffer.alloc(70001, 7));
    const [b1, b2] = [await stat(path.join(out, 'bin/busybox')), await stat(path.join(out, 'bin/ls'))];
    expect(b1.ino).toBe(b2.ino);
    expect(b1.mode & 0o777).toBe(0o755);
    expect(await readlink(path.join(out, 'bin/sh'))).toBe('busybox');
    expect((await lstat(path.join(out, 'init'))).isSymbolicLink()).toBe(true);
    expect(await readFile(path.join(out, 'isobench/probe'), 'utf8')).toBe('#!probe\n');
    for (const d of ['proc', 'sys', 'dev']) expect((await stat(path.join(out, d))).isDirectory()).toBe(true);
    // The hardlinked data is stored once.
    expect(a.size).toBeLessThan(70001 * 2);
  });

  it('is cached per image digest and reproducible byte for byte', async () => {
    const first = await buildInitramfs(home, image, unpack);
    const before = unpacks;
    const again = await buildInitramfs(home, image, unpack);
    expect(again.cached).toBe(true);
    expect(unpacks).toBe(before);
    expect(again.sha256).toBe(first.sha256);
    const other = await buildInitramfs(home, { ...image, digest: 'sha256:' + 'ef'.repeat(32) }, unpack);
    expect(other.cached).toBe(false);
    expect(other.sha256).toBe(first.sha256); // same files, same bytes
    expect(other.path).not.toBe(first.path);
  });

  it('refuses an image without the probe', async () => {
    await expect(buildInitramfs(home, { ...image, digest: 'sha256:' + '01'.repeat(32) }, async (_i, d) => { await mkdir(path.join(d, 'bin')); }))
      .rejects.toThrow(/has no \/isobench\/probe/);
  });
});
