export type { FileSpec, RecipeContext, RecipeLayer, ImageRecipe } from './types.js';
export { binariesLayer, type HostBinary } from './binaries.js';
export { busyboxLayer } from './busybox.js';
export { probeLayer } from './probe.js';
export { parseLdd, sharedLibraries } from './shared-libs.js';
export { WORKLOAD_RECIPE, WORKLOAD_IMAGE } from './workload.js';
export { APPS_RECIPE, APPS_IMAGE, APP_SCRIPTS_DIR } from './apps.js';
import { WORKLOAD_RECIPE as W } from './workload.js';
import { APPS_RECIPE as A } from './apps.js';
import type { ImageRecipe as R } from './types.js';
/** Every image isobench builds itself, by name: the workload image first. */
export const RECIPES: readonly R[] = [W, A];
