/*
 * Small helpers the application scenarios' scripts (the apps image's
 * /isobench/apps/ scripts) need and busybox lacks: a free loopback port, waiting
 * for a server to listen, a nanosecond timer around a command, and a
 * deterministic compressible data file. Static like the rest of the probe,
 * so the same bytes run in every environment.
 *
 *   port                       print a TCP port that is free on 127.0.0.1
 *   waitport PORT TIMEOUT_MS   exit 0 once 127.0.0.1:PORT accepts, 1 on timeout
 *   time [-n NAME] [-u UNITS] [-o FILE] -- CMD...
 *                              run CMD (stdout to FILE if given), print
 *                              "isobench.result NAME_seconds=<s> s" (and
 *                              NAME_per_sec=UNITS/s with -u) on stderr,
 *                              exit with CMD's status; NAME defaults to wall
 *   odirect FILE               print 1 if FILE's filesystem takes O_DIRECT
 *                              writes, else 0 (FILE is created and removed)
 *   gen FILE BYTES             write BYTES of word-like text from a fixed seed
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "probe.h"

static double mono_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int parse_long(const char *s, long *out) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v <= 0) return -1;
    *out = v;
    return 0;
}

static struct sockaddr_in loopback(unsigned short port) {
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

/* The kernel picks the port; it stays free after close() unless someone else races for it (the scripts fail loudly then). */
int cmd_port(int argc, char **argv) {
    (void)argc; (void)argv;
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = loopback(0);
    socklen_t len = sizeof a;
    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) != 0 || getsockname(s, (struct sockaddr *)&a, &len) != 0) {
        perror("isobench-probe port");
        return 1;
    }
    close(s);
    printf("%u\n", ntohs(a.sin_port));
    return 0;
}

int cmd_waitport(int argc, char **argv) {
    long port, timeout_ms;
    if (argc != 3 || parse_long(argv[1], &port) != 0 || port > 65535 || parse_long(argv[2], &timeout_ms) != 0) {
        fprintf(stderr, "usage: isobench-probe waitport PORT TIMEOUT_MS\n");
        return 2;
    }
    double deadline = mono_s() + (double)timeout_ms / 1000.0;
    struct timespec step = { 0, 2000000 };
    for (;;) {
        int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (s < 0) { perror("socket"); return 1; }
        struct sockaddr_in a = loopback((unsigned short)port);
        int ok = connect(s, (struct sockaddr *)&a, sizeof a) == 0;
        close(s);
        if (ok) return 0;
        if (mono_s() > deadline) {
            fprintf(stderr, "isobench-probe waitport: nothing listens on 127.0.0.1:%ld after %ld ms\n", port, timeout_ms);
            return 1;
        }
        nanosleep(&step, NULL);
    }
}

int cmd_time(int argc, char **argv) {
    const char *out = NULL, *name = "wall";
    double units = 0;
    int i = 1;
    for (; i + 1 < argc && argv[i][0] == '-' && argv[i][1] && !argv[i][2]; i += 2) {
        if (argv[i][1] == 'o') out = argv[i + 1];
        else if (argv[i][1] == 'n') name = argv[i + 1];
        else if (argv[i][1] == 'u') units = strtod(argv[i + 1], NULL);
        else break;
    }
    if (i >= argc || strcmp(argv[i], "--") != 0 || i + 1 >= argc) {
        fprintf(stderr, "usage: isobench-probe time [-n NAME] [-u UNITS] [-o FILE] -- PROGRAM [ARGS...]\n");
        return 2;
    }
    char **child = argv + i + 1;
    int fd = -1;
    if (out && (fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0) { perror(out); return 1; }
    double t0 = mono_s();
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 1; }
    if (pid == 0) {
        if (fd >= 0) dup2(fd, 1);
        execv(child[0], child);
        fprintf(stderr, "isobench-probe time: cannot execute %s: %s\n", child[0], strerror(errno));
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR) { perror("waitpid"); return 1; }
    }
    double dt = mono_s() - t0;
    if (fd >= 0) close(fd);
    int status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    if (status != 0) {
        fprintf(stderr, "isobench-probe time: %s exited with status %d\n", child[0], status);
        return status;
    }
    fprintf(stderr, "isobench.result %s_seconds=%.6f s\n", name, dt);
    if (units > 0) fprintf(stderr, "isobench.result %s_per_sec=%.3f 1/s\n", name, units / dt);
    return 0;
}

int cmd_odirect(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: isobench-probe odirect FILE\n");
        return 2;
    }
    int ok = 0;
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_EXCL | O_DIRECT | O_CLOEXEC, 0644);
    if (fd >= 0) {
        void *buf = NULL;
        if (posix_memalign(&buf, 4096, 4096) == 0) {
            memset(buf, 0, 4096);
            ok = write(fd, buf, 4096) == 4096;
            free(buf);
        }
        close(fd);
        unlink(argv[1]);
    } else if (errno != EINVAL) {
        perror(argv[1]);
        return 1;
    }
    printf("%d\n", ok);
    return 0;
}

/*
 * Text made of words drawn from a small vocabulary by a fixed xorshift
 * generator: the same bytes in every environment and every run, and it
 * compresses like prose (gzip -6 about 3:1), unlike random bytes.
 */
int cmd_gen(int argc, char **argv) {
    long bytes;
    if (argc != 3 || parse_long(argv[2], &bytes) != 0) {
        fprintf(stderr, "usage: isobench-probe gen FILE BYTES\n");
        return 2;
    }
    static const char *words[] = {
        "container", "image", "layer", "kernel", "namespace", "cgroup", "overlay", "virtual",
        "machine", "process", "memory", "network", "storage", "isolation", "startup", "the",
        "a", "of", "and", "to", "in", "is", "runs", "with", "host", "guest", "file", "system",
        "benchmark", "latency", "throughput", "disk", "page", "cache", "write", "read",
        "fork", "exec", "signal", "socket", "packet", "queue", "thread", "lock", "timer",
        "device", "driver", "block", "inode", "mount", "root", "user", "group", "quota",
        "limit", "share", "copy", "on", "for", "every", "same", "fast", "slow", "measure",
    };
    const unsigned nwords = sizeof words / sizeof words[0];
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) { perror(argv[1]); return 1; }
    static char buf[1 << 16];
    unsigned long long x = 0x9e3779b97f4a7c15ULL;
    long left = bytes;
    size_t used = 0, col = 0;
    while (left > 0) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        const char *w = words[x % nwords];
        size_t wl = strlen(w);
        if (used + wl + 2 > sizeof buf) {
            size_t n = used < (size_t)left ? used : (size_t)left;
            if (probe_write_all(fd, buf, n) != 0) { perror("write"); return 1; }
            left -= (long)n;
            used = 0;
            if (left <= 0) break;
        }
        memcpy(buf + used, w, wl);
        used += wl;
        col += wl + 1;
        buf[used++] = col > 72 ? '\n' : ' ';
        if (col > 72) col = 0;
    }
    if (left > 0 && used > 0 && probe_write_all(fd, buf, used < (size_t)left ? used : (size_t)left) != 0) { perror("write"); return 1; }
    if (close(fd) != 0) { perror("close"); return 1; }
    return 0;
}
