export type { FileSpec, RecipeContext, RecipeLayer, ImageRecipe } from './types.js';
export { binariesLayer, type HostBinary } from './binaries.js';
export { busyboxLayer } from './busybox.js';
export { probeLayer } from './probe.js';
export { parseLdd, sharedLibraries } from './shared-libs.js';
export { WORKLOAD_RECIPE, WORKLOAD_IMAGE } from './workload.js';
export { APPS_RECIPE, APPS_IMAGE, APP_SCRIPTS_DIR } from './apps.js';
