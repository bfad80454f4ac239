import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveHome, type HomePaths } from '../../../src/core/home.js';
import { NATIVE_DIR } from '../../../src/core/version.js';
import { runScenario, NO_PROGRESS, type EnvSlot } from '../../../src/measure/index.js';
import { VmEnvironment } from '../../../src/envs/vm/index.js';
import { buildWorkloadImage } from '../../../src/image/index.js';
import { parseScenarioText } from '../../../src/scenario/index.js';
import type { EnvContext } from '../../../src/envs/context.js';

/**
 * The VM reaches the host peer through QEMU user networking (10.0.2.2 = host
 * loopback) with a virtio-net NIC only for network workloads. One small run:
 * an emulated boot takes seconds.
 */
// Our kernel has virtio-net built in; the stock kernel loads it from modules
// appended to the initramfs. Both paths are exercised.
describe.each([
  { kernel: undefined, label: 'default kernel' },
  { kernel: 'debian', label: 'stock kernel' },
])('network workload in the VM ($label)', ({ kernel }) => {
  let tmp = '';
  let home: HomePaths;
  let vm: VmEnvironment;
  let reason: string | undefined;

  beforeAll(async () => {
    tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'isobench-h8-vmnet-'));
    home = resolveHome(path.join(tmp, 'home'));
    const ctx: EnvContext = { home, nativeDir: NATIVE_DIR, runId: 'vmnet', log: () => {} };
    vm = new VmEnvironment(ctx, kernel ? { kernel } : {});
    const a = await vm.available();
    reason = a.ok ? undefined : a.reason;
  });
  afterAll(async () => {
    await vm?.cleanup();
    if (tmp) await fsp.rm(tmp, { recursive: true, force: true });
  });

  it('streams to and ping-pongs with the host peer over the guest NIC', async (t) => {
    if (reason) t.skip(`VM not available: ${reason}`);
    const image = await buildWorkloadImage(home);
    const slot: EnvSlot = { env: vm, state: 'ready', prepared: await vm.prepare(image) };
    const s = parseScenarioText('name: network\ndescription: t\nworkload:\n  type: network\n  params: { bytes: 2097152, count: 50 }\nrounds: 1\nwarmup: 0\ntimeoutSeconds: 240\n', '/x/network.yaml');
    const r = await runScenario(s, [slot], { progress: NO_PROGRESS, counter: { done: 0, total: 1 } });
    const e = r.envs[0]!;
    expect(e.status === 'failed' ? `${e.error.message} ${e.outputTail ?? ''}` : e.status).toBe('ok');
    if (e.status === 'ok') {
      expect(e.commandLine.join(' ')).toContain('isobench.net=1');
      expect(e.samples[0]!.metrics.throughput_mib_per_sec).toBeGreaterThan(0);
      expect(e.samples[0]!.metrics.rtt_us).toBeGreaterThan(0);
    }
  });
});
