#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include "check.h"

/* Which kernel, which namespaces, which root: the facts the harness compares with the host's. */

static const char *const NS_NAMES[] = {"pid", "mnt", "net", "ipc", "uts", "cgroup", "user", "time"};

void check_namespaces(const struct check_facts *f) {
    (void)f;
    struct jline j;
    j_begin(&j, "namespaces");
    j_key(&j, "ns");
    j_raw(&j, "{");
    int first = 1;
    for (size_t i = 0; i < sizeof NS_NAMES / sizeof NS_NAMES[0]; i++) {
        char path[64], target[128];
        snprintf(path, sizeof path, "/proc/self/ns/%s", NS_NAMES[i]);
        ssize_t n = readlink(path, target, sizeof target - 1);
        if (!first) j_raw(&j, ",");
        first = 0;
        j_quoted(&j, NS_NAMES[i]);
        j_raw(&j, ":");
        if (n < 0) {
            /* e.g. no /proc mounted, or a kernel without time namespaces */
            char err[64];
            snprintf(err, sizeof err, "error:%s", err_name(errno));
            j_quoted(&j, err);
        } else {
            target[n] = 0;
            j_quoted(&j, target);
        }
    }
    j_raw(&j, "}");
    j_int(&j, "self_pid", getpid());
    j_end(&j);
}

void check_kernel(const struct check_facts *f) {
    (void)f;
    struct jline j;
    struct utsname u;
    char boot[128];
    j_begin(&j, "kernel");
    long n = read_small("/proc/sys/kernel/random/boot_id", boot, sizeof boot);
    if (n < 0) {
        char err[64];
        snprintf(err, sizeof err, "error:%s", err_name((int)-n));
        j_str(&j, "boot_id", err);
    } else {
        chomp(boot);
        j_str(&j, "boot_id", boot);
    }
    if (uname(&u) == 0) {
        j_str(&j, "release", u.release);
        j_str(&j, "version", u.version);
        j_str(&j, "machine", u.machine);
    }
    j_end(&j);
}

void check_hostname(const struct check_facts *f) {
    (void)f;
    struct jline j;
    struct utsname u;
    j_begin(&j, "hostname");
    if (uname(&u) == 0) j_str(&j, "hostname", u.nodename);
    else j_str(&j, "error", err_name(errno));
    j_end(&j);
}

/* Compares our "/" with the root of another process: "same", "differ" or "error:ENAME". */
static void compare_root(struct jline *j, const char *key, const char *path, const struct stat *self_root) {
    struct stat st;
    if (stat(path, &st) != 0) {
        char err[64];
        snprintf(err, sizeof err, "error:%s", err_name(errno));
        j_str(j, key, err);
        return;
    }
    j_str(j, key, st.st_dev == self_root->st_dev && st.st_ino == self_root->st_ino ? "same" : "differ");
}

/*
 * /proc/1/root is the root of this PID namespace's init: the host's "/" seen
 * from a chroot. Some hosts refuse it (a sandboxed PID 1 with more
 * capabilities than ours gives EACCES), so the host's sentinel process
 * (when visible) is a second reference: it runs with the host's root.
 */
void check_root(const struct check_facts *f) {
    struct jline j;
    struct stat self_root;
    j_begin(&j, "root");
    if (stat("/", &self_root) != 0) {
        j_str(&j, "error", err_name(errno));
        j_end(&j);
        return;
    }
    j_int(&j, "root_dev", (long long)self_root.st_dev);
    j_int(&j, "root_ino", (long long)self_root.st_ino);
    compare_root(&j, "init_root", "/proc/1/root", &self_root);
    if (f->pid > 0) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%ld/root", f->pid);
        compare_root(&j, "sentinel_root", path, &self_root);
    }
    j_end(&j);
}
