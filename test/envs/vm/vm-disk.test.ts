import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, readFile, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { resolveHome, type HomePaths } from '../../../src/core/home.js';
import { NATIVE_DIR } from '../../../src/core/version.js';
import { VmEnvironment, type VmPrepared } from '../../../src/envs/vm/index.js';
import { moduleDirCandidates, DISK_MODULES } from '../../../src/image/vm/index.js';
import { testImage } from './fixture-image.js';
import { vmSkipReason } from './vm-requirements.js';

let skip = await vmSkipReason();
if (!skip && !existsSync('/usr/sbin/mkfs.ext4')) skip = 'mkfs.ext4 missing (e2fsprogs)';
if (!skip && !existsSync('/usr/bin/qemu-img')) skip = 'qemu-img missing (qemu-utils)';
if (skip) console.warn(`vm disk tests skipped: ${skip}`);

// Our kernel (drivers built in: the boot initramfs holds only /init) and the
// stock kernel (loads its virtio/ext4 modules first).
describe.skipIf(!!skip).each([
  { kernel: undefined, label: 'default kernel' },
  { kernel: 'debian', label: 'stock kernel' },
])('vm disk presentation: read-only base disk + per-VM qcow2 overlay ($label)', ({ kernel }) => {
  let root: string;
  let home: HomePaths;
  let env: VmEnvironment;
  let prepared: VmPrepared | undefined;
  let noModules: string | undefined;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'isobench-vmdisk-'));
    home = resolveHome(root);
    const ti = await testImage(home);
    env = new VmEnvironment({ home, nativeDir: NATIVE_DIR, runId: 'disk', log: () => {} }, { presentation: 'disk', bootAllowanceMs: 120000, ...(kernel ? { kernel } : {}) }, ti.unpack);
    const k = await env.kernel().catch(() => undefined);
    if (!k) { noModules = `no ${kernel ?? 'default'} kernel`; return; }
    if (k.flavour === 'stock' && !moduleDirCandidates(k.source, k.version).some((d) => existsSync(path.join(d, DISK_MODULES[0]!)))) {
      noModules = `no virtio/ext4 modules for ${k.version} (scripts/setup.d/vm-kernel.sh)`;
      return;
    }
    prepared = await env.prepare(ti.image);
  }, 300000);

  afterAll(async () => {
    await env?.cleanup();
    await rm(root, { recursive: true, force: true });
  });

  it('boots with the image on /dev/vda, writes go to the overlay, the base disk stays untouched', async (ctx) => {
    if (noModules || !prepared?.disk) ctx.skip();
    const base = prepared!.disk!.base.path;
    const before = crypto.createHash('sha256').update(await readFile(base)).digest('hex');
    const r = await env.start(prepared!, { argv: ['/bin/busybox', 'sh', '-c', 'echo written > /written-by-guest && cat /written-by-guest && grep " / " /proc/mounts && /usr/bin/sysbench --version'], token: 'vmdisk-1', env: {}, timeoutMs: 60000, limits: {} });
    expect(r.commandLine.join(' ').includes('isobench.modules=')).toBe(prepared!.kernel.flavour === 'stock');
    const out = await env.wait(r);
    expect(out.exitCode).toBe(0);
    expect(out.output).toMatch(/^written\n\/dev\/vda \/ ext4 /);
    expect(out.output).toMatch(/sysbench \d/);
    const after = crypto.createHash('sha256').update(await readFile(base)).digest('hex');
    expect(after).toBe(before);
    // The overlay (the VM's rw layer) went with its VM dir.
    const vmRoot = path.join(home.runs, 'disk', 'vm');
    expect(existsSync(vmRoot) ? await readdir(vmRoot) : []).toEqual([]);
    // A second VM does not see the first one's write.
    const r2 = await env.start(prepared!, { argv: ['/bin/busybox', 'sh', '-c', 'test -e /written-by-guest; echo $?'], token: 'vmdisk-2', env: {}, timeoutMs: 60000, limits: {} });
    const out2 = await env.wait(r2);
    expect(out2.output).toBe('1\n');
  }, 240000);
});
