import { execFile } from 'node:child_process';
import fsp from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { openStore, type OciStore } from '../../engine/store/index.js';
import { push, pull, startRegistry, registryAvailable } from '../../engine/registry/index.js';
import type { PortabilityEvidence, RegistryFacts } from '../../results/types.js';
import { IMAGE_PATHS, type ImageRef } from '../../image/types.js';
import type { Ledger } from '../../core/run-ledger.js';

const run = promisify(execFile);

export interface RoundTripOptions {
  store: OciStore;
  image: ImageRef;
  /** Scratch dir (removed afterwards): the fresh store and the unpacked root. */
  scratch: string;
  /** Where the registry server's pid is recorded (a run's ledger), so gc can end it if we are killed. */
  ledger?: Ledger;
}

/**
 * Pushes the image to a docker-registry started on 127.0.0.1 for the
 * purpose, pushes again (everything must be skipped), pulls it into an
 * empty store and checks the digest; then unpacks the pulled layers and
 * chroots into them to run the probe's ready command, proving the pulled
 * bytes are a working image. Everything started or written is removed.
 */
export async function registryRoundTrip(opts: RoundTripOptions): Promise<{ fact: RegistryFacts & { identical: boolean; ranAfter: boolean }; evidence: PortabilityEvidence }> {
  const avail = registryAvailable();
  if (!avail.ok) throw new Error(avail.reason);
  await fsp.mkdir(opts.scratch, { recursive: true });
  const server = await startRegistry({ parentDir: opts.scratch, ...(opts.ledger ? { ledger: opts.ledger } : {}) });
  try {
    const repo = opts.image.name.replace(/:[^:/]*$/, '').toLowerCase();
    const reference = `${server.host}/${repo}:roundtrip`;
    let t = performance.now();
    const first = await push(opts.store, opts.image.name, reference);
    const pushMs = performance.now() - t;
    const second = await push(opts.store, opts.image.name, reference);
    const fresh = await openStore(path.join(opts.scratch, 'store'));
    t = performance.now();
    const got = await pull(fresh, reference);
    const pullMs = performance.now() - t;
    const root = path.join(opts.scratch, 'rootfs');
    await fsp.mkdir(root);
    for (const l of got.image.layers) await run('tar', ['-xf', fresh.blobPath(l.digest), '-C', root]);
    const token = `registry-${crypto.randomBytes(6).toString('hex')}`;
    let ranAfter = false;
    let ranDetail: string;
    try {
      const { stdout } = await run('chroot', [root, IMAGE_PATHS.probe, 'ready', token], { timeout: 20_000 });
      ranAfter = stdout.includes(token);
      ranDetail = ranAfter ? `chroot into the pulled layers printed the ready token ${token}` : `probe ran but printed no token: ${stdout.slice(0, 200)}`;
    } catch (err) {
      ranDetail = `running the pulled image failed: ${(err as Error).message.slice(0, 300)}`;
    }
    const fact = {
      status: 'ok' as const,
      registry: server.host,
      server: 'docker-registry (distribution 2.x) on loopback',
      reference,
      pushedDigest: first.manifestDigest,
      pulledDigest: got.manifestDigest,
      identical: first.manifestDigest === got.manifestDigest && first.manifestDigest === opts.image.digest,
      layers: opts.image.layers.length,
      bytesUploaded: first.bytesUploaded,
      uploadMode: 'monolithic' as const,
      layersSkippedOnSecondPush: second.blobs.filter((b, i) => b.skipped && i > 0).length,
      blobsUploadedOnSecondPush: second.uploaded,
      pushMs: Math.round(pushMs),
      pullMs: Math.round(pullMs),
      ranAfter,
      ranDetail,
    };
    const evidence: PortabilityEvidence = {
      env: 'container',
      method: 'registry push/pull',
      digestBefore: first.manifestDigest,
      digestAfter: got.manifestDigest,
      identical: fact.identical,
      ranAfter,
      detail: `pushed ${opts.image.name} to ${reference} (${first.uploaded} blobs, ${first.bytesUploaded} bytes, ${fact.pushMs} ms), pulled into an empty store (${fact.pullMs} ms); second push skipped ${second.skipped}/${second.blobs.length} blobs; ${ranDetail}`,
    };
    return { fact, evidence };
  } finally {
    await server.stop();
    await fsp.rm(opts.scratch, { recursive: true, force: true });
  }
}
