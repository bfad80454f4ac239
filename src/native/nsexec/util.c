#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "nsexec.h"

long long stamps[T_COUNT];

long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void stamp(enum stamp s) { stamps[s] = now_ns(); }

/* One line, durations in ms between consecutive stamps (0 when a step was skipped). */
void trace_print(int fd) {
    static const char *names[T_COUNT] = { "start", "dirs", "cgroup", "clone", "join-cgroup", "rootfs-mount",
        "proc-sys-dev", "pivot", "masks-ro", "hostname-lo", "caps-nnp", "exec" };
    char line[1024];
    int n = snprintf(line, sizeof line, "nsexec-trace");
    long long prev = stamps[T_START];
    for (int i = 1; i < T_COUNT; i++) {
        if (!stamps[i]) continue;
        n += snprintf(line + n, sizeof line - (size_t)n, " %s=%.3f", names[i], (double)(stamps[i] - prev) / 1e6);
        prev = stamps[i];
    }
    n += snprintf(line + n, sizeof line - (size_t)n, " total=%.3f\n", (double)(prev - stamps[T_START]) / 1e6);
    if (write(fd, line, (size_t)n) < 0) { /* nothing to do */ }
}

void die(const char *what, const char *arg) {
    int e = errno;
    char line[1200];
    int n = snprintf(line, sizeof line, "isobench-nsexec: %s%s%s: %s\n", what, arg ? " " : "", arg ? arg : "", strerror(e));
    if (write(2, line, (size_t)n) < 0) { /* stderr gone */ }
    _exit(SHIM_FAIL);
}

void write_file(const char *path, const char *value) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) die("open", path);
    size_t len = strlen(value);
    if (write(fd, value, len) != (ssize_t)len) die("write", path);
    close(fd);
}

/* mkdir -p; the common case (everything exists) costs one mkdir per call. */
void mkdir_p(const char *path, unsigned mode) {
    if (mkdir(path, mode) == 0 || errno == EEXIST) return;
    if (errno != ENOENT) die("mkdir", path);
    char buf[4096];
    size_t len = strlen(path);
    if (len >= sizeof buf) { errno = ENAMETOOLONG; die("mkdir", path); }
    memcpy(buf, path, len + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(buf, mode) < 0 && errno != EEXIST) die("mkdir", buf);
        *p = '/';
    }
    if (mkdir(buf, mode) < 0 && errno != EEXIST) die("mkdir", buf);
}

/*
 * Not dumpable: /proc/<pid>/exe, /mem, /fd of the shim (and of the init
 * until it execs, which resets the flag) are then closed to every process
 * without CAP_SYS_PTRACE, so nothing inside a container can reach the
 * engine's host binary through a process that is still the shim (runc's
 * CVE-2019-5736 path).
 */
void harden_self(void) {
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) die("PR_SET_DUMPABLE", NULL);
}
