import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { mountsUnder } from '../../src/engine/rootfs/mounts.js';

/**
 * Removes a test's temp tree, but only once nothing is mounted under it:
 * a failing test may leave a chroot or container mount behind, and a
 * recursive delete must never follow one. Mounts are detached first
 * (rslave, then lazily); if any remains the tree is left in place.
 */
export async function safeRemoveTree(dir: string): Promise<void> {
  for (const m of [...mountsUnder(dir)].reverse()) spawnSync('mount', ['--make-rslave', m]);
  for (const m of mountsUnder(dir)) spawnSync('umount', ['-l', m]);
  const left = mountsUnder(dir);
  if (left.length > 0) throw new Error(`not removing ${dir}: still mounted: ${left.join(', ')}`);
  await rm(dir, { recursive: true, force: true });
}
