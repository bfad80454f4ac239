export { buildWorkloadImage, IMAGE_FORMAT, INPUTS_ANNOTATION, type BuildOptions } from './build.js';
export { unpackImage } from './unpack.js';
export { ensureSnapshots, snapshotDir } from '../engine/layers/index.js';
export { materialize, writeLayerTar, entriesFingerprint, type LayerEntry } from './layer-tar.js';
export {
  WORKLOAD_RECIPE, WORKLOAD_IMAGE, APPS_RECIPE, APPS_IMAGE, RECIPES, binariesLayer, busyboxLayer, probeLayer, parseLdd, sharedLibraries,
  type FileSpec, type RecipeContext, type RecipeLayer, type ImageRecipe, type HostBinary,
} from './recipe/index.js';
export { IMAGE_PATHS, APP_PATHS, type ImageRef, type ImageLayerRef } from './types.js';
