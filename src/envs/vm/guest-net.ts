import fs from 'node:fs';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';
import type { HomePaths } from '../../core/home.js';
import { HostRequirementError } from '../../core/errors.js';
import { writeCpio, type CpioEntry } from '../../image/vm/cpio.js';
import type { GuestKernel } from './kernel.js';
import { writeFileAtomic } from '../../core/atomic-write.js';

/**
 * Networking for network workloads only (other runs keep the NIC-less
 * guest, so the startup figure is untouched): QEMU user networking, whose
 * 10.0.2.2 is the host's loopback as seen from the guest, a virtio-net
 * device on microvm's virtio-mmio bus, and the guest kernel's virtio-net
 * modules appended to the initramfs as a second cpio (the kernel unpacks
 * concatenated archives in order; the image's bytes stay untouched). The
 * guest init loads them and configures eth0 when it sees isobench.net=1.
 */
export const GUEST_NET = {
  /** The host's 127.0.0.1 as the guest reaches it. */
  hostAlias: '10.0.2.2',
  guestAddress: '10.0.2.15',
  kernelParam: 'isobench.net=1',
  qemuArgs: ['-netdev', 'user,id=n0', '-device', 'virtio-net-device,netdev=n0'],
  modulesDir: 'isobench/modules',
} as const;

/** Load order (modules.dep of Debian's 6.1 kernel): dependencies first. */
const MODULES = [
  'kernel/drivers/virtio/virtio_ring.ko',
  'kernel/drivers/virtio/virtio.ko',
  'kernel/drivers/virtio/virtio_mmio.ko',
  'kernel/net/core/failover.ko',
  'kernel/drivers/net/net_failover.ko',
  'kernel/drivers/net/virtio_net.ko',
];

/** /lib/modules/<version> next to the kernel's boot dir (/boot -> /lib/modules, a download's boot/ -> its lib/modules). */
function modulesRoot(kernel: GuestKernel): string {
  const bootDir = path.dirname(kernel.source);
  const candidates = [path.join(bootDir, '..', 'lib', 'modules', kernel.version), path.join('/lib/modules', kernel.version)];
  const found = candidates.find((d) => fs.existsSync(path.join(d, MODULES[0]!)) || fs.existsSync(path.join(d, 'modules.dep')));
  if (!found) {
    throw new HostRequirementError('VM_NO_NET_MODULES', `no kernel modules for guest kernel ${kernel.version} (looked in ${candidates.join(', ')})`, {
      hint: `install linux-image-${kernel.version} (its virtio_net.ko is loaded by the guest for network workloads)`,
    });
  }
  return found;
}

/**
 * initramfs + modules cpio, cached next to the initramfs by both hashes.
 * Modules that are built into the kernel (absent as files) are skipped; the
 * guest init treats EEXIST and missing files as fine.
 */
export async function networkInitrd(home: HomePaths, kernel: GuestKernel, initramfs: string): Promise<string> {
  // Our kernel has virtio-net built in: the image's initramfs boots as it is.
  if (kernel.flavour === 'isobench') return initramfs;
  const root = modulesRoot(kernel);
  const present = MODULES.map((m) => path.join(root, m)).filter((f) => fs.existsSync(f));
  const key = crypto.createHash('sha256').update(initramfs).update(kernel.sha256).update(present.join('\n')).digest('hex').slice(0, 16);
  const dir = path.join(home.cache, 'vm', 'net-initrd');
  const file = path.join(dir, `${key}.cpio`);
  try { if ((await stat(file)).size > (await stat(initramfs)).size) return file; } catch { /* build it */ }
  await mkdir(dir, { recursive: true });
  const mods = path.join(dir, `${key}.modules.cpio.tmp`);
  const entries: CpioEntry[] = [
    { kind: 'dir', name: 'isobench', mode: 0o755 },
    { kind: 'dir', name: GUEST_NET.modulesDir, mode: 0o755 },
    ...present.map((f): CpioEntry => ({ kind: 'data', name: `${GUEST_NET.modulesDir}/${path.basename(f)}`, mode: 0o644, data: fs.readFileSync(f) })),
  ];
  try {
    await writeCpio(mods, entries, new Map());
    await writeFileAtomic(file, Buffer.concat([fs.readFileSync(initramfs), fs.readFileSync(mods)]));
  } finally {
    fs.rmSync(mods, { force: true });
  }
  return file;
}
