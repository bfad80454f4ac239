import { bool, record, str, type EvidenceLine } from './evidence.js';
import type { HostFacts } from './host-facts.js';
import { unknown, type Observation } from './observation.js';

/** Namespaces a container must not share with the host (pid/mnt/net/ipc/uts/cgroup). */
export const CONTAINER_NAMESPACES = ['pid', 'mnt', 'net', 'ipc', 'uts', 'cgroup'] as const;

export function observeNamespaces(line: EvidenceLine, host: HostFacts): Observation {
  const ns = record(line, 'ns');
  const shared: string[] = [];
  const own: string[] = [];
  for (const n of CONTAINER_NAMESPACES) {
    const v = ns[n];
    if (!v || v.startsWith('error:')) return unknown(`could not read /proc/self/ns/${n} (${v ?? 'missing'})`);
    (v === host.ns[n] ? shared : own).push(n);
  }
  const words = own.length === 0
    ? `all of ${CONTAINER_NAMESPACES.join('/')} are the host's namespaces`
    : shared.length === 0
      ? `own ${own.join('/')} namespaces (none shared with the host)`
      : `own ${own.join('/')}; shares ${shared.join('/')} with the host`;
  return { state: own.length === 0 ? 'shared' : shared.length === 0 ? 'separate' : 'partial', words };
}

export function observeKernel(line: EvidenceLine, host: HostFacts): Observation {
  const bootId = str(line, 'boot_id');
  const release = str(line, 'release') ?? '?';
  if (!bootId || bootId.startsWith('error:')) {
    // No boot_id at all (gVisor's /proc has none): a different kernel release is still evidence of another kernel.
    if (release !== '?' && host.kernelRelease && release !== host.kernelRelease) {
      return { state: 'other-kernel', words: `another kernel: uname -r ${release} (host ${host.kernelRelease}); no boot_id to compare (${bootId ?? 'missing'})` };
    }
    return unknown(`could not read boot_id (${bootId ?? 'missing'}); uname -r ${release}`);
  }
  const same = bootId === host.bootId;
  const rel = release === host.kernelRelease ? `same uname -r ${release}` : `uname -r ${release} (host ${host.kernelRelease})`;
  return {
    state: same ? 'host-kernel' : 'other-kernel',
    words: same ? `the host's running kernel: same boot_id, ${rel}` : `another running kernel: boot_id ${bootId.slice(0, 8)}… differs from the host's, ${rel}`,
  };
}

export function observeHypervisor(line: EvidenceLine, host: HostFacts): Observation {
  const bit = bool(line, 'hypervisor_bit');
  if (bit === undefined) return unknown(`no CPUID evidence (${str(line, 'error') ?? 'missing'})`);
  const vendor = str(line, 'vendor') ?? null;
  const brand = str(line, 'brand') ?? null;
  const show = (b: boolean, v: string | null, br: string | null): string => `${b ? `hypervisor bit set, vendor "${v ?? ''}"` : 'no hypervisor bit'}, CPU "${br ?? '?'}"`;
  if (bit === host.hypervisor.bit && vendor === host.hypervisor.vendor && brand === host.hypervisor.brand) {
    return { state: 'same-as-host', words: `same CPUID view as the host: ${show(bit, vendor, brand)}` };
  }
  return {
    state: bit ? 'own-hypervisor' : 'no-hypervisor',
    words: `${show(bit, vendor, brand)} (host: ${show(host.hypervisor.bit, host.hypervisor.vendor, host.hypervisor.brand)})`,
  };
}

export function observeHostname(line: EvidenceLine, host: HostFacts): Observation {
  const name = str(line, 'hostname');
  if (name === undefined) return unknown(`no hostname (${str(line, 'error') ?? 'missing'})`);
  return name === host.hostname
    ? { state: 'host', words: `the host's hostname "${name}"` }
    : { state: 'own', words: `own hostname "${name}" (host "${host.hostname}")` };
}

export function observeRoot(line: EvidenceLine): Observation {
  const refs: [string, string | undefined][] = [['PID 1', str(line, 'init_root')], ['the host sentinel process', str(line, 'sentinel_root')]];
  const seen = refs.filter((r): r is [string, string] => r[1] === 'same' || r[1] === 'differ');
  if (seen.length === 0) return unknown(`no other process's root was readable (${refs.map(([w, v]) => `${w}: ${v ?? 'n/a'}`).join(', ')})`);
  const differ = seen.filter(([, v]) => v === 'differ').map(([w]) => w);
  return differ.length
    ? { state: 'differ', words: `"/" is not the root of ${differ.join(' and ')}: this process lives in a subtree of a larger visible filesystem` }
    : { state: 'same', words: `"/" is the same as the root of ${seen.map(([w]) => w).join(' and ')}` };
}
