import { describe, it, expect } from 'vitest';
import { runcConfig } from '../../../src/envs/runc/runc-config.js';
import { MASKED_PATHS, READONLY_PATHS, DEFAULT_CAPABILITIES } from '../../../src/engine/index.js';

describe('runcConfig', () => {
  it('asks runc for what our engine does: namespaces, masks, ro paths, 14 caps, nnp, limits', () => {
    const c = runcConfig({ rootfs: '/r', argv: ['/isobench/probe', 'ready', 'T'], env: ['PATH=/bin'], hostname: 'container', cgroupsPath: '/isobench-abc/runc-1', limits: { memoryBytes: 1 << 28, pids: 100, cpus: 1.5 } }) as {
      process: { args: string[]; noNewPrivileges: boolean; terminal: boolean; capabilities: Record<string, string[]> };
      root: { path: string };
      linux: { namespaces: Array<{ type: string }>; maskedPaths: string[]; readonlyPaths: string[]; cgroupsPath: string; resources: Record<string, Record<string, number>> };
      mounts: Array<{ destination: string; options: string[] }>;
    };
    expect(c.root.path).toBe('/r');
    expect(c.process.terminal).toBe(false);
    expect(c.process.noNewPrivileges).toBe(true);
    for (const set of ['bounding', 'effective', 'permitted']) expect(c.process.capabilities[set]).toEqual([...DEFAULT_CAPABILITIES]);
    expect(c.linux.namespaces.map((n) => n.type).sort()).toEqual(['cgroup', 'ipc', 'mount', 'network', 'pid', 'uts']);
    expect(c.linux.maskedPaths).toEqual([...MASKED_PATHS]);
    expect(c.linux.readonlyPaths).toEqual([...READONLY_PATHS]);
    expect(c.linux.cgroupsPath).toBe('/isobench-abc/runc-1');
    expect(c.linux.resources).toEqual({ memory: { limit: 1 << 28 }, pids: { limit: 100 }, cpu: { quota: 150000, period: 100000 } });
    expect(c.mounts.find((m) => m.destination === '/sys')!.options).toContain('ro');
    expect(c.mounts.map((m) => m.destination)).toEqual(['/proc', '/dev', '/dev/pts', '/dev/shm', '/sys']);
  });
});
