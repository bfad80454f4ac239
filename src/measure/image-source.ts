import type { HomePaths } from '../core/home.js';
import type { ImageRef } from '../image/types.js';
import type { ImageInfo } from '../results/types.js';
import { buildWorkloadImage } from '../image/build.js';

/** Builds (or reuses) the run's workload image and returns its reference. */
export type BuildImageFn = (home: HomePaths) => Promise<ImageRef>;

/** src/image's builder (reuses the stored image when its inputs did not change). */
export const defaultBuildImage: BuildImageFn = (home) => buildWorkloadImage(home);

export function imageInfo(image: ImageRef): ImageInfo {
  return {
    name: image.name,
    digest: image.digest,
    layers: image.layers.map((l) => ({ digest: l.digest, size: l.size })),
  };
}
