/*
 * isobench-timer --serve: one long-lived timer that times run after run,
 * each asked for on stdin. Node's spawn() of a timer per run costs ~3.4 ms
 * of the harness's own CPU (libuv forks the whole Node process), which on a
 * 1 ms host start is most of a run's cost: a startup cell's precision is
 * bought with runs, and that cost was 40% of the startup scenario's time.
 * The timing itself is the same code as a single run's (timed_run).
 *
 * Requests, each a list of NUL-terminated fields:
 *   run ID TOKEN TIMEOUT_MS SETTLE_US QUIET CWD NENV ENV... NARGV ARGV...
 *   kill ID SIGNAL          (TERM, INT and HUP become KILL, as in a single run)
 * One run at a time: the harness sends a run only when the last one ended,
 * and a kill only for the run in progress (another is ignored).
 *
 * Replies on stdout, in frames "K ID LEN\n" followed by LEN bytes: K = O for
 * the program's output (stdout and stderr, in order), R for report lines as
 * a single run writes them to fd 3 ("ready", "timeout", "spawn-error",
 * "exit"). A run ends with its "exit" or "spawn-error" line. End of stdin
 * ends the server (and the run in progress: its program is killed).
 *
 * The program gets /dev/null as stdin, the request's environment and
 * working directory, and PDEATHSIG=SIGKILL from us, as in a single run; we
 * get PDEATHSIG from the harness.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include "timer.h"

/* Bytes read from stdin and not yet handled. */
static char *in;
static size_t in_len, in_cap;

/* Length of the complete request at b (fields included), 0 while it is incomplete, -1 if malformed. */
static long request_len(const char *b, size_t n) {
    size_t at = 0;
    /* The next field, or NULL while its NUL has not arrived. */
#define FIELD(out) do { const char *z_ = memchr(b + at, '\0', n - at); if (!z_) return 0; (out) = b + at; at = (size_t)(z_ - b) + 1; } while (0)
    const char *type, *f;
    if (n == 0) return 0;
    FIELD(type);
    if (strcmp(type, "kill") == 0) {
        FIELD(f);
        FIELD(f);
        return (long)at;
    }
    if (strcmp(type, "run") != 0) return -1;
    for (int i = 0; i < 6; i++) FIELD(f); /* ID TOKEN TIMEOUT SETTLE QUIET CWD */
    for (int list = 0; list < 2; list++) {
        FIELD(f);
        char *end;
        long count = strtol(f, &end, 10);
        if (*end || count < 0 || count > 100000) return -1;
        for (long i = 0; i < count; i++) FIELD(f);
    }
    return (long)at;
#undef FIELD
}

/* The request's fields, in order (points into b). */
static int split(char *b, size_t len, char **fields, int max) {
    int k = 0;
    for (size_t at = 0; at < len && k < max;) {
        fields[k++] = b + at;
        at += strlen(b + at) + 1;
    }
    return k;
}

static void consume(size_t n) {
    memmove(in, in + n, in_len - n);
    in_len -= n;
}

/* Reads what stdin has (one read). 1: got bytes, 0: end of stdin. */
static int read_more(void) {
    if (in_cap - in_len < 65536) {
        size_t cap = in_cap ? in_cap * 2 : 131072;
        char *p = realloc(in, cap);
        if (!p) die("realloc");
        in = p;
        in_cap = cap;
    }
    for (;;) {
        ssize_t n = read(0, in + in_len, in_cap - in_len);
        if (n > 0) { in_len += (size_t)n; return 1; }
        if (n == 0) return 0;
        if (errno != EINTR) die("read stdin");
    }
}

static void handle_kill(char **f) {
    if (!serve_id || strcmp(f[1], serve_id) != 0) return;
    int sig = atoi(f[2]);
    if (sig <= 0 || sig >= 65) return;
    signal_child(sig);
}

/*
 * While a run is in progress: reads stdin and handles the kill requests at
 * its front. -1 once stdin ended (the harness is gone).
 */
int serve_control(void) {
    if (!read_more()) return -1;
    for (;;) {
        long n = request_len(in, in_len);
        if (n < 0) { fprintf(stderr, "isobench-timer --serve: malformed request\n"); exit(TIMER_FAIL); }
        if (n == 0 || strcmp(in, "kill") != 0) return 0; /* a run waits until this one ended */
        char *f[3];
        split(in, (size_t)n, f, 3);
        handle_kill(f);
        consume((size_t)n);
    }
}

void serve_frame(char kind, const char *p, size_t n) {
    char head[128];
    int h = snprintf(head, sizeof head, "%c %s %zu\n", kind, serve_id, n);
    write_all(1, head, (size_t)h);
    write_all(1, p, n);
}

/* The program execve runs: argv[0] as given when it names a path, else the first match in the request's PATH (execvp's default when it has none). */
static char *look_up(const char *prog, char **envp, char *buf, size_t size) {
    if (strchr(prog, '/')) return (char *)prog;
    const char *path = "/bin:/usr/bin";
    for (char **e = envp; *e; e++) if (strncmp(*e, "PATH=", 5) == 0) path = *e + 5;
    for (const char *p = path;;) {
        const char *colon = strchr(p, ':');
        size_t len = colon ? (size_t)(colon - p) : strlen(p);
        if (snprintf(buf, size, "%.*s%s%s", (int)len, p, len ? "/" : "", prog) < (int)size && access(buf, X_OK) == 0) return buf;
        if (!colon) return NULL;
        p = colon + 1;
    }
}

static void handle_run(char *block, size_t len, int devnull) {
    /* run ID TOKEN TIMEOUT SETTLE QUIET CWD NENV ENV... NARGV ARGV... */
    size_t max = len + 1;
    char **f = calloc(max, sizeof *f);
    if (!f) die("calloc");
    int k = split(block, len, f, (int)max);
    long nenv = strtol(f[7], NULL, 10);
    char **envp = f + 8;
    long nargv = strtol(f[8 + nenv], NULL, 10);
    char **argv = f + 9 + nenv;
    char *end1, *end2;
    long timeout_ms = strtol(f[3], &end1, 10), settle_us = strtol(f[4], &end2, 10);
    if (k < 9 + nenv + nargv || nargv < 1 || !*f[2] || strchr(f[2], '\n') || *end1 || *end2 || timeout_ms <= 0 || settle_us < 0 || settle_us > 1000000) {
        fprintf(stderr, "isobench-timer --serve: bad run request\n");
        exit(TIMER_FAIL);
    }
    /* Both lists end where the next field begins: overwrite that pointer with the NULL execve wants. */
    f[8 + nenv] = NULL;
    argv[nargv] = NULL;
    serve_id = f[1];
    char found[4096];
    const char *path = NULL;
    if (*f[6] && chdir(f[6]) < 0) {
        int e = errno;
        report("spawn-error %d %s: %s", e, f[6], strerror(e));
    } else if (!(path = look_up(argv[0], envp, found, sizeof found))) {
        report("spawn-error %d %s: %s", ENOENT, argv[0], strerror(ENOENT));
    } else {
        struct timed_run r = { .token = f[2], .timeout_ms = timeout_ms, .settle_us = settle_us, .quiet = strcmp(f[5], "1") == 0, .argv = argv, .envp = envp, .path = path, .stdin_fd = devnull, .ctl_fd = 0 };
        timed_run(&r);
    }
    serve_id = NULL;
    free(f);
}

int serve(void) {
    /* If the harness dies, we die, and the program in progress with us. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    install_signals();
    int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (devnull < 0) die("open /dev/null");
    for (;;) {
        long n = request_len(in, in_len);
        if (n < 0) { fprintf(stderr, "isobench-timer --serve: malformed request\n"); return TIMER_FAIL; }
        if (n == 0) {
            if (!read_more()) return 0;
            continue;
        }
        if (strcmp(in, "run") == 0) {
            /* The run keeps its own copy: stdin's buffer moves while it runs. */
            char *block = malloc((size_t)n);
            if (!block) die("malloc");
            memcpy(block, in, (size_t)n);
            consume((size_t)n);
            handle_run(block, (size_t)n, devnull);
            free(block);
        } else {
            consume((size_t)n); /* a kill for a run that already ended */
        }
    }
}
