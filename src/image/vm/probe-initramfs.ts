import { readFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';
import type { HomePaths } from '../../core/home.js';
import { writeCpio } from './cpio.js';
import { bootEntries } from './initramfs.js';

/**
 * A one-file initramfs (the static probe as /init): what the accelerator
 * probe boots before any workload image exists. Cached by the probe's hash.
 */
export async function buildProbeInitramfs(home: HomePaths, probeBinary: string): Promise<string> {
  const bytes = await readFile(probeBinary);
  const hex = crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const dir = path.join(home.cache, 'vm');
  const file = path.join(dir, `probe-initramfs-${hex}.cpio`);
  try { if ((await stat(file)).size > bytes.length) return file; } catch { /* build it */ }
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const entries = bootEntries(new Set(['init'])).filter((e) => e.kind === 'dir');
  try {
    await writeCpio(tmp, [
      ...entries,
      { kind: 'data', name: 'init', mode: 0o755, data: bytes },
      ...bootEntries(new Set(['init', 'dev', 'proc', 'sys', 'tmp', 'root'])),
    ], new Map());
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => {});
    throw err;
  }
  return file;
}
