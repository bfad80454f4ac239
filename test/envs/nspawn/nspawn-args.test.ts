import { describe, expect, it } from 'vitest';
import { nspawnArgs } from '../../../src/envs/nspawn/nspawn-args.js';

describe('systemd-nspawn argv builder', () => {
  const base = { bin: '/usr/bin/systemd-nspawn', rootfs: '/h/rootfs', machine: 'isobench-abcd1234-0', env: { PATH: '/bin', A: 'b c' }, argv: ['/isobench/probe', 'ready', 'T', '--', '/bin/true'] };

  it('no machined, no scope, pipes, the image left untouched, private network, env, then the command', () => {
    const a = nspawnArgs({ ...base, network: 'private' });
    expect(a.slice(0, 5)).toEqual(['/usr/bin/systemd-nspawn', '--quiet', '--register=no', '--keep-unit', '--console=pipe']);
    for (const f of ['--resolv-conf=off', '--timezone=off', '--link-journal=no', '--private-network', '--machine=isobench-abcd1234-0', '--directory=/h/rootfs']) expect(a).toContain(f);
    expect(a).toContain('--setenv=A=b c');
    expect(a.slice(a.indexOf('--'))).toEqual(['--', '/isobench/probe', 'ready', 'T', '--', '/bin/true']);
  });

  it('a network namespace to join replaces the private network', () => {
    const a = nspawnArgs({ ...base, network: { netnsPath: '/run/netns/isobench-x-1' } });
    expect(a).toContain('--network-namespace-path=/run/netns/isobench-x-1');
    expect(a).not.toContain('--private-network');
  });
});
