/*
 * Micro-workloads of the `cpu`, `syscall`, `process` and `fileio` scenarios. Each prints
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

void probe_result(const char *metric, int decimals, double value, const char *unit) {
    char line[160];
    int n = snprintf(line, sizeof line, "isobench.result %s=%.*f %s\n", metric, decimals, value, unit);
    if (n > 0) probe_write_all(1, line, (unsigned long)n);
}

static void result(const char *metric, double value, const char *unit) {
    probe_result(metric, 1, value, unit);
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

/*
 * Within-run slices (cpu and syscall).
 *
 * A run's work is done in small steps, and a slice closes at the first step
 * boundary after it has lasted SLICE_MIN_S; each slice is timed with
 * CLOCK_MONOTONIC from one shared timestamp to the next. The run reports the
 * median of the slice rates beside the plain whole-run rate (work / total
 * time).
 *
 * Why: on a shared or virtual host the hypervisor steals the CPU in bursts of
 * a few milliseconds. A burst that lands in a run lowers its whole-run rate,
 * and how many land in a run varies, so whole-run rates scatter run to run far
 * more than the environment does. A burst spoils only the slices it overlaps;
 * the median of the slices ignores a minority of spoiled ones.
 *
 * The slice length is a trade-off, so it is set in time, not as a share of
 * the run: whatever the run's length or the environment's speed, a slice lasts
 * at least 5 ms. That is long enough that a cost an environment pays steadily
 * and periodically, e.g. a VM's timer interrupt every few ms or a sandbox's
 * per-call trap, lands in every slice and so stays in the median: it is the
 * environment's cost, not noise. It is short enough that a steal burst covers
 * a minority of a ~40 ms run's slices. What the median can hide: a cost of
 * the environment that itself comes in bursts longer than a slice and rarer
 * than every other slice. That is why the whole-run rate is printed too
 * (`*_whole`). A tail shorter than SLICE_MIN_S joins the slice before it.
 */
#define SLICE_MIN_S 0.005
#define MAX_SLICES 4096

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of n values (sorts them in place); the mean of the middle two if n is even. */
double probe_median(double *v, long n) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* `units` units of work; returns a value that depends on all of it. */
typedef long (*work_fn)(long units, long arg);

/* Slice bookkeeping: work units and seconds per slice (static: 64 KiB is too much for some stacks). */
static double slice_units_done[MAX_SLICES];
static double slice_secs[MAX_SLICES];

/*
 * Runs `total` units in steps of `step` units, closing a slice at the first
 * step boundary past SLICE_MIN_S (the last slice takes whatever is left once
 * MAX_SLICES are open), and prints <metric>=median slice rate,
 * <metric>_whole=total / total time, slices=k and the slowest and fastest
 * slice rates (slice_min, slice_max).
 */
static int run_sliced(const char *metric, long total, long step, work_fn fn, long arg) {
    volatile long sink = 0;
    long k = 0;
    double units_in = 0;
    double t0 = now_s(), slice_start = t0, t = t0;
    for (long done = 0; done < total;) {
        long n = total - done < step ? total - done : step;
        sink += fn(n, arg);
        done += n;
        units_in += (double)n;
        t = now_s();
        if (t - slice_start >= SLICE_MIN_S && k < MAX_SLICES - 1) {
            slice_units_done[k] = units_in;
            slice_secs[k++] = t - slice_start;
            units_in = 0;
            slice_start = t;
        }
    }
    (void)sink;
    if (units_in > 0) {
        if (k > 0 && t - slice_start < SLICE_MIN_S) {
            slice_units_done[k - 1] += units_in;
            slice_secs[k - 1] += t - slice_start;
        } else {
            slice_units_done[k] = units_in;
            slice_secs[k++] = t - slice_start;
        }
    }
    static double rates[MAX_SLICES];
    for (long i = 0; i < k; i++)
        /* A slice shorter than the clock can tell is not a rate; the whole run still is. */
        rates[i] = slice_secs[i] > 0 ? slice_units_done[i] / slice_secs[i] : 0;
    double whole = t - t0;
    char name[64];
    /* Three decimals: a heavy event (large MAXPRIME, or under emulation) may run at a few per second. */
    probe_result(metric, 3, probe_median(rates, k), "1/s");
    snprintf(name, sizeof name, "%s_whole", metric);
    probe_result(name, 3, whole > 0 ? (double)total / whole : 0, "1/s");
    probe_result("slices", 0, (double)k, "1");
    /* probe_median sorted the rates: the spread within the run, for the record. */
    probe_result("slice_min", 3, rates[0], "1/s");
    probe_result("slice_max", 3, rates[k - 1], "1/s");
    return 0;
}

static long getppid_calls(long units, long arg) {
    (void)arg;
    long s = 0;
    for (long i = 0; i < units; i++) s += syscall(SYS_getppid);
    return s;
}

/*
 * syscall COUNT: COUNT raw getppid(2) calls (never cached by libc), in slices
 * of at least 5 ms, checked every 500 calls (~70 us on a native host, so the
 * clock reads cost nothing measurable).
 */
int cmd_syscall(int argc, char **argv) {
    long count;
    if (argc < 2 || parse_count(argv[1], &count) != 0) {
        fprintf(stderr, "usage: isobench-probe syscall COUNT\n");
        return 2;
    }
    return run_sliced("syscalls_per_sec", count, 500, getppid_calls, 0);
}

/*
 * One cpu event: count the primes below maxprime by trial division of each
 * candidate c = 3 .. maxprime-1 by 2 .. floor(sqrt(c)), the work of one
 * `sysbench cpu` event. The square root is kept incrementally in integers
 * (r*r <= c < (r+1)^2), so no libm and no rounding.
 */
long probe_prime_events(long units, long maxprime) {
    long found = 0;
    for (long e = 0; e < units; e++) {
        long limit = maxprime;
        /* Opaque to the optimizer: every event really redoes the work. */
        __asm__ volatile("" : "+r"(limit));
        long r = 1;
        for (long c = 3; c < limit; c++) {
            while ((r + 1) * (r + 1) <= c) r++;
            long d = 2;
            while (d <= r && c % d != 0) d++;
            if (d > r) found++;
        }
    }
    return found;
}

/* cpu EVENTS [MAXPRIME]: EVENTS prime-counting events (MAXPRIME default 10000), in slices of at least 5 ms, checked after every event. */
int cmd_cpu(int argc, char **argv) {
    long events, maxprime = 10000;
    if (argc < 2 || parse_count(argv[1], &events) != 0 || (argc > 2 && parse_count(argv[2], &maxprime) != 0) || maxprime < 3 ||
        maxprime > 100000000L) {
        fprintf(stderr, "usage: isobench-probe cpu EVENTS [MAXPRIME (3..100000000, default 10000)]\n");
        return 2;
    }
    return run_sliced("events_per_sec", events, 1, probe_prime_events, maxprime);
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
