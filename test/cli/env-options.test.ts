import { describe, it, expect } from 'vitest';
import { envList, vmOptions, allEnvironments } from '../../src/cli/env-options.js';
import { resolveHome } from '../../src/core/home.js';
import { environmentNames } from '../../src/envs/index.js';

describe('environment options shared by bench run and bench verify', () => {
  it('--env accepts known names (deduplicated) and names the unknown ones', () => {
    expect(envList(undefined)).toBeUndefined();
    expect(envList('host, chroot,host')).toEqual(['host', 'chroot']);
    expect(() => envList('host,kvm')).toThrow(/unknown environment "kvm"/);
    expect(() => envList(' , ')).toThrow(/empty list/);
  });

  it('--vm-kernel becomes an absolute path; --vm-accel is checked', () => {
    expect(vmOptions({ vmKernel: 'k/vmlinux' }).kernel).toBe(`${process.cwd()}/k/vmlinux`);
    // "debian" names the distribution kernel; it is not a path in the current directory.
    expect(vmOptions({ vmKernel: 'debian' }).kernel).toBe('debian');
    expect(vmOptions({}).accel).toBe('auto');
    expect(vmOptions({ vmAccel: 'tcg' }).accel).toBe('tcg');
    expect(() => vmOptions({ vmAccel: 'fast' })).toThrow(/--vm-accel/);
  });

  it('lists every environment in report order', () => {
    const envs = allEnvironments({ home: resolveHome('/tmp/isobench-unused-home'), nativeDir: '/nonexistent', runId: 'x', log: () => {} });
    expect(envs.map((e) => e.name)).toEqual(environmentNames());
  });
});
