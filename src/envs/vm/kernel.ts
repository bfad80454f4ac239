import { readFile, readdir, mkdir, writeFile, rename, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { HomePaths } from '../../core/home.js';
import { REPO_ROOT } from '../../core/version.js';
import { HostRequirementError } from '../../core/errors.js';
import { extractVmlinux, kernelVersionOf } from './extract-vmlinux.js';
import { writeFileAtomic } from '../../core/atomic-write.js';

/** The guest kernel as booted, with what the manifest records about it. */
export interface GuestKernel {
  /** The file we were given or found (bzImage or vmlinux). */
  source: string;
  /** sha256 of source. */
  sha256: string;
  version: string;
  /** The uncompressed ELF QEMU boots through PVH (cached copy). */
  vmlinux: string;
  vmlinuxSha256: string;
  /** Where it came from: --kernel, our own build, the setup script's download, or /boot. */
  origin: 'option' | 'built' | 'download' | 'boot';
  /**
   * isobench: our guest kernel (src/envs/vm/guest-kernel.config): drivers
   * built in, no ACPI, no modules. stock: a distribution kernel (ACPI,
   * virtio drivers as modules shipped in the initramfs when needed).
   */
  flavour: KernelFlavour;
  /**
   * Provenance for the manifest: the Debian package and version of a
   * downloaded kernel ("linux-image-6.1.0-56-amd64 6.1.192-2"), or the source
   * package and config fragment hash of our build ("linux-source-6.1 6.1.192-2 config-sha256=…").
   */
  package?: string;
  codec: string;
}

export type KernelFlavour = 'isobench' | 'stock';

/** `--vm-kernel debian` (or `stock`): the distribution kernel instead of ours. */
export const STOCK_KERNEL_KEYWORDS = ['debian', 'stock'] as const;

/**
 * Where scripts/setup.d/vm-kernel.sh unpacks Debian's linux-image package
 * (apt-get download + dpkg-deb -x: no bootloader on the user's host is
 * touched). Searched before /boot.
 */
export const DOWNLOADED_KERNEL_DIR = path.join(REPO_ROOT, 'build', 'kernel');

/**
 * Where scripts/setup.d/vm-guest-kernel.sh leaves our guest kernel:
 * `<version>-<config sha8>/vmlinux` with `PROVENANCE` beside it.
 */
export const BUILT_KERNEL_DIR = path.join(REPO_ROOT, 'build', 'guest-kernel');

/** The kernel version our build carries (CONFIG_LOCALVERSION in guest-kernel.config). */
export function flavourOf(version: string, origin: GuestKernel['origin']): KernelFlavour {
  return origin === 'built' || version.endsWith('-isobench') ? 'isobench' : 'stock';
}

function versionKey(v: string): number[] {
  return v.split(/[.-]/).map((p) => (/^\d+$/.test(p) ? Number(p) : 0));
}

function newestFirst(a: string, b: string): number {
  const ka = versionKey(a); const kb = versionKey(b);
  for (let i = 0; i < Math.max(ka.length, kb.length); i++) {
    const d = (kb[i] ?? 0) - (ka[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

async function vmlinuzIn(bootDir: string): Promise<string | undefined> {
  let names: string[];
  try { names = await readdir(bootDir); } catch { return undefined; }
  const found = names.filter((n) => /^vmlinuz-\d/.test(n)).map((n) => n.slice('vmlinuz-'.length)).sort(newestFirst);
  return found[0] === undefined ? undefined : path.join(bootDir, `vmlinuz-${found[0]}`);
}

async function builtKernelIn(builtDir: string): Promise<string | undefined> {
  let builds: string[] = [];
  try { builds = (await readdir(builtDir)).filter((d) => !d.endsWith('.partial')).sort(newestFirst); } catch { return undefined; }
  return builds.map((b) => path.join(builtDir, b, 'vmlinux')).find((f) => existsSync(f));
}

/**
 * The default kernel: ours when scripts/setup built it, else the stock one
 * (see findStockKernel).
 */
export async function findDefaultKernel(downloadDir = DOWNLOADED_KERNEL_DIR, bootDir = '/boot', builtDir = BUILT_KERNEL_DIR): Promise<{ file: string; origin: GuestKernel['origin'] } | undefined> {
  const built = await builtKernelIn(builtDir);
  if (built) return { file: built, origin: 'built' };
  return findStockKernel(downloadDir, bootDir);
}

/** The distribution kernel: the downloaded package's (any version dir, newest), else /boot's newest. */
export async function findStockKernel(downloadDir = DOWNLOADED_KERNEL_DIR, bootDir = '/boot'): Promise<{ file: string; origin: GuestKernel['origin'] } | undefined> {
  let versions: string[] = [];
  try { versions = (await readdir(downloadDir)).sort(newestFirst); } catch { /* nothing downloaded */ }
  for (const v of versions) {
    const f = await vmlinuzIn(path.join(downloadDir, v, 'boot'));
    if (f) return { file: f, origin: 'download' };
  }
  const f = await vmlinuzIn(bootDir);
  return f ? { file: f, origin: 'boot' } : undefined;
}

/**
 * Finds the kernel, extracts its vmlinux once (cached in the home by the
 * source's sha256) and returns both identities.
 */
export async function resolveGuestKernel(home: HomePaths, explicit?: string): Promise<GuestKernel> {
  let found: { file: string; origin: GuestKernel['origin'] } | undefined;
  if (explicit && (STOCK_KERNEL_KEYWORDS as readonly string[]).includes(explicit)) {
    found = await findStockKernel();
    if (!found) throw new HostRequirementError('VM_NO_STOCK_KERNEL', `--vm-kernel ${explicit}: no distribution kernel in ${DOWNLOADED_KERNEL_DIR} or /boot`, { hint: 'run scripts/setup (scripts/setup.d/vm-kernel.sh downloads Debian\'s linux-image package)' });
  } else if (explicit) {
    if (!existsSync(explicit)) throw new HostRequirementError('VM_KERNEL_MISSING', `--kernel ${explicit} does not exist`, { hint: 'pass a bzImage (vmlinuz) or an uncompressed vmlinux' });
    found = { file: path.resolve(explicit), origin: 'option' };
  } else {
    found = await findDefaultKernel();
  }
  if (!found) {
    throw new HostRequirementError('VM_NO_KERNEL', `no guest kernel: nothing in ${BUILT_KERNEL_DIR}, ${DOWNLOADED_KERNEL_DIR} or /boot`, { hint: 'run scripts/setup (scripts/setup.d/vm-guest-kernel.sh builds ours, vm-kernel.sh downloads Debian\'s) or pass --vm-kernel' });
  }
  let image: Buffer;
  try { image = await readFile(found.file); } catch (e) {
    throw new HostRequirementError('VM_KERNEL_UNREADABLE', `cannot read the guest kernel ${found.file}: ${(e as Error).message}`, { hint: 'run as root or pass a readable --kernel' });
  }
  const sha256 = crypto.createHash('sha256').update(image).digest('hex');
  let pkg: string | undefined;
  if (found.origin === 'download') {
    try { pkg = (await readFile(path.join(path.dirname(path.dirname(found.file)), 'PACKAGE'), 'utf8')).trim(); } catch { /* older download */ }
  } else if (found.origin === 'built') {
    try { pkg = (await readFile(path.join(path.dirname(found.file), 'PROVENANCE'), 'utf8')).trim(); } catch { /* partial build dir */ }
  }
  const withPkg = <T extends object>(k: T): T & { package?: string } => (pkg ? { ...k, package: pkg } : k);
  const version = kernelVersionOf(image) ?? path.basename(found.file).replace(/^vmlinu[xz]-?/, '') ?? 'unknown';
  const dir = path.join(home.cache, 'vm', 'vmlinux');
  const cached = path.join(dir, `${sha256}.elf`);
  const metaFile = `${cached}.json`;
  try {
    const meta = JSON.parse(await readFile(metaFile, 'utf8')) as { vmlinuxSha256: string; codec: string; size: number };
    if ((await stat(cached)).size === meta.size) {
      return withPkg({ source: found.file, sha256, version, vmlinux: cached, vmlinuxSha256: meta.vmlinuxSha256, origin: found.origin, flavour: flavourOf(version, found.origin), codec: meta.codec });
    }
  } catch { /* not cached */ }
  const { elf, codec } = await extractVmlinux(image);
  const vmlinuxSha256 = crypto.createHash('sha256').update(elf).digest('hex');
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(cached, elf);
  await writeFile(metaFile, JSON.stringify({ source: found.file, sha256, version, vmlinuxSha256, codec, size: elf.length }, null, 2));
  return withPkg({ source: found.file, sha256, version, vmlinux: cached, vmlinuxSha256, origin: found.origin, flavour: flavourOf(version, found.origin), codec });
}
