/**
 * The engine's default syscall policy, for the peers that take it as an OCI
 * `linux.seccomp` section (runc). Our own shim compiles the same deny-list
 * into a constant BPF program (src/native/nsexec/seccomp.c, where the list's
 * origin is explained); a unit test keeps the two lists equal.
 */
export const DENIED_SYSCALLS: readonly string[] = [
  'acct', 'add_key', 'bpf', 'clock_adjtime', 'clock_settime', 'create_module',
  'delete_module', 'fanotify_init', 'finit_module', 'fsconfig', 'fsmount', 'fsopen',
  'fspick', 'get_kernel_syms', 'get_mempolicy', 'init_module', 'io_uring_enter',
  'io_uring_register', 'io_uring_setup', 'ioperm', 'iopl', 'kcmp', 'kexec_file_load',
  'kexec_load', 'keyctl', 'lookup_dcookie', 'mbind', 'mount', 'mount_setattr',
  'move_mount', 'move_pages', 'name_to_handle_at', 'nfsservctl', 'open_by_handle_at',
  'open_tree', 'perf_event_open', 'pidfd_getfd', 'pivot_root', 'query_module',
  'quotactl', 'quotactl_fd', 'reboot', 'request_key', 'set_mempolicy', 'setns',
  'settimeofday', 'swapoff', 'swapon', 'syslog', 'sysfs', '_sysctl', 'umount2',
  'unshare', 'uselib', 'userfaultfd', 'ustat', 'vhangup',
];

/** The CLONE_NEW* flags clone() may not carry (linux/sched.h). */
export const CLONE_NAMESPACE_FLAGS: Readonly<Record<string, number>> = {
  CLONE_NEWNS: 0x00020000, CLONE_NEWCGROUP: 0x02000000, CLONE_NEWUTS: 0x04000000, CLONE_NEWIPC: 0x08000000,
  CLONE_NEWUSER: 0x10000000, CLONE_NEWPID: 0x20000000, CLONE_NEWNET: 0x40000000,
};

const EPERM = 1;
const ENOSYS = 38;

/** The same policy as an OCI runtime-spec seccomp section (default allow, the list refused with EPERM). */
export function ociSeccomp(): Record<string, unknown> {
  return {
    defaultAction: 'SCMP_ACT_ALLOW',
    architectures: ['SCMP_ARCH_X86_64'],
    syscalls: [
      { names: [...DENIED_SYSCALLS], action: 'SCMP_ACT_ERRNO', errnoRet: EPERM },
      // clone3 passes its flags in memory, out of a filter's reach: ENOSYS makes libc fall back to clone().
      { names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: ENOSYS },
      // One rule per flag: rules are OR-ed, the conditions inside one rule AND-ed.
      ...Object.values(CLONE_NAMESPACE_FLAGS).map((flag) => ({
        names: ['clone'], action: 'SCMP_ACT_ERRNO', errnoRet: EPERM,
        args: [{ index: 0, value: flag, valueTwo: flag, op: 'SCMP_CMP_MASKED_EQ' }],
      })),
    ],
  };
}
