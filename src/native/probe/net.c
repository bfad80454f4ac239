/*
 * probe net: TCP throughput and round-trip latency between an environment
 * and a peer on the host side.
 *
 *   net server PORT [BIND_ADDR]        accept forever; prints "isobench.net listening PORT"
 *   net stream HOST PORT BYTES         send BYTES, wait for the server's byte count
 *   net pingpong HOST PORT COUNT [SIZE] COUNT request/response exchanges of SIZE bytes (default 1)
 *   net both HOST PORT BYTES COUNT [SIZE]  stream, then ping-pong (one run, both figures)
 *
 * Each client connection starts with one command byte: 'S' (stream: the
 * server reads to EOF and answers with the 8-byte count it received, so the
 * clock stops only once every byte has arrived) or 'P' (ping-pong: echo each
 * SIZE-byte message). Results use the probe's line format:
 *   isobench.result throughput_mib_per_sec=<v> MiB/s
 *   isobench.result rtt_us=<mean> us   (plus rtt_p50_us, rtt_p99_us)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "probe.h"

#define NET_BUF (128 * 1024)
#define MAX_PINGPONG_SIZE 65536

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int read_full(int fd, void *buf, size_t len) {
    char *p = buf;
    while (len > 0) {
        ssize_t n = read(fd, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static void result(const char *metric, double value, const char *unit) {
    char line[160];
    int n = snprintf(line, sizeof line, "isobench.result %s=%.3f %s\n", metric, value, unit);
    probe_write_all(1, line, (unsigned long)n);
}

/* Numeric addresses only: a static binary must not load NSS modules for getaddrinfo. */
static int connect_to(const char *host, const char *port) {
    struct sockaddr_storage ss = {0};
    socklen_t len;
    struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
    uint16_t p = htons((uint16_t)atoi(port));
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = p;
        len = sizeof *v4;
    } else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = p;
        len = sizeof *v6;
    } else {
        fprintf(stderr, "probe net: %s is not a numeric IPv4/IPv6 address\n", host);
        return -1;
    }
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&ss, len) < 0) {
        fprintf(stderr, "probe net: connect %s:%s: %s\n", host, port, strerror(errno));
        if (fd >= 0) close(fd);
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

static void serve_one(int fd) {
    static char buf[NET_BUF];
    char cmd;
    if (read_full(fd, &cmd, 1) < 0) return;
    if (cmd == 'S') {
        uint64_t total = 0;
        for (;;) {
            ssize_t n = read(fd, buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            total += (uint64_t)n;
        }
        probe_write_all(fd, &total, sizeof total);
    } else if (cmd == 'P') {
        uint32_t size;
        if (read_full(fd, &size, sizeof size) < 0 || size == 0 || size > MAX_PINGPONG_SIZE) return;
        for (;;) {
            if (read_full(fd, buf, size) < 0) break;
            if (probe_write_all(fd, buf, size) < 0) break;
        }
    }
}

static int net_server(const char *port, const char *bind_addr) {
    signal(SIGCHLD, SIG_IGN); /* children are reaped by the kernel */
    signal(SIGPIPE, SIG_IGN);
    int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (ls < 0) { perror("probe net: socket"); return 1; }
    int one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)atoi(port));
    if (inet_pton(AF_INET, bind_addr, &sa.sin_addr) != 1) {
        fprintf(stderr, "probe net: bad bind address %s\n", bind_addr);
        return 2;
    }
    if (bind(ls, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(ls, 64) < 0) {
        fprintf(stderr, "probe net: listen %s:%s: %s\n", bind_addr, port, strerror(errno));
        return 1;
    }
    socklen_t sl = sizeof sa;
    getsockname(ls, (struct sockaddr *)&sa, &sl);
    char line[96];
    int n = snprintf(line, sizeof line, "isobench.net listening %u\n", (unsigned)ntohs(sa.sin_port));
    probe_write_all(1, line, (unsigned long)n);
    for (;;) {
        int fd = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR) continue;
            perror("probe net: accept");
            return 1;
        }
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        /* One process per connection: a slow client never stalls the next environment's run. */
        pid_t pid = fork();
        if (pid == 0) {
            close(ls);
            serve_one(fd);
            _exit(0);
        }
        close(fd);
    }
}

static int net_stream(const char *host, const char *port, const char *bytes_text) {
    unsigned long long bytes = strtoull(bytes_text, NULL, 10);
    if (bytes == 0) { fprintf(stderr, "probe net stream: BYTES must be > 0\n"); return 2; }
    signal(SIGPIPE, SIG_IGN);
    int fd = connect_to(host, port);
    if (fd < 0) return 1;
    static char buf[NET_BUF];
    memset(buf, 0x5a, sizeof buf);
    double t0 = now_s();
    if (probe_write_all(fd, "S", 1) < 0) { perror("probe net stream: write"); return 1; }
    unsigned long long left = bytes;
    while (left > 0) {
        unsigned long chunk = left < sizeof buf ? (unsigned long)left : sizeof buf;
        if (probe_write_all(fd, buf, chunk) < 0) { perror("probe net stream: write"); return 1; }
        left -= chunk;
    }
    shutdown(fd, SHUT_WR);
    uint64_t got = 0;
    if (read_full(fd, &got, sizeof got) < 0) { fprintf(stderr, "probe net stream: no byte count from the server\n"); return 1; }
    double dt = now_s() - t0;
    close(fd);
    if (got != bytes) { fprintf(stderr, "probe net stream: server got %llu of %llu bytes\n", (unsigned long long)got, bytes); return 1; }
    result("throughput_mib_per_sec", (double)bytes / (1024.0 * 1024.0) / dt, "MiB/s");
    result("stream_seconds", dt, "s");
    return 0;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int net_pingpong(const char *host, const char *port, const char *count_text, const char *size_text) {
    long count = atol(count_text);
    uint32_t size = size_text ? (uint32_t)atol(size_text) : 1;
    if (count <= 0 || size == 0 || size > MAX_PINGPONG_SIZE) { fprintf(stderr, "probe net pingpong: COUNT > 0, 1 <= SIZE <= 65536\n"); return 2; }
    signal(SIGPIPE, SIG_IGN);
    int fd = connect_to(host, port);
    if (fd < 0) return 1;
    double *rtt = malloc(sizeof(double) * (size_t)count);
    static char buf[MAX_PINGPONG_SIZE];
    memset(buf, 0x5a, size);
    if (!rtt || probe_write_all(fd, "P", 1) < 0 || probe_write_all(fd, &size, sizeof size) < 0) { perror("probe net pingpong"); return 1; }
    double sum = 0;
    for (long i = 0; i < count; i++) {
        double t0 = now_s();
        if (probe_write_all(fd, buf, size) < 0 || read_full(fd, buf, size) < 0) { fprintf(stderr, "probe net pingpong: connection lost after %ld exchanges\n", i); return 1; }
        rtt[i] = (now_s() - t0) * 1e6;
        sum += rtt[i];
    }
    close(fd);
    qsort(rtt, (size_t)count, sizeof(double), cmp_double);
    result("rtt_us", sum / (double)count, "us");
    result("rtt_p50_us", rtt[count / 2], "us");
    result("rtt_p99_us", rtt[(long)((double)(count - 1) * 0.99)], "us");
    free(rtt);
    return 0;
}

int cmd_net(int argc, char **argv) {
    const char *sub = argc > 1 ? argv[1] : "";
    if (!strcmp(sub, "server") && argc >= 3) return net_server(argv[2], argc >= 4 ? argv[3] : "0.0.0.0");
    if (!strcmp(sub, "stream") && argc >= 5) return net_stream(argv[2], argv[3], argv[4]);
    if (!strcmp(sub, "pingpong") && argc >= 5) return net_pingpong(argv[2], argv[3], argv[4], argc >= 6 ? argv[5] : NULL);
    if (!strcmp(sub, "both") && argc >= 6) {
        int rc = net_stream(argv[2], argv[3], argv[4]);
        return rc ? rc : net_pingpong(argv[2], argv[3], argv[5], argc >= 7 ? argv[6] : NULL);
    }
    fprintf(stderr, "usage: probe net server PORT [BIND] | stream HOST PORT BYTES | pingpong HOST PORT COUNT [SIZE] | both HOST PORT BYTES COUNT [SIZE]\n");
    return 2;
}
