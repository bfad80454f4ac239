/**
 * Test helper: a Debian image as a user would bring it. The root filesystem
 * is made once by `debootstrap --variant=minbase` from the apt mirror this
 * host is configured with, and cached as a tarball under the test cache dir
 * (ISOBENCH_TEST_CACHE, default /var/cache/isobench-test), so later runs only
 * pack it. packOciArchive() writes it as an OCI image layout archive without
 * any isobench code, the way skopeo or podman would.
 */
import { execFile, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import tar from 'tar-stream';

const run = promisify(execFile);

export const TEST_CACHE = process.env.ISOBENCH_TEST_CACHE ?? '/var/cache/isobench-test';
export const DEBIAN_SUITE = 'bookworm';
const TARBALL = path.join(TEST_CACHE, `debian-${DEBIAN_SUITE}-minbase-rootfs.tar`);

function which(bin: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
}

/** Why the Debian rootfs cannot be made here, or undefined when it can (or is cached). */
export function debianImageUnavailable(): string | undefined {
  if (fs.existsSync(TARBALL)) return undefined;
  if (process.getuid?.() !== 0) return 'debootstrap needs root';
  if (!which('debootstrap')) return 'debootstrap is not installed (scripts/setup installs it)';
  if (!aptMirror()) return 'no Debian apt mirror configured in /etc/apt/sources.list(.d)';
  return undefined;
}

/** The first Debian mirror of the host's apt sources (deb822 or one-line format). */
export function aptMirror(): string | undefined {
  const files = ['/etc/apt/sources.list', ...safeList('/etc/apt/sources.list.d').map((f) => path.join('/etc/apt/sources.list.d', f))];
  for (const f of files) {
    let text: string;
    try { text = fs.readFileSync(f, 'utf8'); } catch { continue; }
    for (const line of text.split('\n')) {
      const deb822 = /^URIs:\s*(\S+)/.exec(line);
      const oneLine = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line);
      const uri = deb822?.[1] ?? oneLine?.[1];
      if (uri && !/security/.test(uri) && !/security|updates/.test(oneLine?.[2] ?? '')) return uri;
    }
  }
  return undefined;
}

function safeList(dir: string): string[] {
  try { return fs.readdirSync(dir).filter((f) => f.endsWith('.list') || f.endsWith('.sources')); } catch { return []; }
}

/** Paths mounted at or under dir, deepest first (debootstrap mounts /proc and /sys in its target). */
function mountsUnder(dir: string): string[] {
  const info = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
  return info.map((l) => l.split(' ')[4]).filter((m): m is string => !!m && (m === dir || m.startsWith(`${dir}/`))).sort((a, b) => b.length - a.length);
}

/**
 * The cached rootfs tarball, made by debootstrap on first use (a few minutes).
 * Concurrent callers wait on a lock dir. /dev is left empty: an image brings
 * no device nodes.
 */
export async function debianRootfsTarball(log: (l: string) => void = () => undefined): Promise<string> {
  if (fs.existsSync(TARBALL)) return TARBALL;
  await fsp.mkdir(TEST_CACHE, { recursive: true });
  const lock = `${TARBALL}.lock`;
  for (;;) {
    try { await fsp.mkdir(lock); break; } catch {
      if (fs.existsSync(TARBALL)) return TARBALL;
      const st = await fsp.stat(lock).catch(() => undefined);
      // A lock older than 30 minutes belongs to a debootstrap that died.
      if (st && Date.now() - st.mtimeMs > 30 * 60_000) await fsp.rmdir(lock).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  const work = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-debootstrap-'));
  const root = path.join(work, 'root');
  try {
    if (fs.existsSync(TARBALL)) return TARBALL;
    const mirror = aptMirror();
    if (!mirror) throw new Error('no Debian apt mirror configured');
    log(`debootstrap --variant=minbase ${DEBIAN_SUITE} from ${mirror}`);
    await run('debootstrap', ['--variant=minbase', DEBIAN_SUITE, root, mirror], { maxBuffer: 64 * 1024 * 1024, timeout: 30 * 60_000 });
    const tmp = `${TARBALL}.${process.pid}.tmp`;
    await run('tar', ['--numeric-owner', '--xattrs', '-C', root, '--exclude=./dev/*', '--exclude=./proc/*', '--exclude=./sys/*', '--exclude=./var/cache/apt/archives/*.deb', '-cf', tmp, '.'], { maxBuffer: 64 * 1024 * 1024 });
    await fsp.rename(tmp, TARBALL);
    return TARBALL;
  } finally {
    // Never delete through a mount: unmount what debootstrap left, and leave the dir if that fails.
    for (const m of mountsUnder(root)) await run('umount', ['-l', m]).catch(() => undefined);
    if (mountsUnder(work).length === 0) await fsp.rm(work, { recursive: true, force: true });
    await fsp.rmdir(lock).catch(() => undefined);
  }
}

export interface PackedImage {
  file: string;
  /** Manifest digest (what isobench reports as the user image digest). */
  digest: string;
  configDigest: string;
}

/**
 * Packs a rootfs tarball as a single-layer OCI archive (gzip layer, OCI
 * config with `config`, index.json naming `name`), independently of isobench.
 */
export async function packOciArchive(rootfsTar: string, file: string, o: { name: string; config?: Record<string, unknown>; architecture?: string }): Promise<PackedImage> {
  const diff = crypto.createHash('sha256');
  const gzPath = `${file}.layer.gz`;
  const hashTap = new (await import('node:stream')).Transform({ transform(chunk: Buffer, _e, cb) { diff.update(chunk); cb(null, chunk); } });
  await pipeline(fs.createReadStream(rootfsTar), hashTap, zlib.createGzip({ level: 1 }), fs.createWriteStream(gzPath));
  const layerDigest = `sha256:${await sha256File(gzPath)}`;
  const layerSize = (await fsp.stat(gzPath)).size;
  const config = Buffer.from(JSON.stringify({
    architecture: o.architecture ?? 'amd64', os: 'linux',
    config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['/bin/bash'], ...(o.config ?? {}) },
    rootfs: { type: 'layers', diff_ids: [`sha256:${diff.digest('hex')}`] },
    history: [{ created_by: `debootstrap --variant=minbase ${DEBIAN_SUITE}` }],
  }));
  const configDigest = `sha256:${crypto.createHash('sha256').update(config).digest('hex')}`;
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layerDigest, size: layerSize }],
  }));
  const manifestDigest = `sha256:${crypto.createHash('sha256').update(manifest).digest('hex')}`;
  const index = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: manifestDigest, size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': o.name } }],
  }));
  const pack = tar.pack();
  const writing = pipeline(pack, fs.createWriteStream(file));
  const add = (name: string, data: Buffer): Promise<void> => new Promise((res, rej) => pack.entry({ name }, data, (e) => (e ? rej(e) : res())));
  await add('oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}'));
  await add('index.json', index);
  await add(`blobs/sha256/${manifestDigest.slice(7)}`, manifest);
  await add(`blobs/sha256/${configDigest.slice(7)}`, config);
  await new Promise<void>((res, rej) => {
    const entry = pack.entry({ name: `blobs/sha256/${layerDigest.slice(7)}`, size: layerSize }, (e) => (e ? rej(e) : res()));
    fs.createReadStream(gzPath).pipe(entry);
  });
  pack.finalize();
  await writing;
  await fsp.rm(gzPath, { force: true });
  return { file, digest: manifestDigest, configDigest };
}

async function sha256File(file: string): Promise<string> {
  const h = crypto.createHash('sha256');
  await pipeline(fs.createReadStream(file), h);
  return h.digest('hex');
}
