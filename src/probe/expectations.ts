import type { EnvKind } from '../results/types.js';
import type { CheckResult, CheckOutcome } from '../results/isolation.js';
import type { CheckName } from './checks.js';
import { evidenceText, record, type EvidenceLine } from './evidence.js';
import type { HostFacts } from './host-facts.js';
import { UNKNOWN, type Observation } from './observation.js';
import { isolationOfState } from './isolation-states.js';
import { observeHostname, observeHypervisor, observeKernel, observeNamespaces, observeRoot } from './observe-identity.js';
import { observeChrootEscape, observeIpc, observeNetwork, observeProcesses } from './observe-reach.js';
import { observeMaskedPaths, observeMemoryLimit, observeMounts, observePrivileges } from './observe-hardening.js';
import { observeCgroupEscape, observeDevices, observeHostBinary, observeSyscalls } from './observe-escape.js';
import { runtimeExpectation } from './runtime-expectations.js';

/**
 * What the seed's claims make us expect in each kind of environment:
 *   VM        — "total isolation", "a complete OS with its own kernel"
 *   container — "isolation of the filesystem, the processes and the network",
 *               "uses the host's kernel"; hardening per the engine's defaults (docs/ARCHITECTURE.md)
 *   chroot    — "isolation of the filesystem only"
 *   host      — the baseline: no isolation at all
 * A cell lists the observed states that agree with the claim (`ok`), states
 * in which the check cannot decide there (`na`, with why), or says the whole
 * check does not apply (`notApplicable`). Any other state contradicts it.
 * The `container` column is used for our engine and for the runc/bwrap peers;
 * docker, gvisor and nspawn override it where their documented model differs
 * (runtime-expectations.ts).
 */
export interface ExpectCell {
  ok: string[];
  na?: Record<string, string>;
  /** The expectation in words, as a report shows it. */
  words: string;
}
export type Cell = ExpectCell | { notApplicable: string };

export interface CheckExpectation {
  /** The seed claim (or engine default) the check puts to the test. */
  claim: string;
  observe: (line: EvidenceLine, host: HostFacts) => Observation;
  expect: Record<EnvKind, Cell>;
}

const VM_OWN_KERNEL = 'a VM runs its own kernel: the host\'s namespaces, mounts and capabilities do not reach into it';

export const EXPECTATIONS: Record<CheckName, CheckExpectation> = {
  namespaces: {
    claim: 'container: processes, network (and filesystem) isolated by kernel namespaces',
    observe: observeNamespaces,
    expect: {
      host: { ok: ['shared'], words: 'the host\'s own namespaces' },
      chroot: { ok: ['shared'], words: 'the host\'s namespaces (a chroot changes only the root directory)' },
      container: { ok: ['separate'], words: 'own pid, mnt, net, ipc, uts and cgroup namespaces' },
      vm: { notApplicable: 'a guest kernel numbers its initial namespaces exactly like the host\'s (fixed ids): the kernel check decides instead' },
    },
  },
  kernel: {
    claim: 'container uses the host\'s kernel; VM has its own kernel',
    observe: observeKernel,
    expect: {
      host: { ok: ['host-kernel'], words: 'the host kernel' },
      chroot: { ok: ['host-kernel'], words: 'the host kernel (same boot_id)' },
      container: { ok: ['host-kernel'], words: 'the host kernel (same boot_id): containers share it' },
      vm: { ok: ['other-kernel'], words: 'its own kernel (a different boot_id)' },
    },
  },
  hypervisor: {
    claim: 'VM: hardware virtualized by a hypervisor; container/chroot: the host\'s CPU as is',
    observe: observeHypervisor,
    expect: {
      host: { ok: ['same-as-host'], words: 'the host\'s CPUID view' },
      chroot: { ok: ['same-as-host'], words: 'the host\'s CPUID view' },
      container: { ok: ['same-as-host'], words: 'the host\'s CPUID view (no hypervisor in between)' },
      vm: {
        ok: ['own-hypervisor'],
        na: { 'same-as-host': 'the guest CPU looks exactly like the host\'s (e.g. nested KVM with -cpu host): CPUID cannot tell, the kernel check decides' },
        words: 'a CPU presented by QEMU: hypervisor bit set (KVM or TCG vendor)',
      },
    },
  },
  processes: {
    claim: 'container isolates processes; chroot isolates only the filesystem',
    observe: observeProcesses,
    expect: {
      host: { ok: ['visible'], words: 'the host sentinel process is visible' },
      chroot: { ok: ['visible'], words: 'the host sentinel process is visible (processes are not isolated)' },
      container: { ok: ['hidden'], words: 'the host sentinel process does not exist (ESRCH)' },
      vm: { ok: ['hidden'], words: 'the host sentinel process does not exist (ESRCH)' },
    },
  },
  root: {
    claim: 'chroot isolates the filesystem view: "/" is a subtree',
    observe: (line) => observeRoot(line),
    expect: {
      host: { ok: ['same'], words: '"/" is the real root' },
      chroot: { ok: ['differ'], words: '"/" is a subtree: other processes\' roots differ from ours' },
      container: { ok: ['same'], words: '"/" is the container\'s root, shared by its PID 1; no host process visible to compare with' },
      vm: { ok: ['same'], words: '"/" is the guest\'s root' },
    },
  },
  network: {
    claim: 'container isolates the network; chroot does not',
    observe: observeNetwork,
    expect: {
      host: { ok: ['host-network'], words: 'reaches the host listener on 127.0.0.1' },
      chroot: { ok: ['host-network'], words: 'reaches the host listener (network is not isolated)' },
      container: { ok: ['isolated'], words: 'own interfaces; the host listener on 127.0.0.1 is unreachable' },
      vm: { ok: ['isolated'], words: 'own NIC; the host listener on 127.0.0.1 is unreachable' },
    },
  },
  hostname: {
    claim: 'container/VM: own system identity (UTS); chroot: the host\'s',
    observe: observeHostname,
    expect: {
      host: { ok: ['host'], words: 'the host\'s hostname' },
      chroot: { ok: ['host'], words: 'the host\'s hostname' },
      container: { ok: ['own'], words: 'its own hostname' },
      vm: { ok: ['own'], words: 'the guest\'s own hostname' },
    },
  },
  ipc: {
    claim: 'container isolates processes (incl. their SysV IPC); chroot does not',
    observe: (line) => observeIpc(line),
    expect: {
      host: { ok: ['visible'], words: 'the host\'s shm segment is visible' },
      chroot: { ok: ['visible'], words: 'the host\'s shm segment is visible' },
      container: { ok: ['hidden'], words: 'the host\'s shm key does not exist (ENOENT)' },
      vm: { ok: ['hidden'], words: 'the host\'s shm key does not exist (ENOENT)' },
    },
  },
  mounts: {
    claim: 'container isolates the filesystem: no mounting into the host\'s mount table',
    observe: (line, host) => observeMounts(line, host, ownMountNs(line, host)),
    expect: {
      host: { ok: ['allowed-host-namespace'], words: 'root may mount (in the host\'s mount namespace)' },
      chroot: { ok: ['allowed-host-namespace'], words: 'root may mount, in the host\'s own mount namespace' },
      container: { ok: ['denied', 'allowed-own-namespace'], words: 'mount refused (no CAP_SYS_ADMIN), or confined to its own mount namespace' },
      vm: { ok: ['allowed-host-namespace', 'allowed-own-namespace'], words: 'guest root mounts in the guest kernel' },
    },
  },
  'chroot-escape': {
    claim: 'chroot isolates the filesystem; container and VM isolate it',
    observe: (line) => observeChrootEscape(line),
    expect: {
      host: { notApplicable: 'nothing to escape from: the host process already sees the whole filesystem' },
      chroot: { ok: ['contained'], words: 'the seed says a chroot isolates the filesystem: the host file should stay out of reach' },
      container: { ok: ['contained'], words: 'contained: the walk ends at the container\'s own root' },
      vm: { ok: ['contained'], words: 'contained: the walk ends at the guest\'s root' },
    },
  },
  privileges: {
    claim: 'container engine defaults: reduced capabilities, no_new_privs',
    observe: observePrivileges,
    expect: {
      host: { ok: ['full'], words: 'full root capabilities' },
      chroot: { ok: ['full'], words: 'full root capabilities (a chroot drops none)' },
      container: { ok: ['reduced'], words: 'a reduced capability set, NoNewPrivs' },
      vm: { ok: ['full', 'reduced'], words: `guest root: whatever the guest grants; ${VM_OWN_KERNEL}` },
    },
  },
  'masked-paths': {
    claim: 'container engine defaults: host kernel interfaces masked, /proc/sys read-only',
    observe: observeMaskedPaths,
    expect: {
      host: { ok: ['same-as-host'], words: 'the real /proc and /sys' },
      // isobench mounts the chroot's /proc and /sys read-only (so no killed run leaves a writable host path under its home): readable, not writable.
      chroot: { ok: ['same-as-host', 'partly-masked'], words: 'the host\'s /proc and /sys, readable (isobench mounts them read-only in the chroot, a safety measure of the harness, not isolation)' },
      container: { ok: ['masked'], words: '/proc/kcore, /proc/keys, /sys/firmware... masked; /proc/sys and /sys read-only' },
      vm: { notApplicable: 'the guest kernel\'s own /proc and /sys: the host\'s are not there to mask' },
    },
  },
  devices: {
    claim: 'container engine defaults: a minimal /dev; host devices (disks, /dev/kvm, /dev/mem) cannot be opened even when mknod\'ed',
    observe: observeDevices,
    expect: {
      host: { ok: ['usable'], words: 'host devices open: the sentinel loop device gives up its token, /dev/kvm opens' },
      chroot: { ok: ['usable'], words: 'a /dev of its own (tmpfs), yet root can mknod and open any host device: the sentinel loop device gives up its token (a chroot has no device policy)' },
      container: { ok: ['restricted'], words: 'a minimal /dev; a mknod\'ed /dev/kvm, /dev/mem, /dev/kmsg or the sentinel loop device cannot be opened (device cgroup)' },
      vm: { ok: ['usable', 'restricted', 'denied-host-dev', 'absent'], words: 'whatever the guest kernel allows: its devices are virtual, the host\'s are not there (the sentinel loop device\'s token never appears)' },
    },
  },
  syscalls: {
    claim: 'container engine defaults: a seccomp filter with the effect of Docker\'s default profile; no user namespace from inside',
    observe: (line) => observeSyscalls(line),
    expect: {
      host: { ok: ['exposed'], words: 'the whole syscall surface: no filter, a user namespace can be made' },
      chroot: { ok: ['exposed'], words: 'the whole syscall surface (a chroot filters nothing)' },
      container: { ok: ['refused'], words: 'seccomp mode 2; keyctl, add_key, userfaultfd, io_uring_setup, perf_event_open, bpf, kexec_load, init_module, open_by_handle_at and unshare(CLONE_NEWUSER) refused' },
      vm: { ok: ['exposed', 'partly-refused', 'refused'], words: `the guest kernel decides: its syscalls never reach the host kernel; ${VM_OWN_KERNEL}` },
    },
  },
  'cgroup-escape': {
    claim: 'container isolates processes: a cgroupfs mounted from inside (even from a user namespace) shows the container\'s own cgroup, never the host\'s root',
    observe: (line, host) => observeCgroupEscape(line, host, ownNs(line, host, 'cgroup')),
    expect: {
      host: { ok: ['exposed'], words: 'the host\'s cgroup tree (the sentinel cgroup is listed)' },
      chroot: { ok: ['exposed'], words: 'the host\'s cgroup tree: root mounts it as on the host' },
      container: { ok: ['refused', 'own-cgroup'], words: 'no user namespace and no mount; or, where one is made, only the container\'s own cgroup in every hierarchy' },
      vm: { ok: ['refused', 'own-cgroup'], words: 'the guest\'s own cgroups: the host\'s sentinel cgroup never appears' },
    },
  },
  'host-binary': {
    claim: 'container isolates processes: no process inside leads to the engine\'s binary on the host (/proc/<pid>/exe)',
    observe: (line) => observeHostBinary(line),
    expect: {
      host: { ok: ['reachable'], words: 'the host\'s processes, the harness\'s sentinel among them: its binary is one open() away' },
      chroot: { ok: ['reachable'], words: 'the host\'s processes are visible through /proc: their binaries are reachable' },
      container: { ok: ['unreachable'], words: 'no /proc/<pid>/exe inside resolves to the shim or another engine binary' },
      vm: { ok: ['unreachable'], words: 'the guest\'s own processes only' },
    },
  },
  'memory-limit': {
    claim: 'container: resources limited by the engine (cgroups); VM: bounded by its RAM',
    observe: observeMemoryLimit,
    expect: {
      host: { ok: ['no-limit'], words: 'no limit (128 MiB allocated and survived)' },
      chroot: { ok: ['no-limit'], words: 'no limit (a chroot has no resource control)' },
      container: { ok: ['enforced'], words: 'allocating past the configured limit gets the process OOM-killed' },
      vm: { ok: ['own-ram', 'bounded-killed'], words: 'bounded by the guest\'s RAM, smaller than the host\'s' },
    },
  },
};

/** Whether a namespace differs from the host's (undefined if we cannot tell). */
function ownNs(line: EvidenceLine, host: HostFacts, ns: 'mnt' | 'cgroup'): boolean | undefined {
  // The mounts/cgroup lines have no ns ids; they travel on the namespaces line, attached by classify().
  const id = record(line, 'ns')[ns];
  const hostId = (host.ns as Record<string, string | undefined>)[ns];
  if (!id || id.startsWith('error:') || !hostId) return undefined;
  return id !== hostId;
}

function ownMountNs(line: EvidenceLine, host: HostFacts): boolean | undefined {
  return ownNs(line, host, 'mnt');
}

export interface ClassifyInput {
  check: CheckName;
  env: string;
  kind: EnvKind;
  line: EvidenceLine | undefined;
  host: HostFacts;
  /** Every line of this environment, for checks that need a sibling fact (mounts needs the mnt namespace). */
  all?: Map<CheckName, EvidenceLine>;
}

/** Classifies one observed evidence line against the table above. */
export function classify(input: ClassifyInput): CheckResult {
  const { check, env, kind, host } = input;
  const row = EXPECTATIONS[check];
  // A runtime with its own documented model (docker, gvisor, nspawn) is judged by that, not by our engine's defaults.
  const cell = runtimeExpectation(env, check) ?? row.expect[kind];
  let line = input.line;
  // Both need the namespace ids, which travel on the namespaces line; a VM's are not comparable with the host's.
  const ns = input.all?.get('namespaces')?.ns;
  if (line && ns !== undefined && (check === 'mounts' || (check === 'cgroup-escape' && kind !== 'vm'))) line = { ...line, ns };
  const hostCell = row.expect.host;
  const iso = (state: string): Pick<CheckResult, 'state' | 'isolation'> => ({
    state,
    isolation: isolationOfState(check, kind, state, line, { notApplicable: 'notApplicable' in cell, ...('ok' in hostCell ? { hostOk: hostCell.ok } : {}) }),
  });
  let obs: Observation | undefined;
  const result = (outcome: CheckOutcome, expected: string, observed: string): CheckResult => ({
    check, env, expected, observed, outcome, ...(obs ? iso(obs.state) : { isolation: 'n/a' as const }), evidence: evidenceText(input.line),
  });
  if ('notApplicable' in cell) {
    obs = line ? row.observe(line, host) : undefined;
    return result('not-applicable', `not applicable: ${cell.notApplicable}`, obs ? obs.words : 'no evidence line');
  }
  if (!line) return result('not-applicable', cell.words, 'no evidence: the probe printed no line for this check');
  obs = row.observe(line, host);
  if (obs.state === UNKNOWN) return result('not-applicable', cell.words, `could not observe: ${obs.words}`);
  if (cell.ok.includes(obs.state)) return result('as-claimed', cell.words, obs.words);
  const na = cell.na?.[obs.state];
  if (na) return result('not-applicable', cell.words, `${obs.words} — ${na}`);
  return result('contradicts', cell.words, obs.words);
}
