import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { promisify } from 'node:util';
import type { HomePaths } from '../core/home.js';
import { NATIVE_DIR } from '../core/version.js';
import { openStore, MEDIA_TYPES, type Descriptor, type OciImageConfig, type OciManifest, type OciStore } from '../engine/store/index.js';
import type { ImageRef } from './types.js';
import { WORKLOAD_RECIPE } from './recipe/workload.js';
import type { ImageRecipe } from './recipe/types.js';
import { entriesFingerprint, materialize, writeLayerTar, type LayerEntry } from './layer-tar.js';

const gzip = promisify(zlib.gzip);

/** Bump when the way layers/config are written changes (part of the inputs hash). */
export const IMAGE_FORMAT = 1;
/** Manifest annotation holding the hash of the recipe inputs the image was built from. */
export const INPUTS_ANNOTATION = 'org.isobench.recipe.inputs';

export interface BuildOptions {
  log?: (line: string) => void;
  /** Where isobench-probe is (default NATIVE_DIR). */
  nativeDir?: string;
  /** Another recipe (tests, future images). Default WORKLOAD_RECIPE. */
  recipe?: ImageRecipe;
  /** Rebuild even if an image from the same inputs exists. */
  force?: boolean;
}

/**
 * Builds the workload image from its recipe into the home's store and tags
 * it. Deterministic (fixed mtimes, uid/gid 0, sorted entries, gzip without
 * timestamp, no `created` field) so equal inputs give an equal manifest digest
 * on any host. Quick when nothing changed: the recipe inputs (every file's
 * bytes, modes, links, the config) are hashed and, if the tagged manifest
 * carries that hash and its blobs hash to their digests, it is returned as
 * is; a damaged image is rebuilt (which rewrites the damaged blobs).
 */
export async function buildWorkloadImage(home: HomePaths, opts: BuildOptions = {}): Promise<ImageRef> {
  const recipe = opts.recipe ?? WORKLOAD_RECIPE;
  const log = opts.log ?? (() => undefined);
  const ctx = { nativeDir: opts.nativeDir ?? NATIVE_DIR, log };
  const store = await openStore(home.store);

  const layers: { id: string; description: string; entries: LayerEntry[] }[] = [];
  for (const l of recipe.layers) layers.push({ id: l.id, description: l.description, entries: await materialize(await l.collect(ctx)) });
  const inputs = crypto.createHash('sha256')
    .update(JSON.stringify({ format: IMAGE_FORMAT, config: recipe.config, layers: layers.map((l) => [l.id, l.description, entriesFingerprint(l.entries)]) }))
    .digest('hex');

  if (!opts.force) {
    const existing = await upToDate(store, recipe.name, inputs, log);
    if (existing) {
      log(`image ${recipe.name} up to date (${existing.digest.slice(0, 19)})`);
      return existing;
    }
  }

  const t0 = performance.now();
  const descs: Descriptor[] = [];
  const diffIds: string[] = [];
  for (const l of layers) {
    const tarBuf = await writeLayerTar(l.entries);
    const gz = await gzip(tarBuf, { level: 6 });
    const info = await store.putBlob(gz);
    const diffId = `sha256:${crypto.createHash('sha256').update(tarBuf).digest('hex')}`;
    descs.push({ mediaType: MEDIA_TYPES.layerTarGzip, digest: info.digest, size: info.size });
    diffIds.push(diffId);
    log(`layer ${l.id}: ${l.entries.length} entries, ${tarBuf.length} bytes (${info.size} gzipped) ${info.digest.slice(0, 19)}`);
  }
  const config: OciImageConfig = {
    architecture: 'amd64',
    os: 'linux',
    config: { Env: recipe.config.env, Entrypoint: recipe.config.entrypoint, Cmd: recipe.config.cmd, WorkingDir: recipe.config.workingDir },
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: layers.map((l) => ({ created_by: `isobench recipe: ${l.id}`, comment: l.description })),
  };
  const configDesc = await store.putConfig(config);
  const manifest: OciManifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.manifest,
    config: configDesc,
    layers: descs,
    annotations: { [INPUTS_ANNOTATION]: inputs },
  };
  const manifestDesc = await store.putManifest(manifest);
  await store.tag(recipe.name, manifestDesc.digest);
  log(`image ${recipe.name} built in ${Math.round(performance.now() - t0)} ms: ${manifestDesc.digest}`);
  return store.resolve(recipe.name);
}

async function upToDate(store: OciStore, name: string, inputs: string, log: (line: string) => void): Promise<ImageRef | undefined> {
  let image: ImageRef;
  try {
    image = await store.resolve(name);
    const manifest = await store.readManifest(image.digest);
    if (manifest.annotations?.[INPUTS_ANNOTATION] !== inputs) return undefined;
    // Hash every blob, not just check it exists: a flipped byte in a layer
    // must cost a rebuild here, not a digest error when an environment
    // unpacks it. putBlob rewrites a damaged blob with the good bytes.
    for (const d of [manifest.config, ...manifest.layers]) await store.verifyBlob(d.digest);
    return image;
  } catch (err) {
    const what = err instanceof Error ? err.message : String(err);
    if (!/not found|unknown|no such/i.test(what)) log(`image ${name} is damaged (${what}); rebuilding`);
    return undefined; // not there or damaged: rebuild
  }
}
