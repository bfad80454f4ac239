/** gVisor platforms, most efficient first: the probe picks the first that runs a trivial sandbox here. */
export const RUNSC_PLATFORMS = ['systrap', 'kvm', 'ptrace'] as const;
export type RunscPlatform = (typeof RUNSC_PLATFORMS)[number];

export interface RunscArgsInput {
  bin: string;
  /** runsc --root: its state dir, under the run's group dir (never /var/run/runsc). */
  root: string;
  platform: string;
  bundle: string;
  id: string;
  /** Apply the bundle's cgroup limits (false on hosts where runsc cannot manage cgroups). */
  cgroups: boolean;
  /** 'none': loopback only; 'sandbox': gVisor's own netstack on the bundle's network namespace. */
  network: 'none' | 'sandbox';
}

/** `runsc run` on an OCI bundle: global flags first (runsc parses them before the subcommand). */
export function runscArgs(i: RunscArgsInput): string[] {
  return [
    i.bin, '--root', i.root, '--platform', i.platform, '--network', i.network,
    ...(i.cgroups ? [] : ['--ignore-cgroups']),
    'run', '--bundle', i.bundle, i.id,
  ];
}
