import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type OciStore } from '../../../src/engine/store/index.js';
import { push, pull } from '../../../src/engine/registry/index.js';
import { startRegistry, registryAvailable, htpasswdAvailable, type RegistryServer } from '../../helpers/registry-server.js';
import { makeLayer, storeImage } from './fixture-image.js';

const avail = registryAvailable();

async function tinyImage(store: OciStore): Promise<string> {
  const layer = await makeLayer({ 'data.txt': { data: crypto.randomBytes(2048) } });
  return storeImage(store, 'isobench/tiny:latest', [layer], ['/bin/true']);
}

describe.skipIf(!avail.ok || !htpasswdAvailable())(`basic auth (docker-registry + htpasswd) ${avail.ok ? '' : avail.reason}`, () => {
  let server: RegistryServer;
  let home: string;
  let store: OciStore;
  beforeAll(async () => {
    server = await startRegistry({ users: { alice: 'correct horse' } });
    home = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-h8-basic-'));
    store = await openStore(path.join(home, 'store'));
    await tinyImage(store);
  });
  afterAll(async () => {
    await server?.stop();
    if (home) await fsp.rm(home, { recursive: true, force: true });
  });

  it('refuses anonymous and wrong passwords, accepts the right one', async () => {
    const remote = `${server.host}/isobench/tiny:latest`;
    await expect(push(store, 'isobench/tiny:latest', remote)).rejects.toMatchObject({ code: 'REGISTRY_UNAUTHORIZED' });
    await expect(push(store, 'isobench/tiny:latest', remote, { credentials: { username: 'alice', password: 'wrong' } }))
      .rejects.toMatchObject({ code: 'REGISTRY_UNAUTHORIZED' });
    const creds = { username: 'alice', password: 'correct horse' };
    const pushed = await push(store, 'isobench/tiny:latest', remote, { credentials: creds });
    const fresh = await openStore(path.join(home, 'fresh'));
    await expect(pull(fresh, remote)).rejects.toMatchObject({ code: 'REGISTRY_UNAUTHORIZED' });
    expect((await pull(fresh, remote, { credentials: creds })).manifestDigest).toBe(pushed.manifestDigest);
  });
});

/** A token server as in the distribution token spec: signs ES256 JWTs with an x5c chain the registry trusts. */
function tokenServer(keyPem: string, certPem: string, issuer: string, service: string, users: Record<string, string>) {
  const der = new crypto.X509Certificate(certPem).raw.toString('base64');
  const issued: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const auth = req.headers.authorization ?? '';
    const [user, pass] = Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString().split(':');
    if (!auth.startsWith('Basic ') || user === undefined || users[user] !== pass) {
      res.writeHead(401, { 'content-type': 'application/json' });
      return res.end('{"details":"bad credentials"}');
    }
    const access = url.searchParams.getAll('scope').map((s) => {
      const [type, name, actions] = s.split(':');
      return { type, name, actions: (actions ?? '').split(',') };
    });
    issued.push(...url.searchParams.getAll('scope'));
    const now = Math.floor(Date.now() / 1000);
    const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
    const head = b64({ alg: 'ES256', typ: 'JWT', x5c: [der] });
    const body = b64({ iss: issuer, sub: user, aud: url.searchParams.get('service') ?? service, iat: now, nbf: now - 10, exp: now + 300, jti: crypto.randomUUID(), access });
    const sig = crypto.sign('sha256', Buffer.from(`${head}.${body}`), { key: keyPem, dsaEncoding: 'ieee-p1363' }).toString('base64url');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token: `${head}.${body}.${sig}`, expires_in: 300 }));
  });
  return { server, issued };
}

describe.skipIf(!avail.ok)('bearer token auth (docker-registry + token server on 127.0.0.1)', () => {
  let registry: RegistryServer;
  let tokens: ReturnType<typeof tokenServer>;
  let home: string;
  let store: OciStore;
  beforeAll(async () => {
    home = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-h8-bearer-'));
    const key = path.join(home, 'key.pem');
    const cert = path.join(home, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=isobench-test-token'], { stdio: 'ignore' });
    const keyPem = fs.readFileSync(key, 'utf8');
    const certPem = fs.readFileSync(cert, 'utf8');
    tokens = tokenServer(keyPem, certPem, 'isobench-test-issuer', 'isobench-test-registry', { bob: 'hunter2' });
    await new Promise<void>((r) => tokens.server.listen(0, '127.0.0.1', () => r()));
    const port = (tokens.server.address() as { port: number }).port;
    registry = await startRegistry({ token: { realm: `http://127.0.0.1:${port}/token`, service: 'isobench-test-registry', issuer: 'isobench-test-issuer', certPem } });
    store = await openStore(path.join(home, 'store'));
    await tinyImage(store);
  });
  afterAll(async () => {
    await registry?.stop();
    await new Promise<void>((r) => (tokens ? tokens.server.close(() => r()) : r()));
    if (home) await fsp.rm(home, { recursive: true, force: true });
  });

  it('follows the challenge to the token endpoint and pushes/pulls with the token', async () => {
    const remote = `${registry.host}/isobench/tiny:latest`;
    await expect(push(store, 'isobench/tiny:latest', remote, { credentials: { username: 'bob', password: 'nope' } }))
      .rejects.toMatchObject({ code: 'REGISTRY_UNAUTHORIZED' });
    const creds = { username: 'bob', password: 'hunter2' };
    const pushed = await push(store, 'isobench/tiny:latest', remote, { credentials: creds });
    expect(tokens.issued).toContain('repository:isobench/tiny:pull,push');
    const fresh = await openStore(path.join(home, 'fresh'));
    const got = await pull(fresh, remote, { credentials: creds });
    expect(got.manifestDigest).toBe(pushed.manifestDigest);
    expect(tokens.issued).toContain('repository:isobench/tiny:pull');
  });
});
