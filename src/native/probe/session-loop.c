/*
 * The session protocol's reader, shared by the VM guest's init
 * (init-session.c) and a container's PID 1 (session.c): one instance of an
 * environment serves many runs of a rate scenario. Host side:
 * src/envs/session/ (protocol.ts encodes the lines; command-session.ts
 * drives them); the two must agree.
 *
 * After its setup the reader prints the ready token (the "session ready"
 * marker) and then reads one command per line from stdin:
 *
 *   isobench.run <TOKEN> <ARGV> <ENV|-> <CWD|->    (fields base64url of
 *                                                   NUL-terminated lists)
 *   isobench.clock <TOKEN>                         (clock read)
 *   isobench.halt                                  (or end of input)
 *
 * A clock read answers at once "isobench.clock TOKEN NS" with the reader's
 * CLOCK_MONOTONIC in ns, and nothing else: the harness times the round trip
 * and so learns how the instance's clock stands against its own (a VM guest
 * keeps its own; src/envs/session/clock.ts). Nothing is reset after it.
 *
 * For a run it prints TOKEN, fork+execs the workload (stdout and stderr both
 * = our stdout; stdin = /dev/null, so nothing the workload or a process it leaves behind
 * does can swallow the next command), waits, prints
 * "\nisobench.exit TOKEN <status>" and then lets the mode reset the instance
 * to what the next run should find, as a fresh one would. Only then is the
 * next line read, so that work is outside every run's exit figure (it may
 * delay the next run's token a little; rate figures come from the workload's
 * own output). ENV "-" is the mode's default environment; CWD "-" leaves the
 * working directory as the reader has it.
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "init.h"
#include "session.h"

#define LINE_MAX_BYTES 65536

static void say(const char *s) { probe_write_all(1, s, strlen(s)); }

static char inbuf[LINE_MAX_BYTES];
static size_t inlen;

/* Next line without its '\n' (NUL-terminated in place), or NULL at end of input. */
static char *read_line(void) {
    static size_t consumed;
    if (consumed) {
        memmove(inbuf, inbuf + consumed, inlen - consumed);
        inlen -= consumed;
        consumed = 0;
    }
    for (;;) {
        char *nl = memchr(inbuf, '\n', inlen);
        if (nl) {
            *nl = '\0';
            consumed = (size_t)(nl - inbuf) + 1;
            if (nl > inbuf && nl[-1] == '\r') nl[-1] = '\0';
            return inbuf;
        }
        if (inlen == sizeof inbuf) {
            say("isobench-session: command longer than 64 KiB: ignored\n");
            inlen = 0;
        }
        ssize_t n = read(0, inbuf + inlen, sizeof inbuf - inlen);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return NULL;
        inlen += (size_t)n;
    }
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st;
    if (ftw->level == 0) return 0; /* the directory itself stays */
    if (flag == FTW_DP) rmdir(path);
    else unlink(path);
    return 0;
}

void session_empty_dir(const char *dir) {
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

static int field(char **p, char **out) {
    while (**p == ' ') (*p)++;
    if (!**p) return -1;
    *out = *p;
    while (**p && **p != ' ') (*p)++;
    if (**p) *(*p)++ = '\0';
    return 0;
}

/* The signal mask a run starts with (the reader's own, before it blocked SIGCHLD). */
static sigset_t run_mask;
/* SIGCHLD as a file descriptor (halt_on_hangup modes), or -1. */
static int child_fd = -1;

/* True when stdin is at its end: readable with nothing to read (a pipe's or socket's writer is gone). */
static int input_ended(void) {
    int avail = 0;
    return ioctl(0, FIONREAD, &avail) == 0 && avail == 0;
}

static int exit_status(int st) {
    return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 255;
}

/*
 * Waits for the run's process. With halt_on_hangup, stdin is watched too:
 * the harness never writes while a run is in flight, so stdin's end means it
 * closed the session (a run overran its timeout) or died. The run and
 * whatever it started are then killed and the reader halts, instead of
 * waiting on a workload nobody will read (a runtime killed from outside,
 * such as systemd-nspawn, leaves its container's processes running).
 */
static int wait_run(pid_t pid, const struct session_mode *mode) {
    int watch = mode->halt_on_hangup && child_fd >= 0;
    for (;;) {
        int st;
        pid_t r = waitpid(-1, &st, watch ? WNOHANG : 0);
        if (r == pid) return exit_status(st);
        if (r > 0) continue; /* a process the run left, reaped */
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return 125;
        /* r == 0: still running; wait for a child to change, or for stdin. */
        struct pollfd fds[2] = { { .fd = child_fd, .events = POLLIN }, { .fd = 0, .events = POLLIN } };
        int n = poll(fds, watch ? 2 : 1, -1);
        if (n < 0 && errno != EINTR) return 125;
        if (fds[0].revents & POLLIN) {
            struct signalfd_siginfo si;
            while (read(child_fd, &si, sizeof si) == (ssize_t)sizeof si) {}
        }
        if (watch && (fds[1].revents & (POLLHUP | POLLERR | POLLIN))) {
            if ((fds[1].revents & (POLLHUP | POLLERR)) || input_ended()) {
                say("\nisobench-session: stdin closed while a run was in flight: the run is killed\n");
                mode->halt();
            }
            watch = 0; /* a command written early: it waits for this run to end */
        }
    }
}

/* "isobench.clock TOKEN": the reply carries the clock as late as possible, right before the write. */
static int clock_command(char *line) {
    static const char tag[] = "isobench.clock";
    /* Checked before field() cuts the line: any other command must reach run_command whole. */
    if (strncmp(line, tag, sizeof tag - 1) != 0 || (line[sizeof tag - 1] != ' ' && line[sizeof tag - 1] != '\0')) return 0;
    char *p = line + sizeof tag - 1, *token;
    if (field(&p, &token) != 0) token = "-";
    char out[400];
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    snprintf(out, sizeof out, "isobench.clock %s %lld\n", token, (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
    say(out);
    return 1;
}

static void run_command(char *line, const struct session_mode *mode) {
    char *tag, *token, *argvb64, *envb64, *cwdb64;
    if (clock_command(line)) return;
    if (field(&line, &tag) != 0 || strcmp(tag, "isobench.run") != 0 || field(&line, &token) != 0
        || field(&line, &argvb64) != 0 || field(&line, &envb64) != 0 || field(&line, &cwdb64) != 0) {
        say("isobench-session: not a session command (want: isobench.run TOKEN ARGV ENV CWD)\n");
        return;
    }
    static char *args[INIT_MAX_ITEMS + 1], *envs[INIT_MAX_ITEMS + 1];
    char line_out[400];
    snprintf(line_out, sizeof line_out, "%s\n", token);
    say(line_out);
    char **wargv = init_decode_list(argvb64, args);
    char **wenv = strcmp(envb64, "-") == 0 ? mode->default_env : init_decode_list(envb64, envs);
    size_t cwdlen = 0;
    char *cwd = strcmp(cwdb64, "-") == 0 ? NULL : init_b64decode(cwdb64, &cwdlen);
    int status = 125;
    if (!wargv || !wargv[0] || !wenv) {
        say("isobench-session: command fields are not base64url of NUL-terminated lists\n");
    } else {
        pid_t pid = fork();
        if (pid < 0) say("isobench-session: fork failed\n");
        if (pid == 0) {
            sigprocmask(SIG_SETMASK, &run_mask, NULL); /* the reader's blocked SIGCHLD is not the workload's */
            int null = open("/dev/null", O_RDONLY);
            if (null >= 0) { dup2(null, 0); if (null > 0) close(null); }
            /* stderr into stdout: a runtime that carries them apart (docker run
               without a tty) would let the workload's stderr arrive after our
               exit marker, in no run's output. One stream keeps the order. */
            dup2(1, 2);
            if (cwd && chdir(cwd) != 0) { perror(cwd); _exit(125); }
            execve(wargv[0], wargv, wenv);
            char msg[300];
            snprintf(msg, sizeof msg, "isobench-session: cannot execute %s: %s\n", wargv[0], strerror(errno));
            say(msg);
            _exit(127);
        }
        if (pid > 0) status = wait_run(pid, mode);
    }
    snprintf(line_out, sizeof line_out, "\nisobench.exit %s %d\n", token, status);
    say(line_out);
    free(cwd);
    /* The list buffers of init_decode_list are malloc'd: free them with the vectors. */
    if (wargv && wargv[0]) free(wargv[0]);
    if (wenv && wenv != mode->default_env && wenv[0]) free(wenv[0]);
    mode->reset();
}

void session_loop(const char *ready_token, const struct session_mode *mode) {
    sigprocmask(SIG_SETMASK, NULL, &run_mask);
    if (mode->halt_on_hangup) {
        sigset_t chld;
        sigemptyset(&chld);
        sigaddset(&chld, SIGCHLD);
        sigprocmask(SIG_BLOCK, &chld, NULL);
        child_fd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
    }
    char ready[300];
    snprintf(ready, sizeof ready, "%s\n", ready_token ? ready_token : "-");
    say(ready);
    for (;;) {
        char *line = read_line();
        if (!line || strcmp(line, "isobench.halt") == 0) mode->halt();
        if (!*line) continue;
        run_command(line, mode);
    }
}
