import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile, readFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { extractVmlinux, kernelVersionOf, isElf } from '../../../src/envs/vm/extract-vmlinux.js';
import { resolveGuestKernel, findDefaultKernel, findStockKernel, flavourOf } from '../../../src/envs/vm/kernel.js';
import { resolveHome } from '../../../src/core/home.js';

/** A fake ELF payload: the ELF magic, then noise (incompressible enough to be realistic). */
function fakeElf(): Buffer {
  return Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), crypto.randomBytes(4096), Buffer.from('Linux version 9.9.9-test (x) #1\0'), Buffer.alloc(8192)]);
}

/** A bzImage-shaped file: setup header with a version pointer, then the compressed payload, then trailing data. */
function fakeBzImage(payload: Buffer, version = '9.9.9-test'): Buffer {
  const head = Buffer.alloc(0x600);
  head.write('HdrS', 0x202, 'ascii');
  head.writeUInt16LE(0x400 - 0x200, 0x20e);
  head.write(`${version} (builder) #1 SMP\0`, 0x400, 'ascii');
  // A false gzip magic before the real payload must be skipped, like in real kernels.
  return Buffer.concat([head, Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0]), payload, crypto.randomBytes(512)]);
}

describe('extractVmlinux', () => {
  it('finds a gzip payload behind a false magic and ignores trailing data', async () => {
    const elf = fakeElf();
    const r = await extractVmlinux(fakeBzImage(gzipSync(elf)));
    expect(r.codec).toBe('gzip');
    expect(r.elf.equals(elf)).toBe(true);
  });

  it.skipIf(!existsSync('/usr/bin/xz'))('decompresses an xz payload with xz(1)', async () => {
    const elf = fakeElf();
    const xz = execFileSync('xz', ['-c', '--check=crc32'], { input: elf });
    const r = await extractVmlinux(fakeBzImage(xz));
    expect(r.codec).toBe('xz');
    expect(r.elf.equals(elf)).toBe(true);
  });

  it('reads the version from the setup header, or from an ELF', () => {
    expect(kernelVersionOf(fakeBzImage(Buffer.alloc(10), '6.1.0-99-amd64'))).toBe('6.1.0-99-amd64');
    expect(kernelVersionOf(fakeElf())).toBe('9.9.9-test');
  });

  it('refuses a file with no compressed ELF inside', async () => {
    await expect(extractVmlinux(fakeBzImage(crypto.randomBytes(2048)))).rejects.toThrow(/no compressed ELF kernel/);
  });
});

describe('resolveGuestKernel', () => {
  it('extracts once and serves the cached vmlinux by the source hash', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'isobench-kernel-'));
    try {
      const home = resolveHome(root);
      const file = path.join(root, 'vmlinuz-9.9.9-test');
      const elf = fakeElf();
      await writeFile(file, fakeBzImage(gzipSync(elf)));
      const a = await resolveGuestKernel(home, file);
      expect(a).toMatchObject({ version: '9.9.9-test', origin: 'option', flavour: 'stock', codec: 'gzip', source: file });
      expect((await readFile(a.vmlinux)).equals(elf)).toBe(true);
      expect(a.vmlinuxSha256).toBe(crypto.createHash('sha256').update(elf).digest('hex'));
      const b = await resolveGuestKernel(home, file);
      expect(b).toEqual(a);
      await expect(resolveGuestKernel(home, path.join(root, 'nope'))).rejects.toThrow(/does not exist/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('names our build (origin built, or the -isobench version suffix) apart from a stock kernel', () => {
    expect(flavourOf('6.1.192-isobench', 'option')).toBe('isobench');
    expect(flavourOf('6.1.192', 'built')).toBe('isobench');
    expect(flavourOf('6.1.0-56-amd64', 'download')).toBe('stock');
  });
  it('prefers our built kernel, then the downloaded package over /boot, newest version first', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'isobench-kernel-'));
    try {
      const dl = path.join(root, 'dl');
      for (const v of ['6.1.0-9-amd64', '6.1.0-10-amd64']) {
        await mkdir(path.join(dl, v, 'boot'), { recursive: true });
        await writeFile(path.join(dl, v, 'boot', `vmlinuz-${v}`), 'x');
      }
      await mkdir(path.join(root, 'boot'));
      await writeFile(path.join(root, 'boot', 'vmlinuz-7.0.0'), 'x');
      expect(await findDefaultKernel(dl, path.join(root, 'boot'), path.join(root, 'no-build'))).toEqual({ file: path.join(dl, '6.1.0-10-amd64', 'boot', 'vmlinuz-6.1.0-10-amd64'), origin: 'download' });
      expect(await findDefaultKernel(path.join(root, 'none'), path.join(root, 'boot'), path.join(root, 'no-build'))).toEqual({ file: path.join(root, 'boot', 'vmlinuz-7.0.0'), origin: 'boot' });
      // Our own build wins over both once scripts/setup made it; an unfinished build dir does not count.
      const built = path.join(root, 'built');
      await mkdir(path.join(built, '6.1.192-2-aaaaaaaa.partial'), { recursive: true });
      await writeFile(path.join(built, '6.1.192-2-aaaaaaaa.partial', 'vmlinux'), 'x');
      expect(await findDefaultKernel(dl, path.join(root, 'boot'), built)).toMatchObject({ origin: 'download' });
      await mkdir(path.join(built, '6.1.192-2-bbbbbbbb'));
      await writeFile(path.join(built, '6.1.192-2-bbbbbbbb', 'vmlinux'), 'x');
      expect(await findDefaultKernel(dl, path.join(root, 'boot'), built)).toEqual({ file: path.join(built, '6.1.192-2-bbbbbbbb', 'vmlinux'), origin: 'built' });
      expect(await findStockKernel(dl, path.join(root, 'boot'))).toMatchObject({ origin: 'download' });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  const boot = existsSync('/boot') ? execFileSync('sh', ['-c', 'ls /boot/vmlinuz-* 2>/dev/null | head -1'], { encoding: 'utf8' }).trim() : '';
  it.skipIf(!boot)('unpacks the host distribution kernel into a bootable ELF', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'isobench-kernel-'));
    try {
      const k = await resolveGuestKernel(resolveHome(root), boot);
      expect(k.version).toBe(path.basename(boot).slice('vmlinuz-'.length));
      expect(k.codec).not.toBe('none');
      const head = Buffer.alloc(64);
      const fh = await (await import('node:fs/promises')).open(k.vmlinux);
      await fh.read(head, 0, 64, 0);
      await fh.close();
      expect(isElf(head)).toBe(true);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, 60000);
});
