import type { HomePaths } from '../../core/home.js';
import { listStates } from '../state/store.js';

export interface LiveContainerUse {
  id: string;
  /** Manifest digest and name of the image it was created from, when known. */
  image: { name: string; digest: string } | null;
  /** Snapshot dirs its overlay rootfs stacks (absolute paths). */
  lowerDirs: string[];
}

/**
 * Containers of this home that are not stopped (liveness is re-checked by
 * pid + start time), with what they hold of the image store: removing their
 * image's blobs or their snapshot dirs would pull the rootfs from under them.
 */
export async function liveContainerUses(home: HomePaths): Promise<LiveContainerUse[]> {
  const out: LiveContainerUse[] = [];
  for (const s of await listStates(home)) {
    if (s.status === 'stopped') continue;
    out.push({
      id: s.id,
      image: s.spec.image,
      lowerDirs: s.spec.rootfs.kind === 'overlay' ? [...s.spec.rootfs.lowerDirs] : [],
    });
  }
  return out;
}
