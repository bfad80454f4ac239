import path from 'node:path';
import { readdir } from 'node:fs/promises';
import { REPO_ROOT } from '../../core/version.js';
import { APP_PATHS, APPS_IMAGE_NAME } from '../types.js';
import { binariesLayer } from './binaries.js';
import { busyboxLayer } from './busybox.js';
import { probeImageConfig, probeLayer } from './probe.js';
import type { FileSpec, ImageRecipe, RecipeLayer } from './types.js';

export const APPS_IMAGE = APPS_IMAGE_NAME;

/** The scripts ship as files in the repository (readable, testable with any sh); the image gets their bytes. */
export const APP_SCRIPTS_DIR = path.join(REPO_ROOT, 'src', 'image', 'recipe', 'apps');

const scriptsLayer: RecipeLayer = {
  id: 'app-scripts',
  description: `the application scenarios' scripts at ${APP_PATHS.scriptsDir} (server + client on loopback, timers from the probe)`,
  async collect() {
    const names = (await readdir(APP_SCRIPTS_DIR)).filter((n) => n.endsWith('.sh')).sort();
    return names.map((n): FileSpec => ({ path: path.posix.join(APP_PATHS.scriptsDir, n), type: 'file', source: path.join(APP_SCRIPTS_DIR, n), mode: 0o755 }));
  },
};

/**
 * The applications image: the same busybox base and probe as the workload
 * image, plus Debian's redis, sqlite3, nginx-light, wrk, fio and gzip with
 * the libraries ldd reports (no compiler, nothing built at run time). A
 * separate image so the workload image, and with it every startup figure,
 * stays small; fio alone brings ~80 MiB of libraries.
 */
export const APPS_RECIPE: ImageRecipe = {
  name: APPS_IMAGE,
  layers: [
    busyboxLayer,
    binariesLayer('apps', 'redis-server, redis-benchmark, sqlite3, nginx (light), wrk, fio and gzip from Debian packages, with the shared libraries ldd reports', [
      { host: APP_PATHS.redisServer, pkg: 'redis-server' },
      { host: APP_PATHS.redisBenchmark, pkg: 'redis-tools' },
      { host: APP_PATHS.sqlite3, pkg: 'sqlite3' },
      { host: APP_PATHS.nginx, pkg: 'nginx-light' },
      { host: APP_PATHS.wrk, pkg: 'wrk' },
      { host: APP_PATHS.fio, pkg: 'fio' },
      { host: APP_PATHS.gzip, pkg: 'gzip' },
    ]),
    scriptsLayer,
    probeLayer,
  ],
  config: probeImageConfig(),
};
