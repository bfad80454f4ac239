import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveHome, type HomePaths } from '../../../src/core/home.js';
import { NATIVE_DIR } from '../../../src/core/version.js';
import { VmEnvironment, vmPortabilityEvidence, findDefaultKernel, findStockKernel, type VmPrepared } from '../../../src/envs/vm/index.js';
import { LaunchError } from '../../../src/envs/launch.js';
import { sysbenchCpuWorkload } from '../../../src/scenario/workloads/index.js';
import { testImage } from './fixture-image.js';
import { qemusOf, vmSkipReason } from './vm-requirements.js';

const skip = await vmSkipReason();
if (skip) console.warn(`vm boot tests skipped: ${skip}`);


describe.skipIf(!!skip)('vm backend boots the image under QEMU', () => {
  let root: string;
  let home: HomePaths;
  let env: VmEnvironment;
  let prepared: VmPrepared;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'isobench-vm-'));
    home = resolveHome(root);
    const ti = await testImage(home);
    env = new VmEnvironment({ home, nativeDir: NATIVE_DIR, runId: 'vmtest', log: () => {} }, { bootAllowanceMs: 120000 }, ti.unpack);
    prepared = await env.prepare(ti.image);
  }, 300000);

  afterAll(async () => {
    await env?.cleanup();
    await rm(root, { recursive: true, force: true });
  });

  it('reports the accelerator, kernel and QEMU it will use', async () => {
    const a = await env.available();
    expect(a.ok).toBe(true);
    expect(a.accelerator).toMatch(/^(kvm|tcg)$/);
    expect(a.facts?.guestKernelSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(a.description).toContain(a.accelerator === 'kvm' ? 'KVM' : 'emulated (TCG)');
    // Where scripts/setup built our kernel, it is the default (CI insists it was built).
    const built = await findDefaultKernel();
    if (built?.origin === 'built') {
      expect(a.facts?.guestKernel).toMatch(/-isobench$/);
      expect(a.facts?.guestKernelFlavour).toMatch(/^isobench/);
      expect(a.facts?.machine).toContain('microvm,acpi=off');
    }
    if (existsSync('/sys/module/kvm_pvm')) {
      expect(a.accelerator).toBe('tcg');
      expect(a.facts?.acceleratorReason).toMatch(/PVM/);
    }
  }, 120000);

  it('runs sysbench cpu in the guest and the scenario parser reads its output', async () => {
    const argv = sysbenchCpuWorkload.build({ maxPrime: 2000, events: 50, threads: 1 }, { scratchDir: '/tmp' }).argv;
    const r = await env.start(prepared, { argv, token: 'vmtest-sysbench', env: {}, timeoutMs: 60000, limits: {} });
    expect(r.commandLine[0]).toBe('qemu-system-x86_64');
    expect(r.commandLine.some((x) => x.startsWith('microvm'))).toBe(true);
    const startup = await r.ready;
    const out = await env.wait(r);
    expect(out.exitCode).toBe(0);
    expect(out.startupMs).toBeCloseTo(startup, 6);
    expect(out.exitMs).toBeGreaterThan(out.startupMs);
    const m = sysbenchCpuWorkload.parse(out.output);
    expect(m.events_per_sec).toBeGreaterThan(0);
    expect(out.output).not.toMatch(/\r|isobench\.exit/);
    expect(prepared.imageDigest).toMatch(/^sha256:/);
  }, 180000);

  it('runs the startup workload (empty argv: the token only) with status 0 and no output', async () => {
    const r = await env.start(prepared, { argv: [], token: 'vmtest-startup', env: {}, timeoutMs: 60000, limits: {} });
    const out = await env.wait(r);
    expect(out).toMatchObject({ exitCode: 0, output: '' });
    expect(out.startupMs).toBeGreaterThan(0);
  }, 180000);

  it('carries argv with spaces and quotes, env and cwd into the guest and maps the exit status', async () => {
    const argv = ['/bin/busybox', 'sh', '-c', 'echo "$1|$FOO|$(pwd)|$(cat /proc/1/cmdline | tr "\\0" " ")"; exit 7', 'sh', 'a "b" \'c\' = d'];
    const r = await env.start(prepared, { argv, token: 'vmtest-argv', env: { FOO: 'x y=z' }, timeoutMs: 60000, limits: {} });
    const out = await env.wait(r);
    expect(out.exitCode).toBe(7);
    expect(out.output).toBe('a "b" \'c\' = d|x y=z|/tmp|/init \n');
  }, 180000);

  it('boots a copy of kernel + initramfs moved to another directory (portability evidence)', async () => {
    const ev = await vmPortabilityEvidence(env, prepared, path.join(root, 'moved'));
    expect(ev).toMatchObject({ env: 'vm', identical: true, ranAfter: true, digestBefore: ev.digestAfter });
    expect(ev.detail).toMatch(/hashes identical/);
    expect(existsSync(path.join(root, 'moved')) ? await readdir(path.join(root, 'moved')) : []).toEqual([]);
  }, 180000);

  it('kills a guest that does not finish in time, reports it failed and leaves no QEMU or VM dir', async () => {
    const strict = new VmEnvironment({ home, nativeDir: NATIVE_DIR, runId: 'vmtest-timeout', log: () => {} }, { bootAllowanceMs: 0 });
    const r = await strict.start(prepared, { argv: ['/bin/busybox', 'sleep', '600'], token: 'vmtest-timeout', env: {}, timeoutMs: 1500, limits: {} });
    await expect(strict.wait(r)).rejects.toSatisfy((e: unknown) => e instanceof LaunchError && e.failure === 'timeout');
    expect(qemusOf(root)).toEqual([]);
    const vmRoot = path.join(home.runs, 'vmtest-timeout', 'vm');
    expect(existsSync(vmRoot) ? await readdir(vmRoot) : []).toEqual([]);
    await strict.cleanup();
    expect(existsSync(vmRoot)).toBe(false);
  }, 60000);
});

// `--vm-kernel debian`: the distribution kernel keeps working beside ours
// (ACPI on, its own module set), so the two can be compared.
const stock = skip ? undefined : await findStockKernel();
describe.skipIf(!!skip || !stock)('vm backend with the stock distribution kernel', () => {
  let root: string;
  let env: VmEnvironment;
  let prepared: VmPrepared;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'isobench-vmstock-'));
    const home = resolveHome(root);
    const ti = await testImage(home);
    env = new VmEnvironment({ home, nativeDir: NATIVE_DIR, runId: 'vmstock', log: () => {} }, { kernel: 'debian', bootAllowanceMs: 120000 }, ti.unpack);
    prepared = await env.prepare(ti.image);
  }, 300000);

  afterAll(async () => {
    await env?.cleanup();
    await rm(root, { recursive: true, force: true });
  });

  it('boots it with ACPI and the stock trims, and runs sysbench cpu', async () => {
    expect(prepared.kernel).toMatchObject({ flavour: 'stock', source: stock!.file });
    const argv = sysbenchCpuWorkload.build({ maxPrime: 2000, events: 50, threads: 1 }, { scratchDir: '/tmp' }).argv;
    const r = await env.start(prepared, { argv, token: 'vmstock-sysbench', env: {}, timeoutMs: 60000, limits: {} });
    expect(r.commandLine.slice(1, 3)).toEqual(['-M', 'microvm']);
    expect(r.commandLine.join(' ')).toContain('cryptomgr.notests');
    const out = await env.wait(r);
    expect(out.exitCode).toBe(0);
    expect(sysbenchCpuWorkload.parse(out.output).events_per_sec).toBeGreaterThan(0);
  }, 180000);
});
