import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { NATIVE_DIR } from '../../../src/core/version.js';
import { runContainer, waitContainer, readLogs, type Engine } from '../../../src/engine/container/index.js';
import type { ContainerOptions } from '../../../src/engine/spec/container-spec.js';

export const PROBE = path.join(NATIVE_DIR, 'isobench-probe');
export const SHIM = path.join(NATIVE_DIR, 'isobench-nsexec');

/** Why the container integration tests cannot run here, or undefined when they can. */
export function containerSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root';
  if (!fs.existsSync(PROBE) || !fs.existsSync(SHIM)) return `${PROBE} / ${SHIM} not built (npm run build)`;
  if (!fs.existsSync('/bin/busybox')) return 'busybox-static not installed';
  return undefined;
}

/** A minimal root directory: busybox + the static probe (run with rootfs kind 'dir'). */
export async function makeRootDir(dir: string): Promise<string> {
  for (const d of ['bin', 'isobench', 'tmp', 'proc', 'sys', 'dev', 'data']) await fsp.mkdir(path.join(dir, d), { recursive: true });
  await fsp.copyFile('/bin/busybox', path.join(dir, 'bin', 'busybox'));
  await fsp.chmod(path.join(dir, 'bin', 'busybox'), 0o755);
  await fsp.copyFile(PROBE, path.join(dir, 'isobench', 'probe'));
  await fsp.chmod(path.join(dir, 'isobench', 'probe'), 0o755);
  return dir;
}

/** Runs a detached container to completion and returns exit code + output. */
export async function runToEnd(engine: Engine, opts: ContainerOptions, timeoutMs = 30_000): Promise<{ id: string; exitCode: number | null; output: string }> {
  const r = await runContainer(engine, opts, undefined, { detach: true });
  const s = await waitContainer(engine, r.state.id, timeoutMs);
  return { id: s.id, exitCode: s.exitCode, output: await readLogs(engine, s.id) };
}
