import type { DockerPaths } from './paths.js';

/**
 * dockerd for isobench only. --iptables=false --ip-forward=false
 * --ip-masq=false --bridge=none: our daemon never changes the host's firewall,
 * forwarding sysctl or bridges (a stock dockerd flips FORWARD to DROP, which
 * breaks every other bridge on the host). Its own config file, so the
 * user's /etc/docker/daemon.json is not read; the trust key dockerd 20.10
 * writes to /etc/docker/key.json lands in our dir (see startDaemon).
 */
export function dockerdArgs(bin: string, p: DockerPaths): string[] {
  return [
    bin, '--host', `unix://${p.socket}`, '--pidfile', p.pidfile, '--exec-root', p.execRoot, '--data-root', p.dataRoot,
    '--config-file', p.configFile,
    '--iptables=false', '--ip-forward=false', '--ip-masq=false', '--bridge=none',
    '--log-level', 'warn',
  ];
}

export interface DockerRunInput {
  /** The docker CLI. */
  bin: string;
  socket: string;
  image: string;
  /** Program and arguments inside (the entrypoint is replaced by argv[0]). */
  argv: string[];
  env: Record<string, string>;
  limits: { memoryBytes?: number; pids?: number; cpus?: number };
  /** 'none': loopback only (default); otherwise a user-defined network's name. */
  network: string;
  hostname: string;
  /** A session's container: stdin kept open (-i) for its commands, and a name to remove it by if its CLI dies. */
  session?: { name: string };
}

/** `docker run --rm` with the limits, network and env every other environment gets. */
export function dockerRunArgs(i: DockerRunInput): string[] {
  const [entry, ...rest] = i.argv;
  return [
    i.bin, '--host', `unix://${i.socket}`, 'run', '--rm', ...(i.session ? ['--interactive', '--name', i.session.name] : []), '--network', i.network, '--hostname', i.hostname,
    ...(i.limits.memoryBytes !== undefined ? ['--memory', String(i.limits.memoryBytes), '--memory-swap', String(i.limits.memoryBytes)] : []),
    ...(i.limits.pids !== undefined ? ['--pids-limit', String(i.limits.pids)] : []),
    ...(i.limits.cpus !== undefined ? ['--cpus', String(i.limits.cpus)] : []),
    ...Object.entries(i.env).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
    '--entrypoint', entry!, i.image, ...rest,
  ];
}

/**
 * The Docker image archive `docker load` of Docker 20.10 reads (it does not
 * read OCI layouts): manifest.json naming the config and the layer blobs by
 * their paths in the archive. The OCI blobs are used as they are (gzip layers
 * are accepted), so the daemon's image id is our config digest.
 */
export function dockerArchiveManifest(repoTag: string, configDigest: string, layerDigests: string[]): unknown[] {
  const blob = (d: string): string => `blobs/sha256/${d.replace(/^sha256:/, '')}`;
  return [{ Config: blob(configDigest), RepoTags: [repoTag], Layers: layerDigests.map(blob) }];
}
