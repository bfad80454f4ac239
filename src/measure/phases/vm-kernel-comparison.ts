import crypto from 'node:crypto';
import { describeError } from '../../core/errors.js';
import { median } from '../../stats/index.js';
import { VmEnvironment, findStockKernel, type VmPrepared } from '../../envs/vm/index.js';
import type { RunPhase } from './types.js';
import type { VmKernelComparison } from '../../results/types.js';

/** Stock-kernel boots per run: enough for a median beside ours, ~10 s under TCG. */
export const VM_KERNEL_COMPARISON_BOOTS = 5;

/**
 * The VM's startup figure belongs to the guest kernel as much as to QEMU:
 * the run boots isobench's minimal kernel, so this phase boots the same image
 * with the distribution's stock kernel a few times (same QEMU, accelerator,
 * memory and command line apart from the kernel's own trims) and stores both
 * medians in results.facts.vmKernelComparison. Readers see what a distro
 * kernel would have cost without rerunning anything.
 */
export const vmKernelComparisonPhase: RunPhase = {
  name: 'vm-kernel-comparison',
  async run(ctx) {
    const facts = (ctx.results.facts ??= {});
    const put = (c: VmKernelComparison): void => { facts.vmKernelComparison = c; };
    const vm = ctx.environments.find((e): e is VmEnvironment => e instanceof VmEnvironment);
    const prepared = ctx.prepared.get('vm') as VmPrepared | undefined;
    if (!vm || !prepared) return put({ status: 'skipped', reason: 'the vm environment did not run' });
    if (prepared.kernel.flavour !== 'isobench') return put({ status: 'skipped', reason: `this run already booted a stock kernel (${prepared.kernel.version})` });
    if (prepared.disk) return put({ status: 'skipped', reason: 'the disk presentation is not compared' });
    const startup = ctx.results.scenarios.find((s) => s.workload.type === 'startup')?.envs.find((e) => e.env === 'vm');
    const oursMedian = startup?.status === 'ok' ? startup.stats.startupMs?.median : undefined;
    if (!startup || startup.status !== 'ok' || oursMedian === undefined) return put({ status: 'skipped', reason: 'no vm startup figure in this run' });
    if (!(await findStockKernel())) return put({ status: 'skipped', reason: 'no distribution kernel (scripts/setup.d/vm-kernel.sh downloads it)' });
    const o = vm.options;
    // The run's accelerator, forced: a stock kernel must not trigger a second KVM probe.
    const stock = new VmEnvironment(ctx.env, { kernel: 'debian', accel: prepared.accel.accelerator, memoryMiB: o.memoryMiB, smp: o.smp, qemu: o.qemu, extraKernelParams: o.extraKernelParams });
    const ours = { kernel: prepared.kernel.version, medianMs: oursMedian, n: startup.samples.length };
    try {
      const sp = await stock.prepare(ctx.image);
      const samples: number[] = [];
      let command: string[] | undefined;
      for (let i = 0; i < VM_KERNEL_COMPARISON_BOOTS; i++) {
        // Between boots: a stop request ends the comparison (each boot can take seconds under TCG).
        if (ctx.signal?.aborted) return put({ status: 'skipped', reason: `interrupted by ${String(ctx.signal.reason)} after ${i} of ${VM_KERNEL_COMPARISON_BOOTS} stock boots`, ours });
        ctx.progress(`vm kernel comparison: stock kernel ${sp.kernel.version}, boot ${i + 1}/${VM_KERNEL_COMPARISON_BOOTS}`);
        const token = `isobench-stock-${i}-${crypto.randomBytes(4).toString('hex')}`;
        const r = await stock.start(sp, { argv: [], token, env: {}, timeoutMs: 60_000, limits: {} });
        command ??= r.commandLine;
        const out = await stock.wait(r);
        if (out.exitCode !== 0) throw new Error(`stock kernel boot ${i + 1} ended with status ${out.exitCode}`);
        samples.push(out.startupMs);
      }
      const m = median(samples);
      put({
        status: 'ok',
        accelerator: prepared.accel.accelerator,
        ours,
        stock: { kernel: sp.kernel.version, source: sp.kernel.package ?? sp.kernel.source, medianMs: m, n: samples.length, samplesMs: samples },
        ratio: m / oursMedian,
        ...(command ? { command } : {}),
      });
    } catch (e) {
      put({ status: 'failed', reason: describeError(e).message, ours });
    } finally {
      await stock.cleanup();
    }
  },
};
