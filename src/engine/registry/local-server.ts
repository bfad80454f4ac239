import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { RegistryError } from './errors.js';
import { dieWithParent, recordChild } from '../../core/owned-process.js';
import type { Ledger } from '../../core/run-ledger.js';

/**
 * Starts Debian's docker-registry (distribution 2.x) on 127.0.0.1:<free port>
 * with a temporary config and storage dir, and stops it (by its PID) again.
 * Used by the registry tests and the registry phase (bench run all); never touches
 * /etc/docker/registry or /var/lib/docker-registry.
 */
export const REGISTRY_BIN = process.env.ISOBENCH_REGISTRY_BIN ?? '/usr/bin/docker-registry';

export interface RegistryServerOptions {
  /** Basic auth: users written to an htpasswd file (bcrypt, via `htpasswd -B`). */
  users?: Record<string, string>;
  /** Bearer auth: the registry trusts tokens signed by this certificate. */
  token?: { realm: string; service: string; issuer: string; certPem: string };
  /** Where the server's config and storage dir go (default: the OS temp dir). Under a run dir, \`bench gc\` sweeps it if we die. */
  parentDir?: string;
  /** Records the server's pid + start time (a run's ledger) for gc. */
  ledger?: Ledger;
}

export interface RegistryServer {
  /** "127.0.0.1:<port>" */
  host: string;
  port: number;
  dir: string;
  pid: number;
  stop(): Promise<void>;
}

export function registryAvailable(): { ok: boolean; reason?: string } {
  if (!fs.existsSync(REGISTRY_BIN)) return { ok: false, reason: `${REGISTRY_BIN} not installed (apt-get install docker-registry)` };
  return { ok: true };
}

export function htpasswdAvailable(): boolean {
  try {
    execFileSync('htpasswd', ['-nbB', 'x', 'y'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startRegistry(opts: RegistryServerOptions = {}): Promise<RegistryServer> {
  const parent = opts.parentDir ?? os.tmpdir();
  await fsp.mkdir(parent, { recursive: true });
  const dir = await fsp.mkdtemp(path.join(parent, 'isobench-registry-'));
  const port = await freePort();
  const lines = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${path.join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    `  secret: ${Math.random().toString(36).slice(2)}`,
  ];
  if (opts.users) {
    const file = path.join(dir, 'htpasswd');
    const entries = Object.entries(opts.users).map(([u, p]) => execFileSync('htpasswd', ['-nbB', u, p], { encoding: 'utf8' }).trim());
    await fsp.writeFile(file, entries.join('\n') + '\n');
    lines.push('auth:', '  htpasswd:', '    realm: isobench-test', `    path: ${file}`);
  } else if (opts.token) {
    const bundle = path.join(dir, 'token-ca.pem');
    await fsp.writeFile(bundle, opts.token.certPem);
    lines.push('auth:', '  token:', `    realm: ${opts.token.realm}`, `    service: ${opts.token.service}`, `    issuer: ${opts.token.issuer}`, `    rootcertbundle: ${bundle}`);
  }
  const config = path.join(dir, 'config.yml');
  await fsp.writeFile(config, lines.join('\n') + '\n');
  // setpriv (util-linux) execs the registry with PR_SET_PDEATHSIG: if we are
  // SIGKILLed, the kernel ends the server too instead of leaving it listening.
  const argv = dieWithParent([REGISTRY_BIN, 'serve', config]);
  const child: ChildProcess = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  if (opts.ledger) recordChild(opts.ledger, child, argv);
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => { stderr = (stderr + b.toString()).slice(-4000); });
  let exited = false;
  child.once('exit', () => { exited = true; });
  const host = `127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (!exited && child.pid) {
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const t = setTimeout(() => { if (!exited) child.kill('SIGKILL'); }, 3000);
      await gone;
      clearTimeout(t);
    }
    await fsp.rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (exited) {
      await stop();
      throw new RegistryError('REGISTRY_SERVER', `docker-registry exited at start-up: ${stderr.trim()}`);
    }
    try {
      const res = await fetch(`http://${host}/v2/`);
      await res.body?.cancel();
      if (res.status === 200 || res.status === 401) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new RegistryError('REGISTRY_SERVER', `docker-registry did not answer on ${host} within 15 s: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { host, port, dir, pid: child.pid!, stop };
}
