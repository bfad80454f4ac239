import type { HomePaths } from '../core/home.js';
import type { ImageRef } from '../image/types.js';
import type { ImageInfo } from '../results/types.js';
import { buildWorkloadImage } from '../image/build.js';
import { RECIPES, WORKLOAD_IMAGE } from '../image/recipe/index.js';
import { ConfigError } from '../core/errors.js';

/** Builds (or reuses) one of the run's images by name (default: the workload image) and returns its reference. */
export type BuildImageFn = (home: HomePaths, name?: string) => Promise<ImageRef>;

/** src/image's builder for the images it has recipes for (reuses a stored image when its inputs did not change). */
export const defaultBuildImage: BuildImageFn = (home, name = WORKLOAD_IMAGE) => {
  const recipe = RECIPES.find((r) => r.name === name);
  if (!recipe) throw new ConfigError('IMAGE_NO_RECIPE', `no recipe builds the image ${name}`, { hint: `isobench builds ${RECIPES.map((r) => r.name).join(' and ')}` });
  return buildWorkloadImage(home, { recipe });
};

export function imageInfo(image: ImageRef): ImageInfo {
  return {
    name: image.name,
    digest: image.digest,
    layers: image.layers.map((l) => ({ digest: l.digest, size: l.size })),
  };
}
