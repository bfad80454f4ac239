import type { ImageRef } from './image-ref.js';
import { StoreError } from './errors.js';
import { isDigest } from './digest.js';
import type { Descriptor, OciImageConfig, OciIndex, OciManifest } from './oci-types.js';

/**
 * Shape checks for the JSON documents we read back. Every digest that will
 * name a file is validated here, so a hostile manifest cannot make the store
 * open "blobs/sha256/../../etc/passwd".
 */
function fail(where: string, what: string): never {
  throw new StoreError('STORE_INVALID_LAYOUT', `${where}: ${what}`, {
    hint: 'the image is damaged or not an OCI image; build, import or pull it again',
  });
}

function parseJson(buf: Buffer, where: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(buf.toString('utf8'));
  } catch (err) {
    fail(where, `not JSON (${(err as Error).message})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(where, 'not a JSON object');
  return v as Record<string, unknown>;
}

export function checkDescriptor(d: unknown, where: string): Descriptor {
  if (typeof d !== 'object' || d === null) fail(where, 'descriptor is not an object');
  const o = d as Record<string, unknown>;
  if (!isDigest(o.digest)) fail(where, `bad digest ${JSON.stringify(o.digest)}`);
  if (typeof o.size !== 'number' || !Number.isSafeInteger(o.size) || o.size < 0) fail(where, `bad size for ${o.digest}`);
  if (typeof o.mediaType !== 'string') fail(where, `missing mediaType for ${o.digest}`);
  return o as unknown as Descriptor;
}

export function parseIndex(buf: Buffer, where: string): OciIndex {
  const o = parseJson(buf, where);
  if (o.schemaVersion !== 2 || !Array.isArray(o.manifests)) fail(where, 'not an OCI index (schemaVersion 2 with manifests[])');
  o.manifests.forEach((m, i) => checkDescriptor(m, `${where} manifests[${i}]`));
  return o as unknown as OciIndex;
}

export function parseManifest(buf: Buffer, digest: string): OciManifest {
  const where = `manifest ${digest}`;
  const o = parseJson(buf, where);
  if (o.schemaVersion !== 2 || !Array.isArray(o.layers) || o.config === undefined) {
    fail(where, 'not an image manifest (schemaVersion 2 with config and layers[]); image indexes are not supported here');
  }
  checkDescriptor(o.config, `${where} config`);
  o.layers.forEach((l, i) => checkDescriptor(l, `${where} layers[${i}]`));
  return o as unknown as OciManifest;
}

export function parseConfig(buf: Buffer, digest: string): OciImageConfig {
  const where = `config ${digest}`;
  const o = parseJson(buf, where);
  const rootfs = o.rootfs as { diff_ids?: unknown } | undefined;
  if (!rootfs || !Array.isArray(rootfs.diff_ids) || !rootfs.diff_ids.every(isDigest)) {
    fail(where, 'rootfs.diff_ids missing or not sha256 digests');
  }
  return o as unknown as OciImageConfig;
}

export function toImageRef(name: string, digest: string, manifest: OciManifest, config: OciImageConfig, storeRoot: string): ImageRef {
  const diffIds = config.rootfs.diff_ids;
  if (diffIds.length !== manifest.layers.length) {
    fail(`image ${name}`, `${manifest.layers.length} layers but ${diffIds.length} diff_ids in the config`);
  }
  const c = config.config ?? {};
  return {
    name,
    digest,
    layers: manifest.layers.map((l, i) => ({ digest: l.digest, diffId: diffIds[i]!, mediaType: l.mediaType, size: l.size })),
    config: {
      env: c.Env ?? [],
      entrypoint: c.Entrypoint ?? [],
      cmd: c.Cmd ?? [],
      workingDir: c.WorkingDir || '/',
      ...(c.User ? { user: c.User } : {}),
    },
    storeRoot,
  };
}
