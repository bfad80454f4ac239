import type { HomePaths } from '../../core/home.js';
import type { ImageRef } from '../store/image-ref.js';
import { openStore } from '../store/index.js';
import type { ImageDefaults } from '../spec/container-spec.js';

export const DEFAULT_IMAGE = 'isobench/workload:latest';

export type EnsureSnapshots = (home: HomePaths, image: ImageRef) => Promise<string[]>;

/**
 * The snapshot lookup (src/engine/layers), loaded when an image is mounted;
 * the tar code behind it loads only if a layer still has to be extracted.
 */
export async function loadEnsureSnapshots(): Promise<EnsureSnapshots> {
  return (await import('../layers/snapshots.js')).ensureSnapshots;
}

export interface ImageRootfs {
  image: ImageRef;
  /** Snapshot dirs, top-most first (overlay lowerdir order). */
  lowerDirs: string[];
  defaults: ImageDefaults;
}

/** name:tag -> verified image + its extracted, shared, read-only layer dirs. */
export async function imageRootfs(home: HomePaths, name: string = DEFAULT_IMAGE): Promise<ImageRootfs> {
  const store = await openStore(home.store);
  const image = await store.resolve(name);
  const lowerDirs = await (await loadEnsureSnapshots())(home, image);
  return { image, lowerDirs, defaults: imageDefaults(image) };
}

export function imageDefaults(image: ImageRef): ImageDefaults {
  return { env: image.config.env, entrypoint: image.config.entrypoint, cmd: image.config.cmd, workingDir: image.config.workingDir };
}
