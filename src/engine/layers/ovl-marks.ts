import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { NATIVE_DIR } from '../../core/version.js';
import { LayerError } from './errors.js';

const run = promisify(execFile);

/**
 * Node's fs has no mknod, mkfifo or setxattr. Rather than depend on the
 * `attr` package (setfattr) plus coreutils mknod — two spawns and two more
 * host packages — a 40-line static helper built with the probe does all three,
 * several per call, so a layer costs at most one spawn for its marks.
 */
export function ovlmarkPath(nativeDir = NATIVE_DIR): string {
  return path.join(nativeDir, 'isobench-ovlmark');
}

export type MarkOp = { op: 'w'; path: string } | { op: 'o'; path: string } | { op: 'p'; path: string; mode: number };

export async function applyMarks(ops: MarkOp[], nativeDir?: string): Promise<void> {
  if (ops.length === 0) return;
  const bin = ovlmarkPath(nativeDir);
  if (!fs.existsSync(bin)) {
    throw new LayerError('LAYER_HELPER_MISSING', `${bin} is missing: it creates overlay whiteouts, opaque dirs and fifos`, {
      hint: 'build the native helpers: npm run build (or make -C src/native)',
    });
  }
  // Chunked to stay far below ARG_MAX even for layers full of whiteouts.
  for (let i = 0; i < ops.length; i += 500) {
    const args = ops.slice(i, i + 500).flatMap((o) => (o.op === 'p' ? ['p', o.path, o.mode.toString(8)] : [o.op, o.path]));
    try {
      await run(bin, args);
    } catch (err) {
      const stderr = (err as { stderr?: string }).stderr?.trim();
      throw new LayerError('LAYER_HELPER_FAILED', `isobench-ovlmark failed: ${stderr || (err as Error).message}`, {
        cause: err,
        hint: 'whiteouts need root (mknod) and a filesystem with trusted.* xattrs for opaque dirs',
      });
    }
  }
}
