import { num, record, str, type EvidenceLine } from './evidence.js';
import type { HostFacts } from './host-facts.js';
import { unknown, type Observation } from './observation.js';

/* Escape routes: host devices, the syscall surface, cgroup roots, the engine's host binaries. */

/** Refused before reaching the kernel's real work: by a filter, a capability check, or absent (ENOSYS). */
const REFUSED = new Set(['EPERM', 'EACCES', 'ENOSYS']);

/** /dev of a minimal container: a dozen nodes, no disks. More than this is a host /dev. */
const MINIMAL_DEV_MAX = 32;

const NODES: Array<{ tag: string; what: string }> = [
  { tag: 'kvm', what: '/dev/kvm (c 10:232)' },
  { tag: 'mem', what: '/dev/mem (c 1:1)' },
  { tag: 'kmsg', what: '/dev/kmsg (c 1:11)' },
  { tag: 'loop', what: 'the sentinel loop device' },
];

export function observeDevices(line: EvidenceLine, host: HostFacts): Observation {
  const count = num(line, 'dev_count');
  const listing = count !== undefined ? `/dev has ${count} entries (host ${host.devCount ?? '?'})` : `/dev unreadable (${str(line, 'dev') ?? 'missing'})`;
  if (str(line, 'mknod_kmsg') === undefined) return unknown(`mknod not attempted (${str(line, 'skipped_mknod') ?? 'missing'}); ${listing}`);
  const opened: string[] = [];
  const refused: string[] = [];
  const parts: string[] = [];
  for (const n of NODES) {
    const mk = str(line, `mknod_${n.tag}`);
    if (mk === undefined) { if (n.tag === 'loop') parts.push(`sentinel loop: ${str(line, 'loop') ?? 'not tried'}`); continue; }
    const open = str(line, `open_${n.tag}`);
    const read = n.tag === 'loop' ? str(line, 'read_loop') : undefined;
    parts.push(`${n.what}: mknod ${mk}${open ? `, open ${open}` : ''}${read ? `, read ${read === 'token' ? 'the host token' : read}` : ''}`);
    if (open === 'ok') opened.push(read === 'token' ? `${n.what} (read the host's token)` : n.what);
    else if ((open && REFUSED.has(open)) || REFUSED.has(mk)) refused.push(n.what);
  }
  const words = `${listing}; ${parts.join('; ')}`;
  if (opened.length) return { state: 'usable', words: `opened ${opened.join(', ')} — ${words}` };
  // No such device behind any node (ENXIO/ENODEV): a kernel that has none of them (a guest, gVisor's Sentry).
  const absent = NODES.filter((n) => ['ENXIO', 'ENODEV'].includes(str(line, `open_${n.tag}`) ?? '')).length;
  if (refused.length === 0 && absent > 0) return { state: 'absent', words: `none of these devices exists here — ${words}` };
  if (refused.length === 0) return unknown(words);
  return { state: count !== undefined && count <= MINIMAL_DEV_MAX ? 'restricted' : 'denied-host-dev', words: `refused ${refused.join(', ')} — ${words}` };
}

export function observeSyscalls(line: EvidenceLine): Observation {
  const calls = record(line, 'calls');
  const userns = str(line, 'unshare_user');
  if (Object.keys(calls).length === 0 || userns === undefined) return unknown('no syscall evidence');
  const reached = Object.entries(calls).filter(([, r]) => !REFUSED.has(r)).map(([n, r]) => `${n} (${r})`);
  const usernsOk = userns === 'ok';
  const mode = num(line, 'seccomp');
  const filter = mode === undefined ? 'seccomp mode unknown' : mode === 2 ? 'seccomp filter (mode 2)' : mode === 0 ? 'no seccomp filter (mode 0)' : `seccomp mode ${mode}`;
  const words = `${filter}; unshare(CLONE_NEWUSER) ${usernsOk ? 'made a user namespace' : userns}; ${reached.length ? `reached the kernel: ${reached.join(', ')}` : `all ${Object.keys(calls).length} refused (${Object.entries(calls).map(([n, r]) => `${n} ${r}`).join(', ')})`}`;
  if (!usernsOk && reached.length === 0) return { state: 'refused', words };
  // No filter: what is refused was refused by capabilities or the kernel (a chrooted process may not make a user namespace).
  return { state: usernsOk || mode === 0 ? 'exposed' : 'partly-refused', words };
}

/**
 * ownCgroupNs: whether the environment has its own cgroup namespace (from the
 * namespaces line; undefined when unknown or not comparable, as in a VM).
 */
export function observeCgroupEscape(line: EvidenceLine, _host: HostFacts, ownCgroupNs: boolean | undefined): Observation {
  const roots = record(line, 'roots');
  const atRoot = num(line, 'at_ns_root') ?? 0;
  const total = num(line, 'hierarchies');
  const route = str(line, 'route');
  const hostRoot = Object.entries(roots).filter(([, d]) => d.startsWith('host-root')).map(([h]) => h);
  const own = Object.entries(roots).filter(([, d]) => d.startsWith('own')).map(([h]) => h);
  const refusedMount = Object.entries(roots).filter(([, d]) => d.startsWith('mount:')).map(([h, d]) => `${h} ${d.slice(6)}`);
  const how = route === 'userns' ? 'from a new user namespace' : route === 'privileged' ? `as root without a user namespace (unshare(CLONE_NEWUSER) ${str(line, 'unshare_userns')})` : `no namespace to mount in: unshare(CLONE_NEWUSER) ${str(line, 'unshare_userns') ?? '?'}, unshare(CLONE_NEWNS) ${str(line, 'unshare_mnt') ?? '?'}`;
  const membership = ownCgroupNs === false && atRoot > 0 ? `in the host's root cgroup of ${atRoot}/${total ?? '?'} hierarchies with the host's cgroup namespace` : undefined;
  const parts = [how];
  if (hostRoot.length) parts.push(`mounted ${hostRoot.join(', ')} at the HOST's root (the harness's sentinel cgroup listed)`);
  if (own.length) parts.push(`mounted ${own.join(', ')} showing only its own cgroup`);
  if (refusedMount.length) parts.push(`mount refused: ${refusedMount.join(', ')}`);
  if (membership) parts.push(membership);
  if (route && Object.keys(roots).length === 0) parts.push('no cgroup hierarchy to mount (none in /proc/self/cgroup)');
  const words = parts.join('; ');
  if (route === undefined && str(line, 'unshare_mnt') === undefined) return unknown(`${str(line, 'skipped_mount') ?? str(line, 'error') ?? 'no cgroup evidence'}`);
  if (hostRoot.length || membership) return { state: 'exposed', words };
  if (own.length) return { state: 'own-cgroup', words };
  return { state: 'refused', words };
}

export function observeHostBinary(line: EvidenceLine): Observation {
  const known = num(line, 'host_binaries_known');
  const matches = num(line, 'host_binary_matches');
  const procs = num(line, 'processes');
  if (str(line, 'error')) return unknown(`/proc unreadable (${str(line, 'error')})`);
  if (!known || matches === undefined) return unknown('no host binary to look for');
  const base = `${procs ?? '?'} processes visible, ${num(line, 'exe_resolved') ?? '?'} /proc/<pid>/exe resolved`;
  if (matches > 0) return { state: 'reachable', words: `${base}; ${matches} resolve to an engine binary on the host (${str(line, 'first_match') ?? '?'}); open for writing: ${str(line, 'open_write') ?? '?'}` };
  return { state: 'unreachable', words: `${base}; none resolves to the engine's host binaries` };
}
