import type { CheckName } from './checks.js';
import type { Cell } from './expectations.js';

/**
 * Where a container runtime's documented model differs from the `container`
 * column (our engine's defaults), the runtime's own expectation. These
 * columns are shown, never gated: the gate stays on our engine and the VM.
 *   docker — runc with Docker's defaults: its seccomp profile, 14 caps, and
 *            the host's cgroup namespace on a cgroup v1 host (private on v2);
 *   gvisor — a kernel in user space (the Sentry): the workload's /proc, /sys,
 *            uname and CPUID are gVisor's, host kernel interfaces are out of
 *            reach; limits are not applied here (--ignore-cgroups);
 *   nspawn — systemd-nspawn's defaults: own namespaces, a randomized boot_id,
 *            its seccomp filter and 26 capabilities, /proc/sys read-only but
 *            no masking of /proc/keys or /proc/timer_list; no cgroup limits
 *            without machined (--keep-unit, --register=no). Its cgroup-escape
 *            keeps our engine's expectation on purpose: without a scope of
 *            its own the container sits in the caller's cgroup, so a cgroupfs
 *            mounted from a user namespace inside shows the host's tree; that
 *            is a finding about nspawn run this way, not its documented model.
 */
export const RUNTIME_EXPECTATIONS: Record<string, Partial<Record<CheckName, Cell>>> = {
  docker: {
    namespaces: {
      ok: ['separate', 'partial'],
      words: 'own pid, mnt, net, ipc and uts namespaces; the cgroup namespace is the host\'s on a cgroup v1 host (Docker\'s default cgroupns=host there) and its own on v2',
    },
    syscalls: {
      ok: ['refused', 'partly-refused'],
      words: 'Docker\'s default seccomp profile: keyctl, add_key, bpf, kexec_load, init_module, open_by_handle_at, perf_event_open and unshare(CLONE_NEWUSER) refused; io_uring is allowed by the 20.10 profile',
    },
  },
  gvisor: {
    kernel: {
      ok: ['other-kernel'],
      words: 'gVisor\'s own kernel in user space (the Sentry): uname and /proc are its own, not the host kernel\'s',
    },
    hypervisor: {
      ok: ['same-as-host', 'own-hypervisor', 'no-hypervisor'],
      words: 'the host\'s CPU, with the CPUID view gVisor chooses to present (it filters vendor and features)',
    },
    'masked-paths': {
      notApplicable: 'gVisor\'s /proc and /sys are the Sentry\'s own: the host kernel\'s are not there to mask (writable tunables change only the sandbox)',
    },
    syscalls: {
      ok: ['refused', 'partly-refused', 'exposed'],
      words: 'the Sentry implements the system calls itself: what "reaches the kernel" reaches gVisor\'s kernel, never the host\'s (the Sentry runs under its own host seccomp filter, invisible inside)',
    },
    'memory-limit': {
      ok: ['no-limit', 'not-enforced'],
      words: 'not limited here: runsc runs with --ignore-cgroups (its cgroup setup needs a layout this host cannot promise)',
    },
    devices: {
      ok: ['restricted', 'denied-host-dev', 'absent'],
      words: 'the Sentry\'s own device model: host devices are not reachable (the sentinel loop device\'s token never appears)',
    },
  },
  nspawn: {
    kernel: {
      ok: ['host-kernel'],
      na: { 'other-kernel': 'systemd-nspawn gives each container a random boot_id (documented), so boot_id cannot tell: uname -r decides, and it is the host\'s' },
      words: 'the host kernel: nspawn containers share it',
    },
    syscalls: {
      ok: ['refused', 'partly-refused', 'exposed'],
      words: 'nspawn\'s own seccomp filter: keyctl, add_key, bpf, kexec_load, init_module, perf_event_open and open_by_handle_at refused; user namespaces, userfaultfd and io_uring allowed (systemd 252)',
    },
    'masked-paths': {
      ok: ['masked', 'partly-masked'],
      words: 'nspawn\'s defaults: /proc/sys and /sys read-only; /proc/keys, /proc/timer_list and similar are not masked',
    },
    'memory-limit': {
      ok: ['no-limit', 'not-enforced'],
      words: 'not limited: without machined (--register=no --keep-unit) nspawn creates no cgroup of its own to limit',
    },
  },
};

export function runtimeExpectation(env: string, check: CheckName): Cell | undefined {
  return RUNTIME_EXPECTATIONS[env]?.[check];
}
