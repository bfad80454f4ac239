import { ConfigError } from '../../core/errors.js';

/**
 * Options of the vm environment, normalized here and nowhere else. Every
 * field is optional on input; defaults are documented per field. The CLI's
 * --kernel and a scenario's vm options map onto VmOptionsInput; with neither,
 * ISOBENCH_VM_KERNEL / ISOBENCH_VM_ACCEL in the environment are honoured so
 * `bench run all` can be pointed at another kernel without code.
 */
export interface VmOptionsInput {
  /**
   * Guest kernel (bzImage or vmlinux), or "debian"/"stock" for the distribution's.
   * Default: ours (build/guest-kernel, scripts/setup.d/vm-guest-kernel.sh), else
   * Debian's package unpacked by scripts/setup.d/vm-kernel.sh, else /boot's newest vmlinuz.
   */
  kernel?: string;
  /** Guest RAM. Default 256 MiB (sysbench's cpu/memory runs need < 64 MiB; a scenario memory limit overrides it). */
  memoryMiB?: number;
  /** Guest vCPUs. Default 1 (the figures measured faster boots with 1 under TCG; see README.md). */
  smp?: number;
  /** 'auto' (default) probes KVM once per kernel+QEMU and falls back to TCG; 'tcg'/'kvm' force one. */
  accel?: 'auto' | 'kvm' | 'tcg';
  /** How long the KVM probe boot may take before KVM is judged unusable. Default 4000 ms (a KVM boot takes ~0.2 s). */
  kvmProbeTimeoutMs?: number;
  /** Added to each workload's timeout for booting. Default 60000 ms under TCG (a loaded 2-core host boots in 1.5-15 s), 10000 ms with KVM. */
  bootAllowanceMs?: number;
  /** QEMU binary. Default qemu-system-x86_64 from PATH. */
  qemu?: string;
  /** Extra guest kernel parameters appended last (diagnostics such as initcall_debug). Default none. */
  extraKernelParams?: string[];
  /**
   * How the image reaches the guest. 'initramfs' (default, fastest): the
   * layers flattened into the initramfs. 'disk': a read-only ext4 base disk
   * per image + a qcow2 overlay per VM (the VM's "image + rw layer"); needs the
   * guest kernel's virtio/ext4 modules.
   */
  presentation?: 'initramfs' | 'disk';
}

export interface VmOptions {
  kernel: string | undefined;
  memoryMiB: number;
  smp: number;
  accel: 'auto' | 'kvm' | 'tcg';
  kvmProbeTimeoutMs: number;
  bootAllowanceMs: number | undefined;
  qemu: string;
  extraKernelParams: string[];
  presentation: 'initramfs' | 'disk';
}

function positiveInt(name: string, v: number | undefined, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  if (!Number.isInteger(v) || v < min || v > max) throw new ConfigError('VM_BAD_OPTION', `vm option ${name}=${v} must be an integer in [${min}, ${max}]`);
  return v;
}

export function normalizeVmOptions(input: VmOptionsInput = {}, env: NodeJS.ProcessEnv = process.env): VmOptions {
  const accel = input.accel ?? (env.ISOBENCH_VM_ACCEL as VmOptionsInput['accel']) ?? 'auto';
  if (!['auto', 'kvm', 'tcg'].includes(accel)) throw new ConfigError('VM_BAD_OPTION', `vm accelerator "${accel}" is not one of auto, kvm, tcg`);
  for (const p of input.extraKernelParams ?? []) {
    if (/\s/.test(p) || p.startsWith('isobench.')) throw new ConfigError('VM_BAD_OPTION', `extra kernel parameter ${JSON.stringify(p)} must be one word and not an isobench.* parameter`);
  }
  return {
    kernel: input.kernel ?? (env.ISOBENCH_VM_KERNEL || undefined),
    memoryMiB: positiveInt('memoryMiB', input.memoryMiB, 256, 64, 65536),
    smp: positiveInt('smp', input.smp, 1, 1, 64),
    accel,
    kvmProbeTimeoutMs: positiveInt('kvmProbeTimeoutMs', input.kvmProbeTimeoutMs, 4000, 500, 60000),
    bootAllowanceMs: input.bootAllowanceMs === undefined ? undefined : positiveInt('bootAllowanceMs', input.bootAllowanceMs, 0, 0, 600000),
    qemu: input.qemu ?? 'qemu-system-x86_64',
    extraKernelParams: input.extraKernelParams ?? [],
    presentation: normalizePresentation(input.presentation ?? (env.ISOBENCH_VM_PRESENTATION as VmOptionsInput['presentation']) ?? 'initramfs'),
  };
}

function normalizePresentation(p: string): 'initramfs' | 'disk' {
  if (p !== 'initramfs' && p !== 'disk') throw new ConfigError('VM_BAD_OPTION', `vm presentation "${p}" is not one of initramfs, disk`);
  return p;
}

/** Boot allowance for an accelerator when the option is unset. */
export function bootAllowance(o: VmOptions, accel: 'kvm' | 'tcg'): number {
  return o.bootAllowanceMs ?? (accel === 'kvm' ? 10000 : 60000);
}
