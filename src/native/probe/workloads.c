/*
 * Micro-workloads of the `process` and `fileio` scenarios. Each prints
 * exactly one result line per metric, the format the workload parsers read:
 *   isobench.result <metric>=<value> <unit>
 * Timing uses CLOCK_MONOTONIC around the loop only (argument parsing, file
 * creation and unlinking are outside), so the figure is a rate of the
 * operation itself in whatever environment the probe runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "probe.h"

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int parse_count(const char *s, long *out) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v <= 0) return -1;
    *out = v;
    return 0;
}

static void result(const char *metric, double value, const char *unit) {
    char line[160];
    int n = snprintf(line, sizeof line, "isobench.result %s=%.1f %s\n", metric, value, unit);
    if (n > 0) probe_write_all(1, line, (unsigned long)n);
}

/*
 * proc COUNT PROGRAM [ARGS...]
 * COUNT times: fork, exec PROGRAM (a static binary from the image, e.g. the
 * probe itself with `ready x`, or busybox true), wait for it. The child's
 * output goes to /dev/null so the rate does not depend on a pipe reader.
 */
int cmd_proc(int argc, char **argv) {
    long count;
    if (argc < 3 || parse_count(argv[1], &count) != 0) {
        fprintf(stderr, "usage: isobench-probe proc COUNT PROGRAM [ARGS...]\n");
        return 2;
    }
    char **child_argv = argv + 2;
    int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (devnull < 0) { perror("open /dev/null"); return 1; }
    double t0 = now_s();
    for (long i = 0; i < count; i++) {
        pid_t pid = fork();
        if (pid < 0) { perror("fork"); return 1; }
        if (pid == 0) {
            dup2(devnull, 1);
            dup2(devnull, 2);
            execv(child_argv[0], child_argv);
            _exit(127);
        }
        int st;
        while (waitpid(pid, &st, 0) < 0) {
            if (errno != EINTR) { perror("waitpid"); return 1; }
        }
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            fprintf(stderr, "proc: %s failed (status %d) at iteration %ld\n", child_argv[0], st, i);
            return 1;
        }
    }
    double dt = now_s() - t0;
    close(devnull);
    result("forks_per_sec", (double)count / dt, "1/s");
    return 0;
}

/* syscall COUNT: COUNT raw getppid(2) calls (never cached by libc). */
int cmd_syscall(int argc, char **argv) {
    long count;
    if (argc < 2 || parse_count(argv[1], &count) != 0) {
        fprintf(stderr, "usage: isobench-probe syscall COUNT\n");
        return 2;
    }
    volatile long sink = 0;
    double t0 = now_s();
    for (long i = 0; i < count; i++) sink += syscall(SYS_getppid);
    double dt = now_s() - t0;
    (void)sink;
    result("syscalls_per_sec", (double)count / dt, "1/s");
    return 0;
}

/*
 * fsync COUNT PATH [BLOCKSIZE]
 * COUNT times: write BLOCKSIZE bytes (default 4096) at the end of PATH and
 * fsync(2) it, then unlink PATH. PATH must not exist yet (O_EXCL): we only
 * ever write a scratch file we created.
 */
int cmd_fsync(int argc, char **argv) {
    long count, bs = 4096;
    if (argc < 3 || parse_count(argv[1], &count) != 0 || (argc > 3 && parse_count(argv[3], &bs) != 0) || bs > (64L << 20)) {
        fprintf(stderr, "usage: isobench-probe fsync COUNT PATH [BLOCKSIZE<=64MiB]\n");
        return 2;
    }
    const char *path = argv[2];
    char *block = malloc((size_t)bs);
    if (!block) { perror("malloc"); return 1; }
    memset(block, 0xA5, (size_t)bs);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) { fprintf(stderr, "fsync: open %s: %s\n", path, strerror(errno)); free(block); return 1; }
    int rc = 0;
    double t0 = now_s();
    for (long i = 0; i < count && rc == 0; i++) {
        if (probe_write_all(fd, block, (unsigned long)bs) != 0) { perror("fsync: write"); rc = 1; break; }
        if (fsync(fd) != 0) { perror("fsync"); rc = 1; }
    }
    double dt = now_s() - t0;
    close(fd);
    if (unlink(path) != 0) { fprintf(stderr, "fsync: unlink %s: %s\n", path, strerror(errno)); rc = 1; }
    free(block);
    if (rc == 0) result("fsyncs_per_sec", (double)count / dt, "1/s");
    return rc;
}
