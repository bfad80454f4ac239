import { promises as fs } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import type { ImageRef } from '../../image/types.js';
import { BenchError } from '../../core/errors.js';
import { openStore } from '../../engine/store/index.js';
import { dockerArchiveManifest } from './docker-args.js';

export interface LoadedImage {
  name: string;
  /** The daemon's image id (sha256 of the config: our config digest when the load kept it byte for byte). */
  imageId: string;
  /** true when the daemon already had it. */
  cached: boolean;
}

async function inspectId(docker: string, socket: string, name: string): Promise<string | undefined> {
  const r = await execa(docker, ['--host', `unix://${socket}`, 'image', 'inspect', '--format', '{{.Id}}', name], { reject: false, timeout: 30_000 });
  return r.exitCode === 0 ? String(r.stdout).trim() : undefined;
}

/**
 * Puts the workload image into our daemon: a Docker image archive made of
 * manifest.json and the store's own blobs (tar of paths, nothing re-encoded)
 * piped into `docker load`.
 */
export async function loadImage(docker: string, socket: string, image: ImageRef, name: string, scratch: string): Promise<LoadedImage> {
  const have = await inspectId(docker, socket, name);
  if (have) return { name, imageId: have, cached: true };
  const store = await openStore(image.storeRoot);
  const manifest = await store.readManifest(image.digest);
  await fs.mkdir(scratch, { recursive: true });
  try {
    await fs.writeFile(path.join(scratch, 'manifest.json'), JSON.stringify(dockerArchiveManifest(name, manifest.config.digest, manifest.layers.map((l) => l.digest))));
    // Each blob once: an image that carries a layer twice would otherwise get a tar entry
    // hard-linked to itself, which docker load rejects (manifest.json still lists both).
    const blobs = [...new Set([manifest.config.digest, ...manifest.layers.map((l) => l.digest)])].map((d) => `blobs/sha256/${d.replace(/^sha256:/, '')}`);
    const archive = path.join(scratch, 'image.tar');
    await execa('tar', ['-cf', archive, '-C', scratch, 'manifest.json', '-C', image.storeRoot, ...blobs], { timeout: 120_000 });
    const r = await execa(docker, ['--host', `unix://${socket}`, 'load', '--input', archive], { reject: false, timeout: 300_000 });
    if (r.exitCode !== 0) throw new BenchError('DOCKER_LOAD_FAILED', `docker load of ${image.digest} failed: ${String(r.stderr).trim().slice(-400)}`);
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
  const id = await inspectId(docker, socket, name);
  if (!id) throw new BenchError('DOCKER_LOAD_FAILED', `docker load reported success but ${name} is not in the daemon`);
  return { name, imageId: id, cached: false };
}
