import type { Accelerator } from '../../results/types.js';
import type { KernelFlavour } from './kernel.js';
import { ConfigError } from '../../core/errors.js';

/**
 * The QEMU command line and guest kernel parameters, in one place. Choices
 * were measured (table in README.md); each parameter says why it is here.
 */
export interface QemuLaunch {
  qemu: string;
  accel: Accelerator;
  /** Uncompressed vmlinux: booted through its PVH note, no firmware, no decompressor. */
  vmlinux: string;
  /** Ours runs without ACPI (its drivers are built in; devices come from the MP table and virtio_mmio.device=). */
  flavour: KernelFlavour;
  initrd: string;
  memoryMiB: number;
  smp: number;
  /** QEMU writes its PID here (and removes it on a clean exit); gc matches it in /proc/<pid>/cmdline. */
  pidfile: string;
  /** Guest kernel parameters (see kernelParams). */
  append: string;
  /** Disk presentation: the per-VM qcow2 overlay, attached as virtio-blk on virtio-mmio (/dev/vda). */
  drive?: string;
}

/**
 * Initcalls a benchmark guest never needs, skipped with initcall_blacklist=.
 * Each cost tens to hundreds of ms under TCG (initcall_debug, README.md):
 * self-tests of crypto the guest never uses, loading the distro's X.509
 * certificate list (module signing: the guest loads no modules), block
 * tracer, IMA/EVM, zswap, KSM, hugetlb pools.
 */
export const INITCALL_BLACKLIST = [
  'crypto_kdf108_init',
  'load_system_certificate_list',
  'init_blk_tracer',
  'init_ima',
  'init_encrypted',
  'init_zswap',
  'hugetlb_init',
  'ksm_init',
];

export interface KernelParamOptions {
  accel: Accelerator;
  flavour: KernelFlavour;
  /** Host TSC rate; given to a TCG guest instead of letting it calibrate. */
  tscKhz?: number;
  /** Guest vCPUs: noapictimer is only safe with one (secondary CPUs need their local timer). */
  smp?: number;
  extra?: string[];
}

export function kernelParams(o: KernelParamOptions): string[] {
  const p = [
    'console=ttyS0', // the only console: QEMU's -serial chardev on stdio
    'quiet', // loglevel 4: every console line costs an emulated UART exit
    'panic=-1', // a panicking guest resets at once; with -no-reboot QEMU exits
    'reboot=t', // init's reboot() resets by triple fault: no ACPI needed to end QEMU
  ];
  if (o.flavour === 'stock') {
    // A distribution kernel's built-in extras; ours has none of them.
    p.push(
      'cryptomgr.notests', // crypto self-tests: hundreds of ms under TCG
      `initcall_blacklist=${INITCALL_BLACKLIST.join(',')}`,
      'pci=off', // microvm has no PCI: skip probing the config-space ports (the one "PCI: Fatal" line remains)
      '8250.nr_uarts=1', // one UART exists; probing four costs emulated port I/O
    );
  }
  if (o.accel === 'tcg') {
    // Under TCG the guest TSC is the host's (constant, invariant) counter.
    // The clocksource watchdog compares it with jiffies, which arrive late
    // whenever the host is busy, declares the TSC unstable and drops the
    // guest to the 4 ms jiffies clock: workload timings inside the guest
    // would be quantized to 4 ms. tsc=reliable keeps the TSC.
    p.push('tsc=reliable');
    if (o.tscKhz) p.push(`tsc_early_khz=${o.tscKhz}`);
    // The local APIC timer is calibrated by counting ~100 ms of PIT ticks
    // (QEMU's TCG CPUs have no TSC-deadline timer and no CPUID frequency leaf
    // to skip it): a quarter of the guest's boot. Without it the PIT drives
    // the one CPU's tick; timekeeping stays on the TSC. With 2+ vCPUs the
    // guest never comes up without local timers (measured: no token in 120 s).
    if ((o.smp ?? 1) === 1) p.push('noapictimer');
    // At boot the kernel checks that the PIT's interrupt reaches it through
    // the IO-APIC within a few jiffies; on a heavily loaded host the emulated
    // CPU can be descheduled through that window and the guest panics with
    // "IO-APIC + timer doesn't work!" (seen at load average 20, ~1 boot in
    // 20). The timer does work under QEMU: skip the check.
    p.push('no_timer_check');
    // Making the kernel image read-only ends with CONFIG_DEBUG_WX's walk of
    // every kernel page table (~180 ms of emulated time at boot, the largest
    // single step after the initramfs). Interleaved A/B at load ~1: startup
    // median 1876 -> 1714 ms, QEMU CPU 1916 -> 1752 ms (README.md). Only
    // the guest kernel's own text stays writable; user space is unaffected.
    p.push('rodata=off');
  }
  return [...p, ...(o.extra ?? [])];
}

/**
 * microvm: no PCI, no firmware tables beyond what PVH needs. Our kernel has
 * no ACPI (its interpreter and tables cost boot time under TCG); QEMU then
 * describes the virtio-mmio devices on the kernel command line and the
 * interrupts in an MP table. A stock kernel keeps ACPI: without it Debian's
 * kernel booted slower (README.md, icount table).
 */
export function machineOption(flavour: KernelFlavour): string {
  return flavour === 'isobench' ? 'microvm,acpi=off' : 'microvm';
}

export function qemuArgv(l: QemuLaunch): string[] {
  // QEMU's option syntax splits on commas; a path with one would name another file.
  if (l.drive?.includes(',')) throw new ConfigError('VM_BAD_PATH', `the VM overlay path ${l.drive} contains a comma, which QEMU's -drive cannot carry`, { hint: 'use an ISOBENCH_HOME without commas' });
  const machine = machineOption(l.flavour);
  // TCG: qemu64 (x86-64 baseline + hypervisor bit) rather than max: fewer
  // CPU features to set up at boot, and glibc then picks SSE2 string
  // routines instead of AVX2 ones that TCG emulates through slow helpers.
  const accel = l.accel === 'kvm' ? ['-accel', 'kvm', '-cpu', 'host'] : ['-accel', 'tcg', '-cpu', 'qemu64'];
  return [
    l.qemu,
    '-M', machine,
    ...accel,
    '-smp', String(l.smp),
    '-m', `${l.memoryMiB}M`,
    '-nodefaults', '-no-user-config', '-nographic', '-no-reboot',
    '-chardev', 'stdio,id=con', '-serial', 'chardev:con',
    '-kernel', l.vmlinux,
    '-initrd', l.initrd,
    '-append', l.append,
    // cache=none: QEMU opens the overlay (and its base) with O_DIRECT, so the
    // guest's O_DIRECT and fsync reach the host's device as the other
    // environments' do, instead of stopping in the host's page cache.
    ...(l.drive ? ['-device', 'virtio-blk-device,drive=root', '-drive', `id=root,file=${l.drive},format=qcow2,if=none,cache=none`] : []),
    '-pidfile', l.pidfile,
  ];
}
