import type { RunResults } from '../../results/types.js';
import { fmtCI, fmtMs, fmtRatio } from './format.js';

/**
 * One sentence on what the VM's disk presentation costs its startup
 * (results.facts.vmDiskStartup), for the startup section of every report and
 * the run summary; undefined when the run has no such fact or it was skipped
 * for lack of rounds on either side.
 */
export function vmDiskStartupText(r: Pick<RunResults, 'facts'>): string | undefined {
  const f = r.facts?.vmDiskStartup;
  if (!f) return undefined;
  if (f.status === 'failed') return `VM disk presentation: not computed (${f.reason ?? 'failed'}).`;
  if (f.status !== 'ok' || !f.disk || !f.initramfs || !f.ratio || f.extraMs === undefined) return undefined;
  const accel = f.accelerator === 'tcg' ? ', emulated (TCG)' : f.accelerator === 'kvm' ? ', KVM' : '';
  return `VM disk presentation: booting from the virtio-blk disk (ext4 base + qcow2 overlay) took ${fmtMs(f.disk.medianMs)} to the ready marker `
    + `(median of ${f.disk.n} boots in ${f.disk.scenarios.join(', ')}${f.disk.sessionBoots ? `, ${f.disk.sessionBoots} of them a boot shared by a whole cell` : ''}) against ${fmtMs(f.initramfs.medianMs)} from the initramfs (${f.initramfs.n} boots in ${f.initramfs.scenarios.join(', ')}): `
    + `${fmtRatio(f.ratio.ratio)} ${fmtCI(f.ratio.lo, f.ratio.hi)}, ${f.extraMs >= 0 ? '+' : '−'}${fmtMs(Math.abs(f.extraMs))}${accel}. `
    + 'The boots come from different scenarios of the run, so a change of load between them shows up here too.';
}
