import { copyFile, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { NATIVE_DIR } from '../../../src/core/version.js';
import { resolveHome, type HomePaths } from '../../../src/core/home.js';
import type { ImageRef } from '../../../src/image/types.js';
import type { EnvContext } from '../../../src/envs/context.js';
import type { UnpackFn } from '../../../src/envs/image-rootfs.js';
import { safeRemoveTree } from '../../helpers/safe-rm.js';

/**
 * A hand-made tree with the image's static programs at their image paths
 * (probe, busybox): enough to exercise a backend's start/wait/cleanup
 * without building the OCI image. The e2e test covers the real image.
 */
export const fixtureUnpack: UnpackFn = async (_image, dest) => {
  await mkdir(path.join(dest, 'isobench'), { recursive: true });
  await mkdir(path.join(dest, 'bin'), { recursive: true });
  await copyFile(path.join(NATIVE_DIR, 'isobench-probe'), path.join(dest, 'isobench/probe'));
  await copyFile('/bin/busybox', path.join(dest, 'bin/busybox'));
  await symlink('busybox', path.join(dest, 'bin/sh'));
};

export const fixtureImage: ImageRef = {
  name: 'isobench/fixture:test',
  digest: 'sha256:' + 'f'.repeat(64),
  layers: [],
  config: { env: [], entrypoint: [], cmd: [], workingDir: '/' },
  storeRoot: '/nonexistent',
};

export async function tempContext(prefix: string): Promise<{ ctx: EnvContext; home: HomePaths; dispose: () => Promise<void> }> {
  const root = await mkdtemp(path.join(os.tmpdir(), prefix));
  const home = resolveHome(root);
  const ctx: EnvContext = { home, nativeDir: NATIVE_DIR, runId: 'test-run', log: () => {} };
  return { ctx, home, dispose: () => safeRemoveTree(root) };
}
