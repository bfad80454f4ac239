import { execFile } from 'node:child_process';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type OciStore } from '../../../src/engine/store/index.js';
import { pull } from '../../../src/engine/registry/index.js';
import { PASSWORD, USER, startMaliciousRegistry, type MaliciousRegistry } from './malicious-server.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * The pull client against a hostile registry: each misbehaviour is refused
 * with a message saying what the server did, memory stays bounded, and the
 * store keeps nothing partial (no blob, no ingest temp file, same index).
 */
describe('pull against a malicious registry', () => {
  let evil: MaliciousRegistry;
  let home: string;
  let store: OciStore;

  beforeAll(async () => {
    evil = await startMaliciousRegistry();
    home = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-evil-registry-'));
    store = await openStore(path.join(home, 'store'));
  });
  afterAll(async () => {
    await evil?.close();
    // A plain store dir: pull never mounts anything.
    if (home) await fsp.rm(home, { recursive: true, force: true });
  });

  async function snapshot(): Promise<{ blobs: string[]; index: string; ingest: string[] }> {
    const root = path.join(home, 'store');
    return {
      blobs: (await fsp.readdir(path.join(root, 'blobs', 'sha256')).catch(() => [])).sort(),
      index: await fsp.readFile(path.join(root, 'index.json'), 'utf8'),
      ingest: await fsp.readdir(path.join(root, 'ingest')).catch(() => []),
    };
  }

  async function refused(kase: string, code: string, message: RegExp, opts = {}): Promise<void> {
    const before = await snapshot();
    const err = await pull(store, `${evil.host}/evil/${kase}:latest`, opts).then(() => undefined, (e: unknown) => e as { code?: string; message?: string });
    expect(err, `${kase} must be refused`).toBeDefined();
    expect(err).toMatchObject({ code });
    expect(err!.message).toMatch(message);
    expect(await snapshot()).toEqual(before);
  }

  it('cuts off an endless manifest with no Content-Length', async () => {
    await refused('endless-manifest', 'REGISTRY_TOO_LARGE', /manifest .* more than 4194304 bytes \(no Content-Length\)/);
  }, 60_000);

  it('cuts off an endless error body and still reports the status', async () => {
    await refused('endless-error', 'REGISTRY_PROTOCOL', /HTTP 500/);
  }, 60_000);

  it('rejects a blob whose bytes do not match its digest', async () => {
    await refused('wrong-digest', 'REGISTRY_DIGEST_MISMATCH', /is corrupt .*nothing was stored/);
  }, 60_000);

  it('refuses an oversized config before fetching it', async () => {
    const n = evil.served.length;
    await refused('big-config', 'REGISTRY_TOO_LARGE', /536870912-byte image config, over the 8388608-byte limit/);
    expect(evil.served.slice(n).some((s) => s.includes('/blobs/'))).toBe(false);
  }, 60_000);

  it('stops a config that streams past its descriptor size', async () => {
    await refused('liar-config', 'REGISTRY_PROTOCOL', /longer than its descriptor's 4096 bytes/);
  }, 60_000);

  it('stops a redirect loop and names the chain', async () => {
    await refused('redirect-loop', 'REGISTRY_REDIRECT', /redirected more than 5 times \(307 /);
  }, 60_000);

  it('refuses a redirect to a file: URL, naming the scheme', async () => {
    await refused('file-redirect', 'REGISTRY_REDIRECT', /redirected \(HTTP 302\) to a file: URL/);
  }, 60_000);

  it('says a redirect target is unreachable instead of asking whether a registry listens', async () => {
    await refused('manifest-redirect', 'REGISTRY_UNREACHABLE', /redirected to http:\/\/127\.0\.0\.1:1, which cannot be reached/);
  }, 60_000);

  it('follows a redirect to a blob store without sending our Authorization there', async () => {
    evil.blobStoreAuth.length = 0;
    const r = await pull(store, `${evil.host}/evil/auth:latest`, { credentials: { username: USER, password: PASSWORD } });
    expect(r.fetched.length).toBe(2);
    expect(evil.blobStoreAuth.length).toBeGreaterThanOrEqual(2);
    expect(evil.blobStoreAuth.every((a) => a === undefined)).toBe(true);
    const ingest = await fsp.readdir(path.join(home, 'store', 'ingest')).catch(() => []);
    expect(ingest).toEqual([]);
  }, 60_000);

  it('keeps peak RSS growth under 64 MiB across every attack (measured in a child)', async () => {
    const dist = path.join(repoRoot, 'dist', 'engine', 'registry', 'index.js');
    const storeMod = path.join(repoRoot, 'dist', 'engine', 'store', 'index.js');
    await fsp.access(dist);
    const childHome = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-evil-rss-'));
    const script = `
      const { pull } = await import(${JSON.stringify(dist)});
      const { openStore } = await import(${JSON.stringify(storeMod)});
      const store = await openStore(process.argv[2]);
      // Warm up first (fetch, TLS and zlib load lazily): the figure is what the attacks add.
      await pull(await openStore(process.argv[2] + '-warm'), process.argv[1] + '/evil/redirect-ok:latest');
      globalThis.gc();
      const base = process.memoryUsage().rss;
      const baseMax = process.resourceUsage().maxRSS * 1024;
      const codes = {};
      for (const k of ['endless-manifest', 'endless-error', 'liar-config', 'wrong-digest', 'redirect-loop', 'big-config']) {
        for (let i = 0; i < 3; i++) {
          try { await pull(store, process.argv[1] + '/evil/' + k + ':latest'); codes[k] = 'accepted'; }
          catch (e) { codes[k] = e.code; }
          // Collect between attacks: the figure is what one attack can hold, not garbage V8 has not swept yet.
          globalThis.gc();
        }
      }
      const peak = process.resourceUsage().maxRSS * 1024;
      console.log(JSON.stringify({ codes, base, baseMax, peak, growth: peak - Math.max(base, baseMax) }));
    `;
    try {
      const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--input-type=module', '-e', script, `${evil.host}`, path.join(childHome, 'store')], { timeout: 120_000 });
      const out = JSON.parse(stdout.trim().split('\n').pop()!) as { codes: Record<string, string>; growth: number; peak: number };
      expect(out.codes).toEqual({
        'endless-manifest': 'REGISTRY_TOO_LARGE',
        'endless-error': 'REGISTRY_PROTOCOL',
        'liar-config': 'REGISTRY_PROTOCOL',
        'wrong-digest': 'REGISTRY_DIGEST_MISMATCH',
        'redirect-loop': 'REGISTRY_REDIRECT',
        'big-config': 'REGISTRY_TOO_LARGE',
      });
      console.log(`malicious registry: peak RSS ${(out.peak / 2 ** 20).toFixed(1)} MiB, growth ${(out.growth / 2 ** 20).toFixed(1)} MiB`);
      expect(out.growth).toBeLessThan(64 * 1024 * 1024);
      const ingest = await fsp.readdir(path.join(childHome, 'store', 'ingest')).catch(() => []);
      expect(ingest).toEqual([]);
    } finally {
      await fsp.rm(childHome, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('pull from an https registry that redirects to plain http', () => {
  it('refuses the downgrade (client in a child that trusts a test CA)', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-evil-tls-'));
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    const { execFileSync } = await import('node:child_process');
    const https = await import('node:https');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
      '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const hits: string[] = [];
    const server = https.createServer({ key: await fsp.readFile(key), cert: await fsp.readFile(cert) }, (req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(302, { location: `http://127.0.0.1:1${req.url ?? '/'}`, 'content-length': 0 }).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const host = `127.0.0.1:${(server.address() as { port: number }).port}`;
    const dist = path.join(repoRoot, 'dist', 'engine', 'registry', 'index.js');
    const storeMod = path.join(repoRoot, 'dist', 'engine', 'store', 'index.js');
    const script = `
      const { pull } = await import(${JSON.stringify(dist)});
      const { openStore } = await import(${JSON.stringify(storeMod)});
      const store = await openStore(process.argv[2]);
      try { await pull(store, process.argv[1] + '/evil/tls:latest', { scheme: 'https' }); console.log(JSON.stringify({ code: 'accepted' })); }
      catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }
    `;
    try {
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, host, path.join(dir, 'store')], {
        timeout: 60_000, env: { ...process.env, NODE_EXTRA_CA_CERTS: cert },
      });
      const out = JSON.parse(stdout.trim().split('\n').pop()!) as { code: string; message: string };
      expect(hits.length).toBeGreaterThan(0); // TLS worked: the https server answered
      expect(out.code).toBe('REGISTRY_REDIRECT');
      expect(out.message).toMatch(/from https to plain http \(http:\/\/127\.0\.0\.1:1\); refusing the downgrade/);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await fsp.rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
