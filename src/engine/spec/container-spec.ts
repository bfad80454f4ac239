import crypto from 'node:crypto';
import path from 'node:path';
import {
  NAMESPACES, MASKED_PATHS, READONLY_PATHS, DEFAULT_CAPABILITIES, DEFAULT_DEVICES, DEFAULT_PATH,
  capabilityNumber, type NamespaceName, type DeviceSpec,
} from './defaults.js';
import { ContainerSpecError } from './errors.js';
import { CONTAINER_ID_RE } from '../rootfs/paths.js';

/** Where the container's root comes from. */
export type RootfsSource =
  /** Image snapshot dirs, top-most first: an overlay with a fresh rw layer per container. */
  | { kind: 'overlay'; lowerDirs: string[] }
  /** An existing directory bind-mounted as the root (hand-made trees, tests). */
  | { kind: 'dir'; dir: string };

/** An extra mount (volumes): host `source` at `destination` inside. */
export interface MountSpec {
  source: string;
  destination: string;
  readonly: boolean;
}

/**
 * Networking seam. 'loopback' (default): a new network namespace with only
 * lo, brought up. 'netns': join a namespace someone else prepared (a bridge +
 * veth set up by the network module), given as a path such as
 * /run/netns/<name>. 'host' shares the host's network (no isolation; for
 * experiments only).
 */
export type NetworkSpec = { mode: 'loopback' } | { mode: 'netns'; path: string } | { mode: 'host' };

export interface ContainerLimits {
  memoryBytes?: number;
  pids?: number;
  /** CPU quota in cores (1.5 = 150 ms per 100 ms period). */
  cpus?: number;
}

/** Everything optional except the root; see normalizeSpec for the defaults. */
export interface ContainerOptions {
  /** Default: 12 random hex digits. [a-zA-Z0-9_.-], at most 64 chars. */
  id?: string;
  rootfs: RootfsSource;
  /** Default: the image's entrypoint + cmd, else /bin/sh. */
  argv?: string[];
  /** K=V list or map. Default: the image's env; PATH is added when missing. */
  env?: string[] | Record<string, string>;
  /** Default: the image's workingDir, else /. */
  cwd?: string;
  /** Default: the container id (at most 63 chars). */
  hostname?: string;
  limits?: ContainerLimits;
  /** Default: pid, mnt, net, ipc, uts, cgroup. mnt is always included. */
  namespaces?: NamespaceName[];
  maskedPaths?: string[];
  readonlyPaths?: string[];
  /** Capability names kept (default: containerd's 14); `'all'` keeps every one (privileged). */
  capabilities?: string[] | 'all';
  /** Default true. */
  noNewPrivileges?: boolean;
  /** Default 'default' (the engine's syscall filter). */
  seccomp?: SeccompMode;
  /** Default: devices allow-list on, own cgroup in every hierarchy (off only to test that the checks notice). */
  confinement?: { devices?: boolean; allHierarchies?: boolean };
  devices?: DeviceSpec[];
  mounts?: MountSpec[];
  network?: NetworkSpec;
  image?: { name: string; digest: string };
}

export interface ImageDefaults {
  env: string[];
  entrypoint: string[];
  cmd: string[];
  workingDir: string;
}

export interface ContainerSpec {
  id: string;
  rootfs: RootfsSource;
  argv: string[];
  env: string[];
  cwd: string;
  hostname: string;
  limits: ContainerLimits;
  namespaces: NamespaceName[];
  maskedPaths: string[];
  readonlyPaths: string[];
  /** Capability numbers kept, or null for "all" (privileged). */
  capabilities: number[] | null;
  noNewPrivileges: boolean;
  seccomp: SeccompMode;
  confinement: { devices: boolean; allHierarchies: boolean };
  devices: DeviceSpec[];
  mounts: MountSpec[];
  network: NetworkSpec;
  image: { name: string; digest: string } | null;
}

/** RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, each at most 63, all of it at most 63 (the kernel's UTS limit is 64 with the NUL). */
const HOSTNAME_LABEL_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export function validHostname(name: string): boolean {
  return name.length > 0 && name.length <= 63 && name.split('.').every((l) => HOSTNAME_LABEL_RE.test(l));
}

/** 'default': the engine's built-in filter (src/native/nsexec/seccomp.c); 'unconfined': none. */
export type SeccompMode = 'default' | 'unconfined';

export function newContainerId(): string {
  return crypto.randomBytes(6).toString('hex');
}

function absolute(p: string, what: string): string {
  if (!path.isAbsolute(p)) throw new ContainerSpecError(`${what} must be an absolute path, got ${JSON.stringify(p)}`);
  return path.normalize(p);
}

function envList(env: ContainerOptions['env'], fallback: string[]): string[] {
  const list = env === undefined ? [...fallback] : Array.isArray(env) ? [...env] : Object.entries(env).map(([k, v]) => `${k}=${v}`);
  for (const e of list) {
    if (!/^[^=\s]+=/.test(e)) throw new ContainerSpecError(`bad environment entry ${JSON.stringify(e)}`, 'use KEY=VALUE');
  }
  if (!list.some((e) => e.startsWith('PATH='))) list.unshift(`PATH=${DEFAULT_PATH}`);
  return list;
}

function limits(l: ContainerLimits | undefined): ContainerLimits {
  const out: ContainerLimits = {};
  if (!l) return out;
  if (l.memoryBytes !== undefined) {
    if (!Number.isInteger(l.memoryBytes) || l.memoryBytes < 4 * 1024 * 1024) throw new ContainerSpecError(`memory limit ${l.memoryBytes} is below 4 MiB`, 'use e.g. --memory 256m');
    out.memoryBytes = l.memoryBytes;
  }
  if (l.pids !== undefined) {
    if (!Number.isInteger(l.pids) || l.pids < 1) throw new ContainerSpecError(`pids limit must be a positive integer, got ${l.pids}`);
    out.pids = l.pids;
  }
  if (l.cpus !== undefined) {
    if (!(l.cpus > 0) || l.cpus > 1024) throw new ContainerSpecError(`cpus must be > 0, got ${l.cpus}`, 'use e.g. --cpus 1.5');
    out.cpus = l.cpus;
  }
  return out;
}

function capabilities(caps: ContainerOptions['capabilities']): number[] | null {
  if (caps === 'all') return null;
  const names = caps ?? DEFAULT_CAPABILITIES;
  return [...new Set(names.map((n) => {
    const num = capabilityNumber(n);
    if (num === undefined) throw new ContainerSpecError(`unknown capability ${JSON.stringify(n)}`, 'use names like CAP_CHOWN');
    return num;
  }))].sort((a, b) => a - b);
}

/** An id is a valid host name once '_' and '.' become '-' (ids may hold both); at most 63 characters. */
function defaultHostname(id: string): string {
  return id.replace(/[_.]/g, '-').slice(0, 63).replace(/-+$/, '') || 'container';
}

/** The one place container options get their defaults. */
export function normalizeSpec(opts: ContainerOptions, image?: ImageDefaults): ContainerSpec {
  const id = opts.id ?? newContainerId();
  if (!CONTAINER_ID_RE.test(id)) throw new ContainerSpecError(`bad container id ${JSON.stringify(id)}`, 'use letters, digits, _ . - (at most 64)');
  const rootfs: RootfsSource = opts.rootfs.kind === 'overlay'
    ? { kind: 'overlay', lowerDirs: opts.rootfs.lowerDirs.map((d) => absolute(d, 'lower dir')) }
    : { kind: 'dir', dir: absolute(opts.rootfs.dir, 'rootfs dir') };
  if (rootfs.kind === 'overlay' && rootfs.lowerDirs.length === 0) throw new ContainerSpecError('an overlay rootfs needs at least one lower dir');
  // overlayfs option syntax: ',' separates options and ':' lower dirs.
  if (rootfs.kind === 'overlay') for (const d of rootfs.lowerDirs) if (/[,:]/.test(d)) throw new ContainerSpecError(`lower dir ${JSON.stringify(d)} contains ',' or ':', which overlayfs options cannot carry`, 'move the home to a path without those characters');
  const imageArgv = [...(image?.entrypoint ?? []), ...(image?.cmd ?? [])];
  const argv = opts.argv && opts.argv.length > 0 ? [...opts.argv] : imageArgv.length > 0 ? imageArgv : ['/bin/sh'];
  const namespaces = [...new Set<NamespaceName>(['mnt', ...(opts.namespaces ?? NAMESPACES)])];
  for (const ns of namespaces) if (!(NAMESPACES as readonly string[]).includes(ns)) throw new ContainerSpecError(`unknown namespace ${ns}`);
  const hostname = opts.hostname ?? defaultHostname(id);
  if (!validHostname(hostname)) throw new ContainerSpecError(`bad hostname ${JSON.stringify(hostname)}`, 'use an RFC 1123 name: letters, digits, inner hyphens, dot-separated labels, at most 63 characters');
  const seccomp = opts.seccomp ?? 'default';
  if (seccomp !== 'default' && seccomp !== 'unconfined') throw new ContainerSpecError(`unknown seccomp mode ${JSON.stringify(seccomp)}`, 'use default or unconfined');
  if (!namespaces.includes('uts') && opts.hostname !== undefined) throw new ContainerSpecError('--hostname needs the uts namespace');
  const network: NetworkSpec = opts.network ?? (namespaces.includes('net') ? { mode: 'loopback' } : { mode: 'host' });
  return {
    id,
    rootfs,
    argv,
    env: envList(opts.env, image?.env ?? []),
    cwd: absolute(opts.cwd ?? (image?.workingDir || '/'), 'working dir'),
    hostname,
    limits: limits(opts.limits),
    namespaces,
    maskedPaths: (opts.maskedPaths ?? [...MASKED_PATHS]).map((p) => absolute(p, 'masked path')),
    readonlyPaths: (opts.readonlyPaths ?? [...READONLY_PATHS]).map((p) => absolute(p, 'read-only path')),
    capabilities: capabilities(opts.capabilities),
    noNewPrivileges: opts.noNewPrivileges ?? true,
    seccomp,
    confinement: { devices: opts.confinement?.devices ?? true, allHierarchies: opts.confinement?.allHierarchies ?? true },
    devices: (opts.devices ?? DEFAULT_DEVICES).map((d) => ({ ...d })),
    mounts: (opts.mounts ?? []).map((m) => ({ source: absolute(m.source, 'mount source'), destination: absolute(m.destination, 'mount destination'), readonly: m.readonly })),
    network,
    image: opts.image ?? null,
  };
}

/** "256m", "1g", "512k", "1048576" -> bytes. */
export function parseByteSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(text.trim());
  if (!m) throw new ContainerSpecError(`bad size ${JSON.stringify(text)}`, 'use e.g. 256m, 1g, 512k');
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[(m[2] ?? '').toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.round(Number(m[1]) * mult);
}
