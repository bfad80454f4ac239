import { describe, it, expect } from 'vitest';
import {
  normalizeSpec, parseByteSize, shimRunArgs, shimExecArgs, capabilityMask, DEFAULT_CAPABILITIES, MASKED_PATHS, READONLY_PATHS, ContainerSpecError,
} from '../../../src/engine/spec/index.js';
import { pathsIn } from '../../../src/engine/rootfs/paths.js';

describe('normalizeSpec', () => {
  it('applies the documented defaults', () => {
    const s = normalizeSpec({ id: 'c1', rootfs: { kind: 'overlay', lowerDirs: ['/s/a', '/s/b'] } });
    expect(s.namespaces.sort()).toEqual(['cgroup', 'ipc', 'mnt', 'net', 'pid', 'uts']);
    expect(s.capabilities).toHaveLength(14);
    expect(s.maskedPaths).toEqual([...MASKED_PATHS]);
    expect(s.readonlyPaths).toEqual([...READONLY_PATHS]);
    expect(s.noNewPrivileges).toBe(true);
    expect(s.argv).toEqual(['/bin/sh']);
    expect(s.env[0]).toMatch(/^PATH=/);
    expect(s.hostname).toBe('c1');
    expect(s.network).toEqual({ mode: 'loopback' });
    expect(s.devices.map((d) => d.name)).toEqual(['null', 'zero', 'full', 'random', 'urandom', 'tty']);
  });

  it('takes image defaults, and options over them', () => {
    const img = { env: ['A=1', 'PATH=/x'], entrypoint: ['/e'], cmd: ['c'], workingDir: '/w' };
    const s = normalizeSpec({ rootfs: { kind: 'dir', dir: '/r' } }, img);
    expect(s.argv).toEqual(['/e', 'c']);
    expect(s.env).toEqual(['A=1', 'PATH=/x']);
    expect(s.cwd).toBe('/w');
    const o = normalizeSpec({ rootfs: { kind: 'dir', dir: '/r' }, argv: ['/bin/true'], cwd: '/tmp', env: { B: '2' } }, img);
    expect(o.argv).toEqual(['/bin/true']);
    expect(o.cwd).toBe('/tmp');
    expect(o.env).toContain('B=2');
  });

  it('rejects bad ids, limits, capabilities and relative paths with typed errors', () => {
    const r = { kind: 'dir' as const, dir: '/r' };
    expect(() => normalizeSpec({ id: '../x', rootfs: r })).toThrow(ContainerSpecError);
    expect(() => normalizeSpec({ rootfs: r, limits: { memoryBytes: 1000 } })).toThrow(/below 4 MiB/);
    expect(() => normalizeSpec({ rootfs: r, limits: { pids: 0 } })).toThrow(ContainerSpecError);
    expect(() => normalizeSpec({ rootfs: r, capabilities: ['CAP_NOPE'] })).toThrow(/unknown capability/);
    expect(() => normalizeSpec({ rootfs: { kind: 'dir', dir: 'rel' } })).toThrow(/absolute/);
    expect(() => normalizeSpec({ rootfs: { kind: 'overlay', lowerDirs: [] } })).toThrow(/lower dir/);
    expect(() => normalizeSpec({ rootfs: { kind: 'overlay', lowerDirs: ['/a:b'] } })).toThrow(/overlayfs options/);
  });

  it('capabilityMask of the default set is containerd\'s CapEff', () => {
    expect(capabilityMask(DEFAULT_CAPABILITIES).toString(16)).toBe('a80425fb');
  });
});

describe('parseByteSize', () => {
  it('parses suffixes', () => {
    expect(parseByteSize('256m')).toBe(256 * 1024 * 1024);
    expect(parseByteSize('1g')).toBe(1024 ** 3);
    expect(parseByteSize('512K')).toBe(512 * 1024);
    expect(parseByteSize('1000')).toBe(1000);
    expect(() => parseByteSize('lots')).toThrow(ContainerSpecError);
  });
});

describe('shimRunArgs', () => {
  it('passes every policy item as explicit flags, program after --', () => {
    const s = normalizeSpec({ id: 'c1', rootfs: { kind: 'overlay', lowerDirs: ['/s/top', '/s/base'] }, argv: ['/bin/echo', '--', 'x'], limits: { memoryBytes: 64 << 20 }, mounts: [{ source: '/v', destination: '/data', readonly: true }] });
    const p = pathsIn('/h/containers/c1');
    const a = shimRunArgs(s, p, { dirs: ['/cg/mem/x/c1'], joinFiles: ['/cg/mem/x/c1/tasks'], writes: [{ file: '/cg/mem/x/c1/memory.limit_in_bytes', value: '67108864' }] }, { pidFile: '/p', trace: true });
    const at = (flag: string): string[] => a.flatMap((v, i) => (v === flag ? [a[i + 1]!] : []));
    expect(a[0]).toBe('--trace');
    expect(at('--lower')).toEqual(['/s/top', '/s/base']);
    expect(at('--upper')).toEqual(['/h/containers/c1/upper']);
    expect(at('--ns')[0]!.split(',').sort()).toEqual(['cgroup', 'ipc', 'mnt', 'net', 'pid', 'uts']);
    expect(at('--cgroup-join')).toEqual(['/cg/mem/x/c1/tasks']);
    expect(at('--cgroup-set')).toEqual(['/cg/mem/x/c1/memory.limit_in_bytes=67108864']);
    expect(at('--caps')[0]!.split(',')).toHaveLength(14);
    expect(at('--mask')).toEqual([...MASKED_PATHS]);
    expect(at('--device')).toContain('null:c:1:3:666');
    expect(a).toContain('--no-new-privs');
    expect(a).toContain('--lo');
    expect(a.slice(a.indexOf('--bind-ro'), a.indexOf('--bind-ro') + 3)).toEqual(['--bind-ro', '/v', '/data']);
    // the program's own "--" stays part of argv
    expect(a.slice(a.lastIndexOf('/bin/echo'))).toEqual(['/bin/echo', '--', 'x']);
    expect(a[a.indexOf('/bin/echo') - 1]).toBe('--');
  });

  it('joins a prepared netns instead of creating one (the networking seam)', () => {
    const s = normalizeSpec({ rootfs: { kind: 'dir', dir: '/r' }, network: { mode: 'netns', path: '/run/netns/x' } });
    const a = shimRunArgs(s, pathsIn('/c'), { dirs: [], joinFiles: [], writes: [] });
    expect(a[a.indexOf('--ns') + 1]).not.toContain('net');
    expect(a[a.indexOf('--netns') + 1]).toBe('/run/netns/x');
    expect(a).not.toContain('--lo');
  });

  it('exec args enter the init and keep the container\'s caps and nnp', () => {
    const s = normalizeSpec({ rootfs: { kind: 'dir', dir: '/r' } });
    const a = shimExecArgs(s, 42, ['/cg/a/tasks'], ['/bin/ps'], ['A=1'], '/');
    expect(a.slice(0, 4)).toEqual(['--join', '42', '--cgroup-join', '/cg/a/tasks']);
    expect(a).toContain('--no-new-privs');
    expect(a.slice(-2)).toEqual(['--', '/bin/ps']);
  });
});
