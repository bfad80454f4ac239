import { describe, it, expect } from 'vitest';
import { runcConfig } from '../../../src/envs/runc/runc-config.js';
import { bwrapArgs } from '../../../src/envs/bwrap/bwrap-args.js';

/** Network workloads: the peers join a veth's namespace on the engine bridge instead of a new, empty one. */
describe('peer runtimes on the engine bridge (argv/config)', () => {
  const base = { rootfs: '/r', argv: ['/p'], env: [], hostname: 'container', cgroupsPath: '/x/y', limits: {} };

  it('runc joins the namespace by path; without one it gets a new network namespace', () => {
    const ns = (c: Record<string, unknown>) => ((c.linux as { namespaces: { type: string; path?: string }[] }).namespaces).find((n) => n.type === 'network');
    expect(ns(runcConfig({ ...base, netnsPath: '/run/netns/isobench-t-1' }))).toEqual({ type: 'network', path: '/run/netns/isobench-t-1' });
    expect(ns(runcConfig(base))).toEqual({ type: 'network' });
  });

  it('bwrap runs under nsenter --net and keeps that namespace (--share-net); every other namespace still new', () => {
    const a = bwrapArgs('/usr/bin/bwrap', '/r', ['/p'], {}, { nsenter: '/usr/bin/nsenter', netnsPath: '/run/netns/isobench-t-1' });
    expect(a.slice(0, 6)).toEqual(['/usr/bin/nsenter', '--net=/run/netns/isobench-t-1', '--', '/usr/bin/bwrap', '--unshare-all', '--share-net']);
    const plain = bwrapArgs('/usr/bin/bwrap', '/r', ['/p'], {});
    expect(plain[0]).toBe('/usr/bin/bwrap');
    expect(plain).not.toContain('--share-net');
  });
});
