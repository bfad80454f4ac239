import crypto from 'node:crypto';
import fsp from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, sha256Digest, MEDIA_TYPES, type OciStore } from '../../../src/engine/store/index.js';
import { pull } from '../../../src/engine/registry/index.js';
import { makeLayer } from './fixture-image.js';

/**
 * A tiny distribution-API server on 127.0.0.1 that serves a manifest whose
 * layer blob has one byte flipped (same length): the pull must fail on the
 * digest and leave the store exactly as it was.
 */
describe('pull verifies digests while streaming', () => {
  let server: http.Server;
  let host: string;
  let home: string;
  let store: OciStore;
  const served: string[] = [];

  beforeAll(async () => {
    const layer = await makeLayer({ 'hello.txt': { data: crypto.randomBytes(300_000) } });
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [layer.diffId] } }));
    const configDigest = sha256Digest(config);
    const layerDigest = sha256Digest(layer.gz);
    const corrupt = Buffer.from(layer.gz);
    const mid = corrupt.length >> 1;
    corrupt[mid] = (corrupt[mid] ?? 0) ^ 0xff;
    const manifestFor = (layerSize: number): Buffer => Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.manifest,
      config: { mediaType: MEDIA_TYPES.config, digest: configDigest, size: config.length },
      layers: [{ mediaType: MEDIA_TYPES.layerTarGzip, digest: layerDigest, size: layerSize }],
    }));
    const manifest = manifestFor(layer.gz.length);
    // A second manifest whose layer claims fewer bytes than are served: the length guard must stop it.
    const shortManifest = manifestFor(1000);
    server = http.createServer((req, res) => {
      served.push(`${req.method} ${req.url}`);
      const send = (status: number, body: Buffer, type = 'application/octet-stream', digest?: string): void => {
        res.writeHead(status, { 'content-type': type, 'content-length': body.length, ...(digest ? { 'docker-content-digest': digest } : {}) });
        res.end(req.method === 'HEAD' ? undefined : body);
      };
      if (req.url === '/v2/') return send(200, Buffer.from('{}'), 'application/json');
      if (req.url === '/v2/evil/img/manifests/latest') return send(200, manifest, MEDIA_TYPES.manifest, sha256Digest(manifest));
      if (req.url === '/v2/evil/img/manifests/short') return send(200, shortManifest, MEDIA_TYPES.manifest, sha256Digest(shortManifest));
      if (req.url === '/v2/evil/img/manifests/lying') return send(200, manifest, MEDIA_TYPES.manifest, sha256Digest(shortManifest));
      if (req.url === `/v2/evil/img/blobs/${configDigest}`) return send(200, config);
      if (req.url === `/v2/evil/img/blobs/${layerDigest}`) return send(200, corrupt);
      send(404, Buffer.from('{"errors":[{"code":"NOT_FOUND","message":"unknown"}]}'), 'application/json');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    host = `127.0.0.1:${(server.address() as { port: number }).port}`;
    home = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-h8-corrupt-'));
    store = await openStore(path.join(home, 'store'));
    // Something already in the store must survive untouched.
    await store.putBlob(zlib.gzipSync(Buffer.from('pre-existing')));
  });
  afterAll(async () => {
    await new Promise<void>((r) => server?.close(() => r()));
    if (home) await fsp.rm(home, { recursive: true, force: true });
  });

  async function snapshot(): Promise<{ blobs: string[]; index: string; ingest: string[] }> {
    const root = path.join(home, 'store');
    return {
      blobs: (await fsp.readdir(path.join(root, 'blobs', 'sha256'))).sort(),
      index: await fsp.readFile(path.join(root, 'index.json'), 'utf8'),
      ingest: await fsp.readdir(path.join(root, 'ingest')).catch(() => []),
    };
  }

  it('rejects a corrupted layer and leaves the store unchanged', async () => {
    const before = await snapshot();
    await expect(pull(store, `${host}/evil/img:latest`)).rejects.toMatchObject({ code: 'REGISTRY_DIGEST_MISMATCH' });
    // The good config blob was fetched before the bad layer: it must be gone again too.
    expect(served.some((s) => s.includes('/blobs/sha256:'))).toBe(true);
    expect(await snapshot()).toEqual(before);
  });

  it('stops a blob longer than its descriptor', async () => {
    const before = await snapshot();
    await expect(pull(store, `${host}/evil/img:short`)).rejects.toMatchObject({ code: 'REGISTRY_PROTOCOL' });
    expect(await snapshot()).toEqual(before);
  });

  it('rejects a manifest whose bytes do not match the registry digest header', async () => {
    await expect(pull(store, `${host}/evil/img:lying`)).rejects.toMatchObject({ code: 'REGISTRY_DIGEST_MISMATCH' });
  });
});
