/**
 * A user's image, from wherever it comes (a name in the store, an OCI or
 * `docker save` archive, a registry), turned into what the environments run:
 * the user's layers unchanged plus the probe as one extra layer on top. Both
 * digests are kept: the user's (what they gave us) and the run image's (what
 * every environment reports).
 */
import crypto from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { promisify } from 'node:util';
import type { HomePaths } from '../core/home.js';
import { ConfigError } from '../core/errors.js';
import { NATIVE_DIR } from '../core/version.js';
import { importImageArchive, openStore, MEDIA_TYPES, StoreError, type OciImageConfig, type OciManifest, type OciStore } from '../engine/store/index.js';
import { pull, type ClientOptions } from '../engine/registry/index.js';
import { hostPlatform } from '../engine/registry/media.js';
import type { ImageRef } from './types.js';
import { materialize, writeLayerTar } from './layer-tar.js';
import { probeLayer } from './recipe/probe.js';

const gzip = promisify(zlib.gzip);

export type UserImageSource = 'store' | 'oci-archive' | 'docker-archive' | 'registry';

export interface UserImage {
  /** What the user wrote (--image / image:). */
  ref: string;
  source: UserImageSource;
  /** The name it has in the store. */
  name: string;
  /** Manifest digest of the user's image as imported (OCI). */
  digest: string;
  /** docker save only: Docker's image ID (sha256 of the config), which `docker images` shows. */
  dockerImageId?: string;
  architecture: string;
  /** The user's image + the probe layer: what every environment runs. */
  run: ImageRef;
}

/** Tag of the run image of a user image (one per user image digest: rebuilt only when that or the probe changes). */
export const RUN_IMAGE_REPO = 'isobench/run';

export interface ResolveOptions {
  nativeDir?: string;
  /** Registry client options for pulls (tests: scheme). */
  registry?: ClientOptions;
  log?: (line: string) => void;
}

/** A reference that names a file: a path, or anything ending like an archive. */
function looksLikePath(ref: string): boolean {
  return ref.startsWith('/') || ref.startsWith('./') || ref.startsWith('../') || /\.(tar|tgz|tar\.gz|oci)$/i.test(ref);
}

/** host[:port]/repo[:tag]: the first component is a host (has a dot or a port, or is localhost). */
function looksLikeRegistry(ref: string): boolean {
  const slash = ref.indexOf('/');
  if (slash <= 0) return false;
  const host = ref.slice(0, slash);
  return host.includes('.') || host.includes(':') || host === 'localhost';
}

/**
 * Finds or fetches the user's image and returns it with its run image.
 * Order: an existing file (or path-like ref) is an archive; a name the store
 * has is used as is; a host/repo reference is pulled; anything else is an
 * error naming the four forms.
 */
export async function resolveUserImage(home: HomePaths, ref: string, opts: ResolveOptions = {}): Promise<UserImage> {
  const store = await openStore(home.store);
  const log = opts.log ?? (() => undefined);
  let source: UserImageSource;
  let user: ImageRef;
  let dockerImageId: string | undefined;
  if (existsSync(ref) || looksLikePath(ref)) {
    if (!existsSync(ref)) {
      throw new ConfigError('IMAGE_FILE_MISSING', `image archive ${ref}: no such file`, { hint: 'give the path of an OCI or docker save archive, a name in the store (bench image ls) or host[:port]/name[:tag]' });
    }
    const imported = await importImageArchive(store, ref).catch(async (err: unknown) => {
      // An OCI archive need not name its image (skopeo, buildah): name it after the file then.
      if (err instanceof StoreError && /give it a name/.test(err.message)) return importImageArchive(store, ref, { name: archiveName(ref) });
      throw err;
    });
    source = imported.format === 'docker' ? 'docker-archive' : 'oci-archive';
    user = imported.images[0]!;
    dockerImageId = imported.dockerImageIds?.[0];
    log(`imported ${ref} (${source}) as ${user.name} ${user.digest}`);
  } else if (await hasName(store, ref)) {
    source = 'store';
    user = await store.resolve(ref);
  } else if (looksLikeRegistry(ref)) {
    source = 'registry';
    const r = await pull(store, ref, { ...(opts.registry ?? {}), progress: log });
    user = r.image;
    log(`pulled ${r.reference} ${r.manifestDigest}`);
  } else {
    throw new ConfigError('IMAGE_NOT_FOUND', `image ${JSON.stringify(ref)}: no such file, no such name in the store, and not a registry reference`, {
      hint: 'give an OCI or docker save archive path, a name from `bench image ls`, or host[:port]/name[:tag] to pull',
    });
  }
  const manifest = await store.readManifest(user.digest);
  const config = await store.readConfig(manifest.config.digest);
  const want = hostPlatform();
  if (config.os && config.os !== want.os) {
    throw new ConfigError('IMAGE_PLATFORM_MISMATCH', `image ${ref} is for ${config.os}, this host runs ${want.os}`);
  }
  if (config.architecture !== want.architecture) {
    throw new ConfigError('IMAGE_ARCH_MISMATCH', `image ${ref} is built for ${config.architecture || 'an unknown architecture'}, this host is ${want.architecture}: its programs cannot run here`, {
      hint: `use the ${want.architecture} variant of the image (e.g. docker save of a --platform linux/${want.architecture} image)`,
    });
  }
  const run = await withProbeLayer(store, user, manifest, config, opts.nativeDir ?? NATIVE_DIR);
  return { ref, source, name: user.name, digest: user.digest, ...(dockerImageId ? { dockerImageId } : {}), architecture: config.architecture, run };
}

/** Store name of an archive that carries none: isobench/import:<file name>. */
function archiveName(ref: string): string {
  const base = path.basename(ref).replace(/\.(tar\.gz|tgz|tar|oci)$/i, '').replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[^A-Za-z0-9_]+/, '').slice(0, 120);
  return `isobench/import:${base || 'archive'}`;
}

async function hasName(store: OciStore, ref: string): Promise<boolean> {
  try {
    await store.lookup(ref);
    return true;
  } catch (err) {
    if (err instanceof StoreError) return false;
    throw err;
  }
}

/**
 * The run image: the user's manifest's layer descriptors unchanged, plus the
 * probe layer (built like the workload image's: fixed mtimes, uid 0, gzip
 * without timestamp, so the same probe gives the same blob), and the user's
 * config with one more diff_id and history entry. Tagged isobench/run:<hex>
 * of the user digest.
 */
export async function withProbeLayer(store: OciStore, user: ImageRef, manifest: OciManifest, config: OciImageConfig, nativeDir: string): Promise<ImageRef> {
  const entries = await materialize(await probeLayer.collect({ nativeDir, log: () => undefined }));
  const tarBuf = await writeLayerTar(entries);
  const gz = await gzip(tarBuf, { level: 6 });
  const layer = await store.putBlob(gz);
  const diffId = `sha256:${crypto.createHash('sha256').update(tarBuf).digest('hex')}`;
  const runConfig: OciImageConfig = {
    ...config,
    rootfs: { type: 'layers', diff_ids: [...config.rootfs.diff_ids, diffId] },
    history: [...(config.history ?? []), { created_by: 'isobench: probe layer', comment: probeLayer.description }],
  };
  const configDesc = await store.putConfig(runConfig);
  const runManifest: OciManifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.manifest,
    config: configDesc,
    layers: [...manifest.layers, { mediaType: MEDIA_TYPES.layerTarGzip, digest: layer.digest, size: layer.size }],
    annotations: { 'org.isobench.user-image': user.digest, 'org.isobench.user-image.name': user.name },
  };
  const desc = await store.putManifest(runManifest);
  const name = `${RUN_IMAGE_REPO}:${user.digest.slice(7, 23)}`;
  await store.tag(name, desc.digest);
  return store.resolve(name);
}
