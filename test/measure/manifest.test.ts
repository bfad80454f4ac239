import { describe, it, expect, afterEach } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cgroupMode, collectManifest, toolVersionLine } from '../../src/measure/manifest.js';

describe('cgroupMode', () => {
  let dir: string | undefined;
  afterEach(async () => { if (dir) await rm(dir, { recursive: true, force: true }); dir = undefined; });

  it('tells v2, hybrid, v1 and none apart by the files each layout has', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'isobench-cg-'));
    const v2 = path.join(dir, 'v2');
    await mkdir(v2);
    await writeFile(path.join(v2, 'cgroup.controllers'), 'cpu memory');
    const hybrid = path.join(dir, 'hybrid');
    await mkdir(path.join(hybrid, 'unified'), { recursive: true });
    await mkdir(path.join(hybrid, 'memory'));
    await writeFile(path.join(hybrid, 'unified', 'cgroup.procs'), '');
    const v1 = path.join(dir, 'v1');
    await mkdir(path.join(v1, 'memory'), { recursive: true });
    expect(cgroupMode(v2)).toBe('v2');
    expect(cgroupMode(hybrid)).toBe('hybrid');
    expect(cgroupMode(v1)).toBe('v1');
    expect(cgroupMode(path.join(dir, 'none'))).toBe('none');
  });
});

describe('collectManifest (this host)', () => {
  it('describes the real host and tools', async () => {
    const m = await collectManifest([{ name: 'vm', kind: 'vm', status: 'available', accelerator: 'tcg' }]);
    expect(m.cpu.cores).toBe(os.cpus().length);
    expect(m.memoryBytes).toBeGreaterThan(0);
    expect(m.os.kernel).toBe(os.release());
    expect(m.node).toBe(process.version);
    expect(m.virtualization.accelerator).toBe('tcg');
    expect(['v2', 'hybrid', 'v1', 'none']).toContain(m.cgroup);
    expect(m.gitRevision).toMatch(/^([0-9a-f]{12}(-dirty)?|unknown)$/);
    expect(Object.keys(m.tools)).toEqual(expect.arrayContaining(['sysbench', 'qemu', 'runc', 'bwrap', 'busybox', 'gcc', 'node']));
  });

  it("takes the VM backend's KVM verdict over the bare device state", async () => {
    const m = await collectManifest([{ name: 'vm', kind: 'vm', status: 'available', accelerator: 'tcg', facts: { kvm: 'pvm: /dev/kvm is PVM' } }]);
    expect(m.virtualization.kvm).toBe('pvm: /dev/kvm is PVM');
    const bare = await collectManifest([]);
    expect(['absent', 'present', 'present (no access)']).toContain(bare.virtualization.kvm);
  });

  it('reports a missing tool as undefined instead of throwing', async () => {
    expect(await toolVersionLine(['isobench-no-such-tool-x', '--version'])).toBeUndefined();
    expect(await toolVersionLine(['/bin/echo', 'hello'])).toBe('hello');
  });
});
