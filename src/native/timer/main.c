/*
 * isobench-timer --token T --timeout-ms N [--settle-us U] -- PROGRAM ARGS...
 * isobench-timer --serve      (one run after another, asked for on stdin: serve.c)
 *
 * Times one child with CLOCK_MONOTONIC, from just before the spawn to
 *   - the arrival of the line "T" on the child's stdout/stderr  ->  "ready <ns>"
 *   - the child's exit                                          ->  "exit <ns> <status>"
 * Reports go to fd 3 (stderr when fd 3 is not open), one line each, as they
 * happen. Node's own spawn and event-loop jitter (1-3 ms) is far coarser than
 * a 0.5 ms process start, so the harness never times children itself.
 *
 * Everything the child writes (stdout and stderr share one pipe, so their
 * order is preserved) is forwarded unchanged to our stdout; the harness cuts
 * it at the token line.
 *
 * On timeout the child gets SIGKILL and we report "timeout <ns>" followed by
 * the "exit" line. Only the direct child is killed: a backend whose child
 * forks grandchildren must make them die with it (PR_SET_PDEATHSIG, a PID
 * namespace whose init is the child, or a cgroup kill). The child itself gets
 * PDEATHSIG=SIGKILL from us, and we get it from the harness, so a dying
 * harness leaves nothing running.
 *
 * A child that cannot be executed is reported as "spawn-error <errno> <text>".
 * Exit status: 0 whenever a report was written; 125 for our own failures
 * (bad arguments, pipe/fork failure), with the reason on stderr.
 *
 * The spawn path is vfork + dup2 + execve: no page-table copy, no allocation
 * between the timestamp and the exec.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "timer.h"

extern char **environ;

static int report_fd = 3;
volatile pid_t child_pid = -1;
/* --serve: the id of the run in progress; its output and reports go to stdout in frames (serve.c). */
const char *serve_id;

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void write_all(int fd, const char *p, size_t len) {
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return; /* the reader went away; nothing useful left to do */
        }
        p += n;
        len -= (size_t)n;
    }
}

/*
 * --quiet-until-exit: hold the reports and the child's output until it has
 * exited, so that nothing wakes the harness while the child runs (on two
 * cores a woken harness competes with the child for a CPU). The timestamps
 * are taken as usual; only their delivery waits. For the startup
 * cross-check, whose spawn -> exit figure is compared with hyperfine's,
 * which writes nothing while its child runs.
 */
int quiet;

/* What --quiet-until-exit holds for one descriptor. */
struct held { int fd; char *p; size_t len, cap; };
static struct held held_out = { 1, NULL, 0, 0 }, held_reports = { 3, NULL, 0, 0 }; /* reports: report_fd, set in main */

/* Writes to h's descriptor, or in --serve mode as a frame of the run's output ('O') or reports ('R') on stdout. */
static void deliver(struct held *h, const char *p, size_t n) {
    if (serve_id) serve_frame(h == &held_out ? 'O' : 'R', p, n);
    else write_all(h->fd, p, n);
}

/* Writes to h's descriptor now, or appends to h while quiet. */
static void emit(struct held *h, const char *p, size_t n) {
    if (quiet && h->len + n > h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 65536;
        while (cap < h->len + n) cap *= 2;
        char *q = realloc(h->p, cap);
        if (q) { h->p = q; h->cap = cap; }
    }
    if (!quiet || h->len + n > h->cap) { deliver(h, p, n); return; } /* out of memory: deliver now rather than lose it */
    memcpy(h->p + h->len, p, n);
    h->len += n;
}

/* The child's output: forwarded now, or held with --quiet-until-exit. */
static void forward(const char *p, size_t n) {
    emit(&held_out, p, n);
}

void report(const char *fmt, ...) {
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n > sizeof line - 2) n = (int)sizeof line - 2;
    line[n++] = '\n';
    emit(&held_reports, line, (size_t)n);
}

/* The last report. What --quiet-until-exit held goes first, the output before the reports (as a harness reading both would have seen them). */
static void report_exit(long long ns, int status) {
    quiet = 0;
    if (held_out.len) deliver(&held_out, held_out.p, held_out.len);
    if (held_reports.len) deliver(&held_reports, held_reports.p, held_reports.len);
    held_out.len = held_reports.len = 0;
    report("exit %lld %d", ns, status);
}

void die(const char *what) {
    fprintf(stderr, "isobench-timer: %s: %s\n", what, strerror(errno));
    exit(TIMER_FAIL);
}

static void usage(void) {
    fprintf(stderr, "usage: isobench-timer --token T --timeout-ms N [--settle-us U] [--quiet-until-exit] -- PROGRAM ARGS...\n       isobench-timer --serve\n");
    exit(TIMER_FAIL);
}

/* Passes a signal on to the run's program; a termination request (TERM, INT, HUP) becomes KILL. */
void signal_child(int sig) {
    if (child_pid > 0) kill(child_pid, sig == SIGTERM || sig == SIGINT || sig == SIGHUP ? SIGKILL : sig);
}

/* Forward termination requests to the child so killing us kills it. */
static void on_signal(int sig) {
    signal_child(sig);
}

void install_signals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* Token matcher: fed byte by byte, survives lines split across reads. */
struct matcher {
    const char *token;
    size_t len, pos;
    int bad, found;
};

static void match_feed(struct matcher *m, const char *buf, size_t n) {
    for (size_t i = 0; i < n && !m->found; i++) {
        char c = buf[i];
        if (c == '\n') {
            if (!m->bad && m->pos == m->len) m->found = 1;
            m->pos = 0;
            m->bad = 0;
        } else if (c == '\r' && !m->bad && m->pos == m->len) {
            /* serial consoles end lines with \r\n */
        } else if (!m->bad) {
            if (m->pos < m->len && m->token[m->pos] == c) m->pos++;
            else m->bad = 1;
        }
    }
}

static int exit_status(int st) {
    if (WIFEXITED(st)) return WEXITSTATUS(st);
    if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
    return 255;
}

/*
 * vfork in its own frame so the child, which borrows our stack until execve,
 * cannot clobber main's locals. The child never returns from here.
 */
static pid_t __attribute__((noinline)) spawn_child(const struct timed_run *r, int out_fd, volatile int *exec_errno, pid_t parent) {
    pid_t pid = vfork();
    if (pid == 0) {
        /* Child, sharing our memory until execve: syscalls only. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(127); /* we died before the prctl took */
        if (dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0) { *exec_errno = errno; _exit(127); }
        /* --serve: our stdin carries the requests; the program gets /dev/null, as it does when the harness spawns us. */
        if (r->stdin_fd >= 0 && dup2(r->stdin_fd, 0) < 0) { *exec_errno = errno; _exit(127); }
        /* We ignore SIGPIPE; ignored dispositions survive execve, handled ones do not. */
        signal(SIGPIPE, SIG_DFL);
        if (r->envp) execve(r->path, r->argv, r->envp);
        else execvp(r->argv[0], r->argv);
        *exec_errno = errno;
        _exit(127);
    }
    return pid;
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--serve") == 0) return serve();
    const char *token = NULL;
    long timeout_ms = -1;
    long settle_us = 0;
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) { i++; break; }
        if (strcmp(argv[i], "--token") == 0 && i + 1 < argc) token = argv[++i];
        else if (strcmp(argv[i], "--timeout-ms") == 0 && i + 1 < argc) {
            char *end;
            timeout_ms = strtol(argv[++i], &end, 10);
            if (*end || timeout_ms <= 0) usage();
        } else if (strcmp(argv[i], "--settle-us") == 0 && i + 1 < argc) {
            char *end;
            settle_us = strtol(argv[++i], &end, 10);
            if (*end || settle_us < 0 || settle_us > 1000000) usage();
        } else if (strcmp(argv[i], "--quiet-until-exit") == 0) quiet = 1;
        else usage();
    }
    if (!token || !*token || strchr(token, '\n') || timeout_ms <= 0 || i >= argc) usage();

    if (fcntl(report_fd, F_GETFD) < 0) report_fd = 2;
    else if (fcntl(report_fd, F_SETFD, FD_CLOEXEC) < 0) die("fcntl fd 3");
    held_reports.fd = report_fd;

    /* If the harness dies, we die (and take the child with us, below). */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    install_signals();

    struct timed_run r = { .token = token, .timeout_ms = timeout_ms, .settle_us = settle_us, .quiet = quiet, .argv = argv + i, .envp = NULL, .path = NULL, .stdin_fd = -1, .ctl_fd = -1 };
    timed_run(&r);
    return 0;
}

/*
 * One timed run: spawn, the token, the exit, each reported (report(), as
 * "ready", "exit", "timeout" or "spawn-error" lines). With r->ctl_fd >= 0
 * (--serve) that descriptor is watched too and serve_control() reads it: a
 * request to kill this run can arrive while it runs.
 */
void timed_run(const struct timed_run *r) {
    const char *token = r->token;
    long timeout_ms = r->timeout_ms, settle_us = r->settle_us;
    char **child_argv = r->argv;
    quiet = r->quiet;
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) < 0) die("pipe2");

    /* Let the harness finish its own post-spawn work before the clock starts
       (--settle-us): on a 2-core host it otherwise competes with the child
       for a CPU. The pause is before t0, so it is in no figure. */
    if (settle_us > 0) {
        struct timespec ts = { settle_us / 1000000, (settle_us % 1000000) * 1000 };
        while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {}
    }

    /* Shared with the vfork child: it stores errno here if execve fails. */
    volatile int exec_errno = 0;
    pid_t parent = getpid();
    long long t0 = now_ns();
    pid_t pid = spawn_child(r, pfd[1], &exec_errno, parent);
    if (pid < 0) die("vfork");
    child_pid = pid;
    close(pfd[1]);

    if (exec_errno != 0) {
        int st;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
        quiet = 0; /* nothing ran: nothing to keep quiet for */
        report("spawn-error %d %s: %s", exec_errno, child_argv[0], strerror(exec_errno));
        close(pfd[0]);
        child_pid = -1;
        return;
    }

    /* pidfd tells us the moment the child exits even if a grandchild keeps
       the pipe open; without it (old kernels) we fall back to pipe EOF. */
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);

    struct matcher m = { token, strlen(token), 0, 0, 0 };
    long long deadline = t0 + (long long)timeout_ms * 1000000LL;
    int pipe_open = 1, exited = 0, status = 0;
    long long exit_ns = 0;
    char buf[65536];
    int ctl_open = r->ctl_fd >= 0, timed_out = 0;

    while (!exited) {
        long long left = deadline - now_ns();
        if (left <= 0) {
            kill(pid, SIGKILL);
            report("timeout %lld", now_ns() - t0);
            int st;
            while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
            report_exit(now_ns() - t0, exit_status(st));
            timed_out = 1;
            break;
        }
        struct pollfd fds[3];
        int nfds = 0;
        if (pipe_open) { fds[nfds].fd = pfd[0]; fds[nfds].events = POLLIN; nfds++; }
        if (pidfd >= 0) { fds[nfds].fd = pidfd; fds[nfds].events = POLLIN; nfds++; }
        if (nfds == 0) {
            /* No pidfd and the pipe is closed: the child is exiting or has
               closed its stdio; a blocking wait bounded by the deadline. */
            int st;
            pid_t w = waitpid(pid, &st, WNOHANG);
            if (w == pid) { exit_ns = now_ns() - t0; status = exit_status(st); exited = 1; break; }
            struct timespec ts = { 0, 200000 };
            nanosleep(&ts, NULL);
            continue;
        }
        /* Last, so that it never hides the pipe's or the pidfd's slot from the checks above. */
        if (ctl_open) { fds[nfds].fd = r->ctl_fd; fds[nfds].events = POLLIN; nfds++; }
        int wait_ms = (int)((left + 999999) / 1000000);
        int ready = poll(fds, (nfds_t)nfds, wait_ms);
        if (ready < 0) {
            if (errno == EINTR) continue;
            die("poll");
        }
        for (int k = 0; k < nfds; k++) {
            if (!fds[k].revents) continue;
            if (ctl_open && fds[k].fd == r->ctl_fd) {
                /* The harness asked to kill this run, or went away (then the run dies with it). */
                if (serve_control() < 0) { ctl_open = 0; kill(pid, SIGKILL); }
                continue;
            }
            if (fds[k].fd == pfd[0]) {
                ssize_t n = read(pfd[0], buf, sizeof buf);
                if (n > 0) {
                    long long t = now_ns();
                    if (!m.found) {
                        match_feed(&m, buf, (size_t)n);
                        if (m.found) report("ready %lld", t - t0);
                    }
                    forward(buf, (size_t)n);
                } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
                    pipe_open = 0;
                    if (pidfd < 0) {
                        int st;
                        while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
                        exit_ns = now_ns() - t0;
                        status = exit_status(st);
                        exited = 1;
                    }
                }
            } else {
                int st;
                exit_ns = now_ns() - t0;
                while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
                status = exit_status(st);
                exited = 1;
            }
        }
    }

    /* Everything the child wrote before exiting is already in the pipe: drain
       it without blocking (a grandchild may still hold the write end). */
    if (pipe_open && !timed_out) {
        fcntl(pfd[0], F_SETFL, O_NONBLOCK);
        for (;;) {
            ssize_t n = read(pfd[0], buf, sizeof buf);
            if (n > 0) {
                long long t = now_ns();
                if (!m.found) {
                    match_feed(&m, buf, (size_t)n);
                    /* Seen only after exit: the token did arrive, but we
                       cannot time it better than "no later than exit". */
                    if (m.found) report("ready %lld", (t - t0) < exit_ns ? (t - t0) : exit_ns);
                }
                forward(buf, (size_t)n);
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            break;
        }
    }
    if (!timed_out) report_exit(exit_ns, status);
    close(pfd[0]);
    if (pidfd >= 0) close(pidfd);
    child_pid = -1;
}
