import { describe, expect, it } from 'vitest';
import { runscArgs, RUNSC_PLATFORMS } from '../../../src/envs/gvisor/runsc-args.js';

describe('runsc argv builder', () => {
  it('global flags before the subcommand; own state root; the probed platform; no host network', () => {
    expect(runscArgs({ bin: '/usr/bin/runsc', root: '/h/containers/g/runsc-root', platform: 'ptrace', bundle: '/h/b', id: 'g-0', cgroups: false, network: 'none' })).toEqual([
      '/usr/bin/runsc', '--root', '/h/containers/g/runsc-root', '--platform', 'ptrace', '--network', 'none', '--ignore-cgroups', 'run', '--bundle', '/h/b', 'g-0',
    ]);
  });
  it('cgroups kept when asked', () => {
    expect(runscArgs({ bin: 'runsc', root: '/r', platform: 'systrap', bundle: '/b', id: 'x', cgroups: true, network: 'sandbox' })).not.toContain('--ignore-cgroups');
  });
  it('platforms are tried fastest first, ptrace last', () => {
    expect(RUNSC_PLATFORMS[RUNSC_PLATFORMS.length - 1]).toBe('ptrace');
    expect(RUNSC_PLATFORMS[0]).toBe('systrap');
  });
});
