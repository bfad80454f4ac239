import type { HomePaths } from '../core/home.js';
import type { ImageRef } from '../image/types.js';
import type { ImageInfo } from '../results/types.js';

/** Builds (or reuses) the run's workload image and returns its reference. */
export type BuildImageFn = (home: HomePaths) => Promise<ImageRef>;

/** src/image's builder; resolved at run time (src/image lands in parallel with this module). */
export const defaultBuildImage: BuildImageFn = async (home) => {
  const spec = '../image/index.js';
  const mod = (await import(spec)) as { buildWorkloadImage: (home: HomePaths) => Promise<ImageRef> };
  return mod.buildWorkloadImage(home);
};

export function imageInfo(image: ImageRef): ImageInfo {
  return {
    name: image.name,
    digest: image.digest,
    layers: image.layers.map((l) => ({ digest: l.digest, size: l.size })),
  };
}
