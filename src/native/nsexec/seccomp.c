#include <errno.h>
#include <stddef.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include "nsexec.h"

/*
 * The engine's default seccomp filter: the effect of Docker's default
 * profile for a container without CAP_SYS_ADMIN, CAP_SYS_MODULE, CAP_BPF,
 * CAP_PERFMON, CAP_SYS_TIME, CAP_SYS_NICE, CAP_SYS_BOOT... (our 14
 * capabilities). Docker's profile is an allow-list whose default action is
 * EPERM; with those capabilities absent, what it refuses from the x86_64
 * table is the deny-list below, plus namespace flags in clone() and clone3()
 * answered with ENOSYS (so libc falls back to clone(), whose flags a classic
 * BPF filter can read; clone3 passes them in memory, out of the filter's
 * reach). io_uring is refused as Docker has done since 25.0.
 *
 * The program is a constant: it costs nothing to build per container, and
 * installing it is one prctl. The same names are listed in
 * src/engine/spec/seccomp.ts for runc's bundle; a unit test keeps both equal.
 */
#define SYSCALL_DENY_LIST(X) \
    X(acct) X(add_key) X(bpf) X(clock_adjtime) X(clock_settime) X(create_module) \
    X(delete_module) X(fanotify_init) X(finit_module) X(fsconfig) X(fsmount) X(fsopen) \
    X(fspick) X(get_kernel_syms) X(get_mempolicy) X(init_module) X(io_uring_enter) \
    X(io_uring_register) X(io_uring_setup) X(ioperm) X(iopl) X(kcmp) X(kexec_file_load) \
    X(kexec_load) X(keyctl) X(lookup_dcookie) X(mbind) X(mount) X(mount_setattr) \
    X(move_mount) X(move_pages) X(name_to_handle_at) X(nfsservctl) X(open_by_handle_at) \
    X(open_tree) X(perf_event_open) X(pidfd_getfd) X(pivot_root) X(query_module) \
    X(quotactl) X(quotactl_fd) X(reboot) X(request_key) X(set_mempolicy) X(setns) \
    X(settimeofday) X(swapoff) X(swapon) X(syslog) X(sysfs) X(_sysctl) X(umount2) \
    X(unshare) X(uselib) X(userfaultfd) X(ustat) X(vhangup)

/* Every CLONE_NEW* flag clone() accepts (CLONE_NEWTIME is clone3-only). */
#define CLONE_NS_FLAGS (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET)

#define DENY_NR(name) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_##name, 0, 1), BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
#define ARG0_LO offsetof(struct seccomp_data, args[0])

static struct sock_filter program[] = {
    /* Another ABI (i386, x32) would bypass a table of x86_64 numbers: refused. */
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
    BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
    SYSCALL_DENY_LIST(DENY_NR)
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 0, 1),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 0, 3),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG0_LO),
    BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_NS_FLAGS, 0, 1),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};

#if !defined(__x86_64__)
#error "the seccomp deny-list is written for x86_64 syscall numbers"
#endif

/* Needs no_new_privs (set by the caller) or CAP_SYS_ADMIN; the last step before exec. */
void install_seccomp(void) {
    struct sock_fprog prog = { (unsigned short)(sizeof program / sizeof program[0]), program };
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0) die("seccomp filter", NULL);
}
