#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include "check.h"

/*
 * Privileges from syscalls (they work without /proc): effective and
 * permitted capabilities via capget, the bounding set via PR_CAPBSET_READ,
 * no_new_privs and the seccomp mode via prctl. Also /proc/self/status's
 * "Seccomp:" when readable, since PR_GET_SECCOMP may itself be filtered.
 */
void check_privileges(const struct check_facts *f) {
    (void)f;
    struct jline j;
    char hex[32];
    j_begin(&j, "privileges");
    j_int(&j, "uid", getuid());
    j_int(&j, "euid", geteuid());
    struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof data);
    if (syscall(SYS_capget, &hdr, data) == 0) {
        unsigned long long eff = ((unsigned long long)data[1].effective << 32) | data[0].effective;
        unsigned long long prm = ((unsigned long long)data[1].permitted << 32) | data[0].permitted;
        snprintf(hex, sizeof hex, "%016llx", eff);
        j_str(&j, "cap_eff", hex);
        snprintf(hex, sizeof hex, "%016llx", prm);
        j_str(&j, "cap_prm", hex);
    } else {
        j_str(&j, "capget_error", err_name(errno));
    }
    unsigned long long bnd = 0;
    int probed = 0;
    for (int cap = 0; cap < 64; cap++) {
        int r = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
        if (r < 0) break; /* EINVAL past the kernel's last capability */
        probed++;
        if (r == 1) bnd |= 1ULL << cap;
    }
    snprintf(hex, sizeof hex, "%016llx", bnd);
    j_str(&j, "cap_bnd", hex);
    j_int(&j, "cap_last", probed - 1);
    int nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
    if (nnp >= 0) j_int(&j, "no_new_privs", nnp);
    else j_str(&j, "no_new_privs_error", err_name(errno));
    char status[8192];
    long n = read_small("/proc/self/status", status, sizeof status);
    if (n > 0) {
        const char *s = strstr(status, "\nSeccomp:");
        if (s) {
            int mode = -1;
            if (sscanf(s + 9, "%d", &mode) == 1) j_int(&j, "seccomp", mode);
        }
        s = strstr(status, "\nSeccomp_filters:");
        if (s) {
            int nf = -1;
            if (sscanf(s + 17, "%d", &nf) == 1) j_int(&j, "seccomp_filters", nf);
        }
    } else {
        int mode = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);
        if (mode >= 0) j_int(&j, "seccomp", mode);
    }
    j_end(&j);
}
