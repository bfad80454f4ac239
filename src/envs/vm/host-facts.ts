import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** "7.2.22" from `qemu-system-x86_64 --version`, or undefined when QEMU is missing. */
export async function qemuVersion(qemu: string): Promise<string | undefined> {
  try {
    const { stdout } = await run(qemu, ['--version'], { timeout: 10000 });
    return /version (\S+)/.exec(stdout)?.[1];
  } catch {
    return undefined;
  }
}

/** Parses the host's TSC frequency (kHz) from kernel log text. */
export function tscKhzFromDmesg(text: string): number | undefined {
  const refined = /tsc: Refined TSC clocksource calibration: ([\d.]+) MHz/.exec(text);
  const detected = /tsc: Detected ([\d.]+) MHz (?:processor|TSC)/.exec(text);
  const m = refined ?? detected;
  return m?.[1] ? Math.round(Number(m[1]) * 1000) : undefined;
}

/** From /proc/cpuinfo, only when the kernel says the TSC rate is known and constant ("cpu MHz" is then the TSC's). */
export function tscKhzFromCpuinfo(text: string): number | undefined {
  const flags = /^flags\s*:(.*)$/m.exec(text)?.[1]?.split(/\s+/) ?? [];
  if (!flags.includes('tsc_known_freq') || !flags.includes('constant_tsc')) return undefined;
  const mhz = /^cpu MHz\s*:\s*([\d.]+)/m.exec(text)?.[1];
  return mhz ? Math.round(Number(mhz) * 1000) : undefined;
}

/**
 * The host TSC rate. Under TCG the guest's TSC is the host's (QEMU reads the
 * host counter), and telling the guest kernel its rate (tsc_early_khz=)
 * replaces its calibration against the emulated PIT, which on a busy host
 * fails ("Unable to calibrate against PIT", TSC marked unstable) and then
 * leaves the guest timer-less for many seconds.
 */
export async function hostTscKhz(): Promise<number | undefined> {
  try {
    const { stdout } = await run('dmesg', [], { timeout: 5000, maxBuffer: 64 << 20 });
    const k = tscKhzFromDmesg(stdout);
    if (k) return k;
  } catch { /* dmesg restricted or missing */ }
  try {
    return tscKhzFromCpuinfo(await readFile('/proc/cpuinfo', 'utf8'));
  } catch {
    return undefined;
  }
}
