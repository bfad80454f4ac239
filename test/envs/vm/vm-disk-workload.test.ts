import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, readFile, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { resolveHome, type HomePaths } from '../../../src/core/home.js';
import { NATIVE_DIR } from '../../../src/core/version.js';
import { VmEnvironment, type VmPrepared } from '../../../src/envs/vm/index.js';
import { testImage } from './fixture-image.js';
import { vmSkipReason } from './vm-requirements.js';

let skip = await vmSkipReason();
if (!skip && !existsSync('/usr/sbin/mkfs.ext4')) skip = 'mkfs.ext4 missing (e2fsprogs)';
if (!skip && !existsSync('/usr/bin/qemu-img')) skip = 'qemu-img missing (qemu-utils)';
if (skip) console.warn(`vm disk workload tests skipped: ${skip}`);

const sha256 = async (file: string): Promise<string> => crypto.createHash('sha256').update(await readFile(file)).digest('hex');

/**
 * The default presentation is the initramfs; a workload that writes to
 * storage (storage: 'disk', as fileio, fio and sqlite declare) gets the
 * disk: the base ext4 built on first use, a qcow2 overlay per VM. The bytes
 * the guest writes to /tmp must be in that overlay file on the host while
 * the VM lives, and the base must not change.
 */
describe.skipIf(!!skip)('vm: storage workloads write to the qcow2 overlay of a read-only base disk', () => {
  let root: string;
  let home: HomePaths;
  let env: VmEnvironment;
  let prepared: VmPrepared;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'isobench-vmdiskw-'));
    home = resolveHome(root);
    const ti = await testImage(home);
    env = new VmEnvironment({ home, nativeDir: NATIVE_DIR, runId: 'diskw', log: () => {} }, { bootAllowanceMs: 180000 }, ti.unpack);
    prepared = await env.prepare(ti.image);
  }, 300000);

  afterAll(async () => {
    await env?.cleanup();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('a non-storage run boots the initramfs with /tmp in RAM and says so', async () => {
    expect(prepared.disk).toBeUndefined();
    const r = await env.start(prepared, { argv: ['/bin/busybox', 'sh', '-c', 'grep " /tmp " /proc/mounts'], token: 'diskw-0', env: {}, timeoutMs: 60000, limits: {} });
    expect(r.presentation?.name).toBe('initramfs');
    expect(r.presentation?.scratchInRam).toBe(true);
    const out = await env.wait(r);
    expect(out.output).toMatch(/^tmpfs \/tmp tmpfs /);
  }, 240000);

  it('a storage run writes /tmp into the overlay file; the base is unchanged and the overlay goes with the VM', async () => {
    const marker = `isobench-overlay-${crypto.randomBytes(8).toString('hex')}`;
    // 64 KiB of the marker, synced, then the guest waits so the test can read the overlay while it exists.
    const script = `m=${marker}; i=0; while [ $i -lt 2048 ]; do echo "$m-pad-pad"; i=$((i+1)); done > /tmp/marker && sync && grep -c " /tmp " /proc/mounts; grep " / " /proc/mounts; sleep 20`;
    const r = await env.start(prepared, { argv: ['/bin/busybox', 'sh', '-c', script], token: 'diskw-1', env: {}, timeoutMs: 240000, limits: {}, storage: 'disk' });
    expect(r.presentation?.name).toBe('disk');
    expect(r.presentation?.scratchInRam).toBe(false);
    const disk = (await (env as unknown as { disks: Map<string, Promise<NonNullable<VmPrepared['disk']>>> }).disks.get(prepared.imageDigest))!;
    const baseBefore = await sha256(disk.base.path);
    const vmRoot = path.join(home.runs, 'diskw', 'vm');
    const vmDirs = await readdir(vmRoot);
    expect(vmDirs).toHaveLength(1);
    const overlay = path.join(vmRoot, vmDirs[0]!, 'overlay.qcow2');
    expect(existsSync(overlay)).toBe(true);
    let seen = false;
    for (let i = 0; i < 900 && !seen; i++) {
      const bytes = await readFile(overlay).catch(() => Buffer.alloc(0));
      seen = bytes.includes(Buffer.from(`${marker}-pad-pad\n${marker}-pad-pad\n`));
      if (!seen) await new Promise((res) => setTimeout(res, 200));
    }
    expect(seen).toBe(true);
    const out = await env.wait(r);
    expect(out.exitCode).toBe(0);
    // /tmp is not a separate (tmpfs) mount: it is on the root, /dev/vda.
    expect(out.output).toMatch(/^0\n\/dev\/vda \/ ext4 /);
    expect(await sha256(disk.base.path)).toBe(baseBefore);
    expect(existsSync(overlay)).toBe(false);
  }, 300000);
});
