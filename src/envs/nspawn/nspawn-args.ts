export interface NspawnArgsInput {
  bin: string;
  rootfs: string;
  /** Machine name: carries the home's tag, so leftovers are ours to find. */
  machine: string;
  env: Record<string, string>;
  argv: string[];
  /** 'private': own netns with only lo; otherwise the path of a network namespace to join (a veth on the engine bridge). */
  network: 'private' | { netnsPath: string };
}

/**
 * systemd-nspawn on a ready directory. systemd is not PID 1 on every host:
 * --register=no and --keep-unit skip the system bus (machined, a scope),
 * so the container lives in the caller's cgroup. The image's /etc is left
 * alone (no resolv.conf, timezone or journal links) so every run sees the
 * same tree the other environments see. --console=pipe: the harness reads
 * the ready token from plain pipes.
 */
export function nspawnArgs(i: NspawnArgsInput): string[] {
  return [
    i.bin, '--quiet', '--register=no', '--keep-unit', '--console=pipe',
    '--resolv-conf=off', '--timezone=off', '--link-journal=no',
    i.network === 'private' ? '--private-network' : `--network-namespace-path=${i.network.netnsPath}`,
    `--machine=${i.machine}`, `--directory=${i.rootfs}`, '--chdir=/',
    ...Object.entries(i.env).map(([k, v]) => `--setenv=${k}=${v}`),
    '--', ...i.argv,
  ];
}
