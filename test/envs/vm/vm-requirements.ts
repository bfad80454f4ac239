import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { NATIVE_DIR } from '../../../src/core/version.js';
import { findDefaultKernel } from '../../../src/envs/vm/kernel.js';

/** Why the VM integration tests cannot run on this host, or undefined when they can. */
export async function vmSkipReason(): Promise<string | undefined> {
  try { execFileSync('qemu-system-x86_64', ['--version'], { stdio: 'ignore' }); } catch { return 'qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)'; }
  for (const b of ['isobench-timer', 'isobench-probe']) {
    if (!existsSync(path.join(NATIVE_DIR, b))) return `${path.join(NATIVE_DIR, b)} missing: run npm run build`;
  }
  if (!(await findDefaultKernel())) return 'no guest kernel in build/kernel or /boot (scripts/setup.d/vm-kernel.sh)';
  if (!existsSync('/bin/busybox') || !existsSync('/usr/bin/sysbench')) return 'busybox-static and sysbench are needed for the test image';
  return undefined;
}

/** Every live QEMU whose command line mentions root (a test's home): what must be gone after cleanup. */
export function qemusOf(root: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
      if (cmd.startsWith('qemu-system') && cmd.includes(root)) out.push(Number(d));
    } catch { /* gone */ }
  }
  return out;
}
