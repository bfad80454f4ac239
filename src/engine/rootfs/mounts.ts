import { readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { BenchError } from '../../core/errors.js';

const run = promisify(execFile);

export class MountError extends BenchError {}

/** Mount points from mountinfo (field 5, octal escapes decoded). */
export function mountPoints(mountinfo: string = readFileSync('/proc/self/mountinfo', 'utf8')): string[] {
  return mountinfo.split('\n').filter(Boolean).map((l) => (l.split(' ')[4] ?? '').replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))));
}

/** Mounts at or below dir, deepest first (the order they must be unmounted in). */
export function mountsUnder(dir: string, mountinfo?: string): string[] {
  const root = path.resolve(dir);
  return mountPoints(mountinfo).filter((m) => m === root || m.startsWith(root + '/')).sort((a, b) => b.length - a.length);
}

/** Unmounts everything at or below dir (lazily when busy); returns what was unmounted. */
export async function unmountUnder(dir: string): Promise<string[]> {
  const done: string[] = [];
  for (const m of mountsUnder(dir)) {
    try {
      await run('umount', [m]);
    } catch {
      await run('umount', ['-l', m]).catch((e: unknown) => {
        throw new MountError('UMOUNT_FAILED', `cannot unmount ${m}: ${(e as Error).message}`, { cause: e });
      });
    }
    done.push(m);
  }
  return done;
}

/**
 * A host-side overlay (used by the runc and bwrap peers, which need a ready
 * root directory; our own engine mounts inside the container's namespace).
 */
export async function mountOverlay(lowerDirs: string[], upper: string, work: string, target: string): Promise<void> {
  const opts = `lowerdir=${lowerDirs.join(':')},upperdir=${upper},workdir=${work}`;
  try {
    await run('mount', ['-t', 'overlay', 'overlay', '-o', opts, target]);
  } catch (e) {
    throw new MountError('OVERLAY_MOUNT_FAILED', `cannot mount overlay at ${target}: ${(e as Error).message}`, { cause: e, hint: 'overlayfs needs root and a non-overlay filesystem under the home' });
  }
}
