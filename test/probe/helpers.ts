import { mkdtempSync, rmSync, mkdirSync, copyFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveHome, type HomePaths } from '../../src/core/home.js';
import { NATIVE_DIR } from '../../src/core/version.js';
import type { EnvContext } from '../../src/envs/context.js';
import type { ImageRef } from '../../src/image/types.js';

/** A temporary ISOBENCH_HOME; remove() deletes it. */
export function tempHome(): { home: HomePaths; remove: () => void } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'isobench-h6-'));
  return { home: resolveHome(root), remove: () => rmSync(root, { recursive: true, force: true }) };
}

export function envContext(home: HomePaths, runId: string, testOptions?: Record<string, string>): EnvContext {
  return { home, nativeDir: NATIVE_DIR, runId, log: () => {}, testOptions };
}

/** A stand-in image for host/chroot arms: the real static probe at /isobench/probe and a /tmp. */
export const probeOnlyImage: ImageRef = {
  name: 'isobench/probe-only:test',
  digest: 'sha256:0000000000000000000000000000000000000000000000000000000000000000',
  layers: [],
  config: { env: [], entrypoint: [], cmd: [], workingDir: '/' },
  storeRoot: '/nonexistent',
};

export async function unpackProbeOnly(_image: ImageRef, dest: string): Promise<void> {
  mkdirSync(path.join(dest, 'isobench'), { recursive: true });
  mkdirSync(path.join(dest, 'tmp'), { recursive: true });
  copyFileSync(path.join(NATIVE_DIR, 'isobench-probe'), path.join(dest, 'isobench', 'probe'));
  chmodSync(path.join(dest, 'isobench', 'probe'), 0o755);
}
