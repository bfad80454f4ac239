import fsp from 'node:fs/promises';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import type { OciStore } from '../../../src/engine/store/store.js';
import { MEDIA_TYPES, type Descriptor, type OciManifest } from '../../../src/engine/store/oci-types.js';
import { sha256Digest } from '../../../src/engine/store/digest.js';

/** A gzip tar layer from (path -> content) entries; directories are implied. */
export async function makeLayer(files: Record<string, { data: Buffer; mode?: number }>): Promise<{ gz: Buffer; diffId: string }> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => { chunks.push(c as Buffer); });
  const done = new Promise<void>((r) => pack.on('end', () => r()));
  const dirs = new Set<string>();
  for (const p of Object.keys(files)) {
    const parts = p.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  for (const d of [...dirs].sort()) pack.entry({ name: d + '/', type: 'directory', mode: 0o755, mtime: new Date(0) });
  for (const [name, f] of Object.entries(files)) pack.entry({ name, mode: f.mode ?? 0o644, mtime: new Date(0) }, f.data);
  pack.finalize();
  await done;
  const raw = Buffer.concat(chunks);
  return { gz: zlib.gzipSync(raw), diffId: sha256Digest(raw) };
}

/** Stores layers + config + manifest and tags `name`; returns the manifest digest. */
export async function storeImage(store: OciStore, name: string, layers: { gz: Buffer; diffId: string }[], cmd: string[]): Promise<string> {
  const layerDescs: Descriptor[] = [];
  for (const l of layers) {
    const info = await store.putBlob(l.gz);
    layerDescs.push({ mediaType: MEDIA_TYPES.layerTarGzip, digest: info.digest, size: info.size });
  }
  const config = await store.putConfig({
    architecture: 'amd64',
    os: 'linux',
    config: { Cmd: cmd, Env: ['PATH=/bin:/usr/bin'] },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
  });
  const manifest: OciManifest = { schemaVersion: 2, mediaType: MEDIA_TYPES.manifest, config, layers: layerDescs };
  const desc = await store.putManifest(manifest);
  await store.tag(name, desc.digest);
  return desc.digest;
}

/** busybox + the static probe: enough to chroot into and print the ready token. */
export async function probeImageLayers(probePath: string): Promise<{ gz: Buffer; diffId: string }[]> {
  const busybox = await fsp.readFile('/bin/busybox');
  const probe = await fsp.readFile(probePath);
  return [
    await makeLayer({ 'bin/busybox': { data: busybox, mode: 0o755 } }),
    await makeLayer({ 'isobench/probe': { data: probe, mode: 0o755 } }),
  ];
}
