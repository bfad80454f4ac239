#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include "check.h"

/*
 * Memory limit: a child allocates and touches memory past the configured
 * limit (limit + 64 MiB) and we see whether it is killed. Without a limit it
 * allocates a bounded 128 MiB only, so the host and chroot arms never press
 * on the real machine. The child volunteers as the OOM killer's first choice
 * (oom_score_adj 1000) so a VM guest kills it, not the probe.
 */
#define NO_LIMIT_ALLOC_MIB 128
#define PAST_LIMIT_MIB 64

static void read_cgroup_limit(struct jline *j) {
    char buf[64];
    /* cgroup v2, then v1: the view from inside the environment's cgroup namespace. */
    long n = read_small("/sys/fs/cgroup/memory.max", buf, sizeof buf);
    if (n <= 0) n = read_small("/sys/fs/cgroup/memory/memory.limit_in_bytes", buf, sizeof buf);
    if (n > 0) {
        chomp(buf);
        j_str(j, "cgroup_limit", buf);
    } else {
        j_null(j, "cgroup_limit");
    }
}

static void child_allocate(long mib) {
    int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (fd >= 0) { (void)!write(fd, "1000", 4); close(fd); }
    const size_t chunk = 1 << 20;
    for (long i = 0; i < mib; i++) {
        char *p = mmap(NULL, chunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) _exit(3);
        /* Touch every page: an untouched allocation costs nothing and proves nothing. */
        for (size_t off = 0; off < chunk; off += 4096) p[off] = (char)i;
    }
    _exit(0);
}

void check_memory_limit(const struct check_facts *f) {
    struct jline j;
    j_begin(&j, "memory-limit");
    struct sysinfo si;
    if (sysinfo(&si) == 0) j_int(&j, "mem_total_mib", (long long)((unsigned long long)si.totalram * si.mem_unit >> 20));
    read_cgroup_limit(&j);
    j_int(&j, "configured_mib", f->mem_limit_mib);
    long mib = f->mem_limit_mib > 0 ? f->mem_limit_mib + PAST_LIMIT_MIB : NO_LIMIT_ALLOC_MIB;
    j_int(&j, "alloc_mib", mib);
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        j_str(&j, "result", "fork-failed");
        j_end(&j);
        return;
    }
    if (pid == 0) child_allocate(mib);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
    if (WIFSIGNALED(st)) {
        j_str(&j, "result", WTERMSIG(st) == SIGKILL ? "killed" : "signaled");
        j_int(&j, "signal", WTERMSIG(st));
    } else if (WIFEXITED(st) && WEXITSTATUS(st) == 3) {
        j_str(&j, "result", "enomem");
    } else {
        j_str(&j, "result", "survived");
    }
    j_end(&j);
}
