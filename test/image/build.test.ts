import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveHome } from '../../src/core/home.js';
import { NATIVE_DIR } from '../../src/core/version.js';
import { buildWorkloadImage, unpackImage, WORKLOAD_RECIPE, type ImageRecipe } from '../../src/image/index.js';
import { openStore } from '../../src/engine/store/index.js';

const probe = path.join(NATIVE_DIR, 'isobench-probe');
const missing = ['/bin/busybox', '/usr/bin/sysbench', probe].filter((p) => !fs.existsSync(p));
const isRoot = process.getuid?.() === 0;

let base: string;
beforeAll(async () => { base = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-image-')); });
afterAll(async () => { await fsp.rm(base, { recursive: true, force: true }); });

describe.skipIf(missing.length > 0)(`workload image ${missing.length ? `(missing ${missing.join(', ')}: run scripts/setup)` : ''}`, () => {
  it('is deterministic: two homes build the same manifest digest; a rebuild is skipped', async () => {
    const a = resolveHome(path.join(base, 'a'));
    const b = resolveHome(path.join(base, 'b'));
    const imgA = await buildWorkloadImage(a);
    const imgB = await buildWorkloadImage(b);
    expect(imgA.digest).toBe(imgB.digest);
    expect(imgA.name).toBe('isobench/workload:latest');
    expect(imgA.layers).toHaveLength(3);
    expect(imgA.config).toMatchObject({ entrypoint: ['/isobench/probe'], workingDir: '/' });
    expect(imgA.config.env.some((e) => e.startsWith('PATH='))).toBe(true);

    const lines: string[] = [];
    const blob = (await openStore(a.store)).blobPath(imgA.layers[1]!.digest);
    const before = fs.statSync(blob).mtimeMs;
    const again = await buildWorkloadImage(a, { log: (l) => lines.push(l) });
    expect(again.digest).toBe(imgA.digest);
    expect(lines.join('\n')).toContain('up to date');
    expect(fs.statSync(blob).mtimeMs).toBe(before);
  });

  it('changes digest when an input changes (another probe binary)', async () => {
    const native = path.join(base, 'native');
    await fsp.mkdir(native);
    await fsp.copyFile(probe, path.join(native, 'isobench-probe'));
    await fsp.appendFile(path.join(native, 'isobench-probe'), Buffer.from([0]));
    const home = resolveHome(path.join(base, 'a'));
    const ref = await buildWorkloadImage(home);
    const other = await buildWorkloadImage(resolveHome(path.join(base, 'c')), { nativeDir: native });
    expect(other.digest).not.toBe(ref.digest);
    // Only the probe layer differs.
    expect(other.layers.map((l) => l.digest).slice(0, 2)).toEqual(ref.layers.map((l) => l.digest).slice(0, 2));
    expect(other.layers[2]!.digest).not.toBe(ref.layers[2]!.digest);
  });

  it('a recipe entry adds a layer (how iperf3 will be added)', async () => {
    const recipe: ImageRecipe = {
      ...WORKLOAD_RECIPE,
      name: 'test/extra:1',
      layers: [...WORKLOAD_RECIPE.layers, { id: 'extra', description: 'a note', collect: async () => [{ path: '/etc/note', type: 'file', content: 'hi\n', mode: 0o644 }] }],
    };
    const home = resolveHome(path.join(base, 'a'));
    const img = await buildWorkloadImage(home, { recipe });
    expect(img.layers).toHaveLength(4);
    expect(img.name).toBe('test/extra:1');
  });

  it.skipIf(!isRoot)('unpacks into a plain tree that runs the probe, busybox and sysbench under chroot', async () => {
    const home = resolveHome(path.join(base, 'a'));
    const img = await buildWorkloadImage(home);
    const root = path.join(base, 'rootfs');
    await unpackImage(home, img, root);
    expect((await fsp.stat(path.join(root, 'tmp'))).mode & 0o7777).toBe(0o1777);
    expect(await fsp.readlink(path.join(root, 'bin/sh'))).toBe('/bin/busybox');
    expect(execFileSync('/usr/sbin/chroot', [root, '/isobench/probe', 'ready', 'TOKEN-42'], { encoding: 'utf8' })).toContain('TOKEN-42');
    expect(execFileSync('/usr/sbin/chroot', [root, '/bin/sh', '-c', 'echo $((6*7))'], { encoding: 'utf8' }).trim()).toBe('42');
    expect(execFileSync('/usr/sbin/chroot', [root, '/usr/bin/sysbench', '--version'], { encoding: 'utf8' })).toMatch(/sysbench \d/);
    await expect(unpackImage(home, img, root)).rejects.toMatchObject({ code: 'IMAGE_UNPACK_NOT_EMPTY' });
  });
});

describe.skipIf(missing.length > 0)('workload image integrity', () => {
  it('rebuilds an image whose layer blob has one flipped byte instead of reusing it', async () => {
    const home = resolveHome(path.join(base, 'flip'));
    const img = await buildWorkloadImage(home);
    const store = await openStore(home.store);
    const blob = store.blobPath(img.layers[1]!.digest);
    const bytes = await fsp.readFile(blob);
    bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 0x01;
    await fsp.chmod(blob, 0o644);
    await fsp.writeFile(blob, bytes);
    await expect(store.verifyBlob(img.layers[1]!.digest)).rejects.toMatchObject({ code: 'STORE_DIGEST_MISMATCH' });

    const lines: string[] = [];
    const again = await buildWorkloadImage(home, { log: (l) => lines.push(l) });
    expect(again.digest).toBe(img.digest);
    expect(lines.join('\n')).toMatch(/is damaged .*rebuilding/);
    expect(lines.join('\n')).not.toContain('up to date');
    // The rebuild rewrote the damaged blob: every blob hashes right again.
    for (const l of again.layers) await expect(store.verifyBlob(l.digest)).resolves.toBeGreaterThan(0);
    const third: string[] = [];
    await buildWorkloadImage(home, { log: (l) => third.push(l) });
    expect(third.join('\n')).toContain('up to date');
  }, 120_000);
});
