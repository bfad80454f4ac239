import { num, record, str, type EvidenceLine } from './evidence.js';
import type { HostFacts } from './host-facts.js';
import { unknown, type Observation } from './observation.js';

/* What a root process inside may do: mount, capabilities, kernel files, devices, memory. */

export function observeMounts(line: EvidenceLine, host: HostFacts, ownMountNs: boolean | undefined): Observation {
  const lines = num(line, 'mountinfo_lines');
  const table = lines !== undefined ? `${lines} mounts visible (host ${host.mountinfoLines ?? '?'})` : `mount table unreadable (${str(line, 'mountinfo_error') ?? 'missing'})`;
  const m = str(line, 'tmpfs_mount');
  if (m === undefined) return unknown(`mount not attempted (${str(line, 'skipped_mount') ?? str(line, 'mkdir') ?? 'missing'}); ${table}`);
  if (m === 'ok') {
    const undone = str(line, 'umount') === 'ok' || str(line, 'umount_detach') === 'ok' ? 'and unmounted it' : `but unmounting failed (${str(line, 'umount')})`;
    const where = ownMountNs === undefined ? '' : ownMountNs ? ' in its own mount namespace' : ' in the host\'s mount namespace';
    return { state: ownMountNs ? 'allowed-own-namespace' : 'allowed-host-namespace', words: `mounted a tmpfs${where} ${undone}; ${table}` };
  }
  if (m === 'EPERM' || m === 'EACCES') return { state: 'denied', words: `mount(tmpfs) = ${m}; ${table}` };
  return unknown(`mount(tmpfs) = ${m}; ${table}`);
}

function capCount(hex: string | undefined): number | undefined {
  if (!hex || !/^[0-9a-f]+$/i.test(hex)) return undefined;
  let n = 0;
  for (let v = BigInt(`0x${hex}`); v > 0n; v >>= 1n) if (v & 1n) n++;
  return n;
}

function capSubset(a: string, b: string): boolean {
  const x = BigInt(`0x${a}`);
  const y = BigInt(`0x${b}`);
  return (x & y) === x;
}

export function observePrivileges(line: EvidenceLine, host: HostFacts): Observation {
  const eff = str(line, 'cap_eff');
  const bnd = str(line, 'cap_bnd');
  const nnp = num(line, 'no_new_privs');
  const seccomp = num(line, 'seccomp');
  if (!eff || !host.capEff) return unknown(`capabilities unreadable (${str(line, 'capget_error') ?? 'missing'})`);
  const words = `uid ${num(line, 'uid') ?? '?'}; CapEff ${eff} (${capCount(eff)} caps; host ${capCount(host.capEff)}), CapBnd ${bnd ?? '?'}, NoNewPrivs ${nnp ?? '?'}, Seccomp ${seccomp ?? '?'}`;
  const fullCaps = capSubset(host.capEff, eff);
  return { state: fullCaps && !nnp && !seccomp ? 'full' : 'reduced', words };
}

/** A masked interface yields nothing: missing, empty, an empty char device (/dev/null) or an empty dir. */
function masked(desc: string): boolean {
  return desc.startsWith('error:') || desc.startsWith('read-error:') || desc === 'empty' || desc === 'empty-chardev' || desc === 'empty-dir';
}

export function observeMaskedPaths(line: EvidenceLine, host: HostFacts): Observation {
  const read = record(line, 'read');
  const write = record(line, 'write');
  if (Object.keys(read).length === 0) return unknown('no masked-path evidence');
  const exposed = Object.entries(read).filter(([, d]) => !masked(d)).map(([p, d]) => `${p} ${d}`);
  const writable = Object.entries(write).filter(([, d]) => d === 'rw').map(([p]) => p);
  const sameAsHost = JSON.stringify(read) === JSON.stringify(host.maskedPaths.read) && JSON.stringify(write) === JSON.stringify(host.maskedPaths.write);
  const words = `${exposed.length ? `readable: ${exposed.join(', ')}` : 'every masked path yields nothing'}; ${writable.length ? `writable: ${writable.join(', ')}` : 'kernel tunables read-only'}${sameAsHost ? ' (exactly as on the host)' : ''}`;
  if (sameAsHost) return { state: 'same-as-host', words };
  if (exposed.length === 0 && writable.length === 0) return { state: 'masked', words };
  return { state: 'partly-masked', words };
}

export function observeMemoryLimit(line: EvidenceLine, host: HostFacts): Observation {
  const result = str(line, 'result');
  const alloc = num(line, 'alloc_mib');
  const configured = num(line, 'configured_mib') ?? 0;
  const total = num(line, 'mem_total_mib');
  const cg = str(line, 'cgroup_limit');
  const cgWords = cg && /^\d+$/.test(cg) && Number(cg) < 2 ** 50 ? `cgroup limit ${Math.round(Number(cg) / 2 ** 20)} MiB` : `cgroup limit ${cg ?? 'unreadable'}`;
  const ram = total !== undefined ? `RAM ${total} MiB (host ${host.memTotalMiB} MiB)` : 'RAM unknown';
  const base = `${configured ? `limit ${configured} MiB configured` : 'no limit configured'}; ${cgWords}; ${ram}`;
  if (!result) return unknown(`no result; ${base}`);
  const what = result === 'killed' ? `a child allocating ${alloc} MiB was SIGKILLed (OOM)` : result === 'survived' ? `a child allocated and touched ${alloc} MiB and survived` : `a child allocating ${alloc} MiB ended with ${result}`;
  const words = `${what}; ${base}`;
  // A guest with visibly less RAM than the host is bounded by the VM's memory size.
  if (total !== undefined && total < host.memTotalMiB * 0.9) return { state: result === 'killed' ? 'bounded-killed' : 'own-ram', words };
  if (result === 'killed' || result === 'enomem') return { state: 'enforced', words };
  if (result === 'survived') return { state: configured ? 'not-enforced' : 'no-limit', words: `${words}; ${configured ? 'the configured limit was not enforced' : 'no limit observed'}` };
  return unknown(words);
}
