import { describe, it, expect } from 'vitest';
import { kernelParams, qemuArgv } from '../../../src/envs/vm/qemu-args.js';

describe('kernelParams', () => {
  it('gives a TCG guest the host TSC rate, tsc=reliable and (one vCPU) noapictimer', () => {
    const p = kernelParams({ accel: 'tcg', flavour: 'isobench', tscKhz: 2445426, smp: 1 });
    expect(p).toEqual(expect.arrayContaining(['console=ttyS0', 'quiet', 'panic=-1', 'reboot=t', 'tsc=reliable', 'tsc_early_khz=2445426', 'noapictimer', 'rodata=off']));
  });
  it('keeps local APIC timers with 2+ vCPUs and drops the TCG-only parameters under KVM', () => {
    expect(kernelParams({ accel: 'tcg', flavour: 'isobench', smp: 2 })).not.toContain('noapictimer');
    const kvm = kernelParams({ accel: 'kvm', flavour: 'isobench', tscKhz: 1, smp: 1 });
    expect(kvm.some((x) => x.startsWith('tsc') || x === 'noapictimer' || x === 'rodata=off')).toBe(false);
  });
  it('trims a stock kernel\'s built-in extras, which our kernel does not have', () => {
    const stock = kernelParams({ accel: 'tcg', flavour: 'stock', smp: 1 });
    expect(stock).toEqual(expect.arrayContaining(['cryptomgr.notests', 'pci=off', '8250.nr_uarts=1']));
    expect(stock.find((x) => x.startsWith('initcall_blacklist='))).toContain('load_system_certificate_list');
    const ours = kernelParams({ accel: 'tcg', flavour: 'isobench', smp: 1 });
    expect(ours.some((x) => x.startsWith('initcall_blacklist') || x === 'cryptomgr.notests' || x === 'pci=off')).toBe(false);
  });
  it('appends extra parameters last', () => {
    expect(kernelParams({ accel: 'tcg', flavour: 'stock', extra: ['initcall_debug'] }).at(-1)).toBe('initcall_debug');
  });
});

describe('qemuArgv', () => {
  const base = { qemu: 'qemu-system-x86_64', vmlinux: '/k', flavour: 'isobench' as const, initrd: '/i', memoryMiB: 256, smp: 1, pidfile: '/run/q.pid', append: 'quiet' };
  it('boots microvm without defaults, serial on stdio, no reboot, with a pidfile', () => {
    const a = qemuArgv({ ...base, accel: 'tcg' });
    expect(a.slice(0, 3)).toEqual(['qemu-system-x86_64', '-M', 'microvm,acpi=off']);
    expect(qemuArgv({ ...base, flavour: 'stock', accel: 'tcg' }).slice(0, 3)).toEqual(['qemu-system-x86_64', '-M', 'microvm']);
    for (const f of ['-nodefaults', '-no-user-config', '-no-reboot', '-nographic']) expect(a).toContain(f);
    expect(a.join(' ')).toContain('-accel tcg -cpu qemu64');
    expect(a.join(' ')).toContain('-pidfile /run/q.pid');
    expect(a).not.toContain('-device');
    expect(qemuArgv({ ...base, accel: 'kvm' }).join(' ')).toContain('-accel kvm -cpu host');
  });
  it('attaches the overlay as virtio-blk and refuses paths QEMU would split', () => {
    expect(qemuArgv({ ...base, accel: 'tcg', drive: '/v/overlay.qcow2' }).join(' ')).toContain('-device virtio-blk-device,drive=root -drive id=root,file=/v/overlay.qcow2,format=qcow2,if=none');
    expect(() => qemuArgv({ ...base, accel: 'tcg', drive: '/a,b/o.qcow2' })).toThrow(/comma/);
  });
});
