import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveHome } from '../../../src/core/home.js';
import { NATIVE_DIR } from '../../../src/core/version.js';
import { buildWorkloadImage } from '../../../src/image/index.js';
import { VmEnvironment, findStockKernel } from '../../../src/envs/vm/index.js';
import { vmKernelComparisonPhase, VM_KERNEL_COMPARISON_BOOTS } from '../../../src/measure/phases/vm-kernel-comparison.js';
import type { VmKernelComparison } from '../../../src/results/types.js';
import type { PhaseContext } from '../../../src/measure/phases/types.js';
import type { RunResults } from '../../../src/results/types.js';
import { qemusOf, vmSkipReason } from '../../envs/vm/vm-requirements.js';

let base: string;
beforeAll(async () => { base = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-vmkc-')); });
afterAll(async () => { await fsp.rm(base, { recursive: true, force: true }); });

/** Results with only what the phase reads: a vm arm of the startup scenario. */
function resultsWithVmStartup(medianMs: number): RunResults {
  return {
    facts: {}, warnings: [],
    scenarios: [{ workload: { type: 'startup' }, envs: [{ env: 'vm', status: 'ok', stats: { startupMs: { median: medianMs } }, samples: [{}, {}, {}] }] }],
  } as unknown as RunResults;
}

const skip = await vmSkipReason();
const stock = skip ? undefined : await findStockKernel();

describe('vm kernel comparison phase', () => {
  it('skips, with the reason, when the run had no vm', async () => {
    const home = resolveHome(path.join(base, 'skip'));
    const results = resultsWithVmStartup(700);
    const ctx = { results, environments: [], prepared: new Map(), env: { home, nativeDir: NATIVE_DIR, runId: 'r', log: () => undefined }, outDir: base, progress: () => undefined } as unknown as PhaseContext;
    await vmKernelComparisonPhase.run(ctx);
    expect(results.facts!.vmKernelComparison).toEqual({ status: 'skipped', reason: 'the vm environment did not run' });
  });

  it.skipIf(!!skip || !stock)('boots the same image with the stock kernel and stores both medians', async () => {
    const home = resolveHome(path.join(base, 'home'));
    const image = await buildWorkloadImage(home);
    const env = { home, nativeDir: NATIVE_DIR, runId: 'kc', log: () => undefined };
    const vm = new VmEnvironment(env, { accel: 'tcg' });
    const prepared = await vm.prepare(image);
    const results = resultsWithVmStartup(700);
    const ctx: PhaseContext = { results, image, environments: [vm], prepared: new Map([['vm', prepared]]), env, outDir: base, progress: () => undefined };
    await vmKernelComparisonPhase.run(ctx);
    const k = results.facts!.vmKernelComparison as VmKernelComparison;
    if (prepared.kernel.flavour === 'stock') {
      // No build of ours on this host: nothing to compare against.
      expect(k).toMatchObject({ status: 'skipped' });
      return;
    }
    expect(k.status, k.reason).toBe('ok');
    expect(k.ours).toEqual({ kernel: prepared.kernel.version, medianMs: 700, n: 3 });
    expect(k.stock!.kernel).not.toMatch(/-isobench$/);
    expect(k.stock!.samplesMs).toHaveLength(VM_KERNEL_COMPARISON_BOOTS);
    expect(k.stock!.medianMs).toBeGreaterThan(0);
    expect(k.ratio).toBeCloseTo(k.stock!.medianMs / 700, 6);
    // The stock boots keep ACPI and the stock trims, and ran under the run's accelerator.
    expect(k.command!.slice(1, 3)).toEqual(['-M', 'microvm']);
    expect(k.command!.join(' ')).toContain('-accel tcg');
    expect(k.command!.join(' ')).toContain('initcall_blacklist=');
    expect(qemusOf(base)).toEqual([]);
    await vm.cleanup();
  }, 240_000);
});
