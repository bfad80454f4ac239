import crypto from 'node:crypto';
import http from 'node:http';
import { MEDIA_TYPES, sha256Digest } from '../../../src/engine/store/index.js';
import { makeLayer } from './fixture-image.js';

/**
 * A hostile distribution-API server on 127.0.0.1 for the client's bounds:
 * every repository under /v2/evil/<case>/ misbehaves in one way. A second
 * listener plays the blob store a registry may redirect downloads to and
 * records the headers it got. close() ends every endless stream.
 */
export interface MaliciousRegistry {
  host: string;
  blobStoreHost: string;
  /** Authorization headers the blob store received (must stay empty). */
  blobStoreAuth: (string | undefined)[];
  /** Requests the registry answered, "METHOD url". */
  served: string[];
  close(): Promise<void>;
}

export const USER = 'alice';
export const PASSWORD = 'wonderland';

/** Writes 64 KiB chunks with no Content-Length until the client hangs up. */
function endless(res: http.ServerResponse, status: number, type: string, fill = 'x'): void {
  res.writeHead(status, { 'content-type': type });
  const chunk = Buffer.alloc(64 * 1024, fill);
  const pump = (): void => {
    while (!res.destroyed && res.write(chunk)) { /* until the socket buffer is full */ }
  };
  res.on('drain', pump);
  pump();
}

export async function startMaliciousRegistry(): Promise<MaliciousRegistry> {
  const layer = await makeLayer({ 'hello.txt': { data: crypto.randomBytes(200_000) } });
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [layer.diffId] } }));
  const configDigest = sha256Digest(config);
  const layerDigest = sha256Digest(layer.gz);
  const flipped = Buffer.from(layer.gz);
  flipped[flipped.length >> 1] = (flipped[flipped.length >> 1] ?? 0) ^ 0x01;
  const manifest = (configSize = config.length, cDigest = configDigest): Buffer => Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.manifest,
    config: { mediaType: MEDIA_TYPES.config, digest: cDigest, size: configSize },
    layers: [{ mediaType: MEDIA_TYPES.layerTarGzip, digest: layerDigest, size: layer.gz.length }],
  }));
  // A config that claims to be small but streams without end.
  const liarConfigDigest = sha256Digest(Buffer.from('liar config'));
  const served: string[] = [];
  const blobStoreAuth: (string | undefined)[] = [];

  const blobStore = http.createServer((req, res) => {
    blobStoreAuth.push(req.headers.authorization);
    if (req.url === `/store/${layerDigest}`) {
      res.writeHead(200, { 'content-length': layer.gz.length });
      return void res.end(layer.gz);
    }
    if (req.url === `/store/${configDigest}`) {
      res.writeHead(200, { 'content-length': config.length });
      return void res.end(config);
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => blobStore.listen(0, '127.0.0.1', () => r()));
  const blobStoreHost = `127.0.0.1:${(blobStore.address() as { port: number }).port}`;

  const server = http.createServer((req, res) => {
    served.push(`${req.method} ${req.url}`);
    const url = req.url ?? '/';
    const send = (status: number, body: Buffer, type = 'application/octet-stream', extra: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': type, 'content-length': body.length, ...extra });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const sendManifest = (m: Buffer): void => send(200, m, MEDIA_TYPES.manifest, { 'docker-content-digest': sha256Digest(m) });
    const m = /^\/v2\/evil\/([a-z-]+)\/(manifests|blobs)\/(.+)$/.exec(url);
    if (!m) return send(404, Buffer.from('{"errors":[{"code":"NOT_FOUND","message":"unknown"}]}'), 'application/json');
    const [, kase, kind, ref] = m as unknown as [string, string, string, string];
    // The "auth" case wants Basic credentials on the registry (not on the blob store).
    if (kase === 'auth' && req.headers.authorization !== `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`) {
      return send(401, Buffer.from('{"errors":[{"code":"UNAUTHORIZED"}]}'), 'application/json', { 'www-authenticate': 'Basic realm="evil"' });
    }
    if (kind === 'manifests') {
      switch (kase) {
        case 'endless-manifest': return endless(res, 200, MEDIA_TYPES.manifest, ' ');
        case 'endless-error': return endless(res, 500, 'application/json', '{');
        case 'big-config': return sendManifest(manifest(512 * 1024 * 1024));
        case 'liar-config': return sendManifest(manifest(4096, liarConfigDigest));
        // Port 1 on loopback: nothing listens there, so the hop fails to connect.
        case 'manifest-redirect': return send(302, Buffer.alloc(0), 'text/plain', { location: 'http://127.0.0.1:1/nowhere' });
        default: return sendManifest(manifest());
      }
    }
    // Blobs.
    switch (kase) {
      case 'wrong-digest':
        if (ref === layerDigest) return send(200, flipped);
        break;
      case 'liar-config':
        if (ref === liarConfigDigest) return endless(res, 200, 'application/octet-stream');
        break;
      case 'redirect-loop': {
        const n = Number(new URL(url, 'http://x').searchParams.get('n') ?? '0');
        return send(307, Buffer.alloc(0), 'text/plain', { location: `/v2/evil/redirect-loop/blobs/${ref.split('?')[0]}?n=${n + 1}` });
      }
      case 'file-redirect': return send(302, Buffer.alloc(0), 'text/plain', { location: 'file:///etc/passwd' });
      case 'auth':
      case 'redirect-ok':
        // A registry sending downloads to its blob store (another origin).
        return send(307, Buffer.alloc(0), 'text/plain', { location: `http://${blobStoreHost}/store/${ref}` });
      default:
        break;
    }
    if (ref === configDigest) return send(200, config);
    if (ref === layerDigest) return send(200, layer.gz);
    return send(404, Buffer.from('{"errors":[{"code":"BLOB_UNKNOWN"}]}'), 'application/json');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const host = `127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    host,
    blobStoreHost,
    blobStoreAuth,
    served,
    async close(): Promise<void> {
      server.closeAllConnections();
      blobStore.closeAllConnections();
      await Promise.all([new Promise<void>((r) => server.close(() => r())), new Promise<void>((r) => blobStore.close(() => r()))]);
    },
  };
}
