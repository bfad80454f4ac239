import { execFileSync } from 'node:child_process';
import { cp, mkdir, symlink, copyFile } from 'node:fs/promises';
import path from 'node:path';
import type { ImageRef } from '../../../src/image/types.js';
import type { HomePaths } from '../../../src/core/home.js';
import { NATIVE_DIR } from '../../../src/core/version.js';

/**
 * The workload image for VM tests: the real one (src/image's
 * buildWorkloadImage + unpackImage) when that module is built into this
 * tree, otherwise a hand-made tree with the same paths (static busybox,
 * sysbench with its shared libraries, the static probe) and a made-up digest.
 */
export interface TestImage {
  image: ImageRef;
  unpack: (image: ImageRef, dest: string) => Promise<void>;
  real: boolean;
}

async function handMadeTree(dest: string): Promise<void> {
  await mkdir(path.join(dest, 'bin'), { recursive: true });
  await mkdir(path.join(dest, 'usr/bin'), { recursive: true });
  await mkdir(path.join(dest, 'isobench'), { recursive: true });
  await mkdir(path.join(dest, 'tmp'), { recursive: true });
  await copyFile('/bin/busybox', path.join(dest, 'bin/busybox'));
  for (const applet of ['sh', 'cat', 'echo', 'uname']) await symlink('busybox', path.join(dest, 'bin', applet));
  await copyFile('/usr/bin/sysbench', path.join(dest, 'usr/bin/sysbench'));
  await cp(path.join(NATIVE_DIR, 'isobench-probe'), path.join(dest, 'isobench/probe'));
  const ldd = execFileSync('ldd', ['/usr/bin/sysbench'], { encoding: 'utf8' });
  for (const m of ldd.matchAll(/(\/\S+\.so[^\s]*)/g)) {
    const lib = m[1]!;
    await mkdir(path.join(dest, path.dirname(lib)), { recursive: true });
    await cp(lib, path.join(dest, lib), { dereference: true });
  }
}

export async function testImage(home: HomePaths): Promise<TestImage> {
  try {
    const spec = '../../../src/image/index.js';
    const mod = (await import(spec)) as {
      buildWorkloadImage?: (home: HomePaths) => Promise<ImageRef>;
      unpackImage?: (home: HomePaths, image: ImageRef, dest: string) => Promise<unknown>;
    };
    if (mod.buildWorkloadImage && mod.unpackImage) {
      const image = await mod.buildWorkloadImage(home);
      const unpackImage = mod.unpackImage;
      return { image, unpack: async (img, dest) => { await unpackImage(home, img, dest); }, real: true };
    }
  } catch { /* src/image not built yet */ }
  const image: ImageRef = {
    name: 'isobench/vm-test:latest',
    digest: 'sha256:' + 'ab'.repeat(32),
    layers: [],
    config: { env: [], entrypoint: [], cmd: [], workingDir: '/' },
    storeRoot: path.join(home.store),
  };
  return { image, unpack: (_img, dest) => handMadeTree(dest), real: false };
}
