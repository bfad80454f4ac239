/*
 * slots WORK T0_NS PERIOD_US PAIRS PHASE CPU [PARAM]
 *
 * Time-slotted work, so a run in an environment and a companion run on the
 * host can take turns on one CPU and be compared slot by slot (the harness's
 * "paired slots", src/measure/paired.ts).
 *
 * Time is cut into PAIRS periods of PERIOD_US from T0_NS (CLOCK_MONOTONIC,
 * nanoseconds; 0 = start two periods from now). Each period has two halves;
 * this process works in one of them and sleeps through the other, where its
 * partner works. PHASE 0 takes the first half of even periods and the second
 * of odd ones, PHASE 1 the opposite, so neither side always goes first (a
 * half that follows the other side's finds the caches as the other left them).
 * PHASE 2 is a run alone: it works every half, PAIRS slots in PAIRS halves.
 *
 * In its half the process wakes at the half's start (clock_nanosleep,
 * TIMER_ABSTIME), works until 85% of the half has passed and records the
 * slot's rate over the time it worked. A late wake-up (the vCPU stolen, or
 * another task on the CPU) shortens the slot, never moves its end, so it
 * never runs into the partner's half; one that leaves less than 35% of the
 * half skips the slot (no line). Alone, a slot works 70% of a half from
 * whenever it woke. Pinned to CPU (sched_setaffinity; -1:
 * not pinned) both sides run on one CPU: on a virtual host the hypervisor
 * slows a vCPU for seconds at a time (its sibling thread's load), and a slot
 * and its partner 5 ms apart on the same CPU see the same state, which a
 * ratio of the two cancels.
 *
 * WORK: memory (PARAM = block bytes, default 1024, written word by word
 * per unit, sysbench memory's event; the figure is MiB/s), syscall (one raw
 * getppid(2) per unit; calls/s) or cpu (one sysbench cpu event per unit:
 * the primes below PARAM, default 10000, by trial division; events/s).
 * Between clock reads it does a step of units sized to ~20 us (at least
 * one), so a slow environment (a trapped syscall in gVisor) still reads the
 * clock often enough and a fast one rarely enough to cost nothing. A step
 * that would, by the last one's time, end past the slot's end is not begun:
 * a cpu event takes 0.4 ms natively and over 1 ms emulated, and must not run
 * into the partner's half.
 *
 * Output: one "isobench.slot K RATE" line per slot worked, then result lines:
 * the median slot rate, the rate over all slots (<metric>_whole), the number
 * of slots, the slowest and fastest slot, and pinned=1|0.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "probe.h"

#define MAX_PAIRS 100000
#define STEP_TARGET_NS 20000LL
#define MAX_STEP (1L << 20)

static long long mono_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int parse_ll(const char *s, long long lo, long long hi, long long *out) {
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || s[0] == '\0' || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

static size_t block_words;
static unsigned long *block;

/* `units` block writes, word by word (the compiler may not drop or merge them: the block escapes). */
static void memory_units(long units, unsigned long seed) {
    for (long u = 0; u < units; u++) {
        for (size_t i = 0; i < block_words; i++) block[i] = seed + i;
        __asm__ volatile("" : : "r"(block) : "memory");
    }
}

static void syscall_units(long units) {
    for (long u = 0; u < units; u++) syscall(SYS_getppid);
}

enum work { WORK_MEMORY, WORK_SYSCALL, WORK_CPU };

static int parse_work(const char *s, enum work *w) {
    if (strcmp(s, "memory") == 0) *w = WORK_MEMORY;
    else if (strcmp(s, "syscall") == 0) *w = WORK_SYSCALL;
    else if (strcmp(s, "cpu") == 0) *w = WORK_CPU;
    else return -1;
    return 0;
}

int cmd_slots(int argc, char **argv) {
    long long t0, period_us, pairs, phase, cpu, param = -1;
    enum work w = WORK_MEMORY;
    if (argc < 7 || parse_work(argv[1], &w) != 0 || parse_ll(argv[2], 0, (1LL << 62), &t0) != 0 ||
        parse_ll(argv[3], 200, 10000000, &period_us) != 0 || parse_ll(argv[4], 1, MAX_PAIRS, &pairs) != 0 || parse_ll(argv[5], 0, 2, &phase) != 0 ||
        parse_ll(argv[6], -1, 4095, &cpu) != 0 || (argc > 7 && parse_ll(argv[7], w == WORK_CPU ? 3 : 8, w == WORK_CPU ? 100000000 : 1 << 24, &param) != 0)) {
        fprintf(stderr, "usage: isobench-probe slots memory|syscall|cpu T0_NS PERIOD_US(200..10000000) PAIRS(1..%d) PHASE(0|1; 2: alone, every half) CPU(-1: not pinned) [BLOCK_BYTES (memory, 8..16777216) | MAXPRIME (cpu, 3..100000000)]\n", MAX_PAIRS);
        return 2;
    }
    const int memory = w == WORK_MEMORY;
    const long long bytes = memory && param > 0 ? param : 1024, maxprime = w == WORK_CPU && param > 0 ? param : 10000;
    if (memory) {
        block_words = (size_t)bytes / sizeof(unsigned long);
        if (posix_memalign((void **)&block, 64, block_words * sizeof(unsigned long)) != 0) { perror("slots: posix_memalign"); return 1; }
        memset(block, 0, block_words * sizeof(unsigned long));
    }
    int pinned = 0;
    if (cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET((int)cpu, &set);
        pinned = sched_setaffinity(0, sizeof set, &set) == 0;
    }
    double *rates = malloc((size_t)pairs * sizeof *rates);
    if (!rates) { perror("slots: malloc"); return 1; }
    const long long period = period_us * 1000LL, half = period / 2, work = half * 7 / 10, late = half / 2, end_at = half * 85 / 100;
    if (t0 == 0) t0 = mono_ns() + 2 * period;
    long step = 1, done = 0;
    /* A unit's time (ns) in the last slot that worked: carried from slot to slot, so even a slot's first step is not begun when it cannot end in time. */
    double unit_ns = 0;
    double units_all = 0, secs_all = 0;
    for (long long k = 0; k < pairs; k++) {
        long long start = phase == 2 ? t0 + k * half : t0 + k * period + (((k & 1) ^ phase) ? half : 0);
        struct timespec at = {(time_t)(start / 1000000000LL), (long)(start % 1000000000LL)};
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL) == EINTR) {}
        long long a = mono_ns(), t = a;
        /* Paired, the slot ends at a fixed point of its half whenever it began: it never runs into the partner's. */
        if (phase != 2 && a - start > late) continue;
        const long long until = phase == 2 ? a + work : start + end_at;
        long units = 0;
        double slot_unit = 0; /* this slot's fastest step, ns per unit (0: no step yet) */
        for (;;) {
            /* The next step's time, from this slot's fastest step so far, else the last slot's: a step preempted once does not count. */
            const double per_unit = slot_unit > 0 ? slot_unit : unit_ns;
            if (t + (long long)(per_unit * (double)step) >= until) break;
            long long s0 = t;
            if (memory) memory_units(step, (unsigned long)units);
            else if (w == WORK_SYSCALL) syscall_units(step);
            else probe_prime_events(step, (long)maxprime);
            units += step;
            t = mono_ns();
            const double u = (double)(t - s0) / (double)step;
            if (slot_unit == 0 || u < slot_unit) slot_unit = u;
            /* Resize the step towards ~20 us between clock reads. */
            if (t - s0 < STEP_TARGET_NS / 2 && step < MAX_STEP) step *= 2;
            else if (t - s0 > STEP_TARGET_NS * 2 && step > 1) step /= 2;
        }
        if (slot_unit > 0) unit_ns = slot_unit;
        if (units == 0) continue; /* not one step fitted (a cpu event longer than the slot) */
        double secs = (double)(t - a) / 1e9;
        double units_d = memory ? (double)units * (double)bytes / 1048576.0 : (double)units;
        rates[done++] = units_d / secs;
        units_all += units_d;
        secs_all += secs;
        char line[96];
        int n = snprintf(line, sizeof line, "isobench.slot %lld %.3f\n", k, units_d / secs);
        if (n > 0) probe_write_all(1, line, (unsigned long)n);
    }
    if (done == 0) {
        fprintf(stderr, "slots: every one of %lld slots started more than %lld us late (T0 already past, or the CPU taken)\n", pairs, late / 1000);
        return 1;
    }
    const char *metric = memory ? "MiB_per_sec" : w == WORK_SYSCALL ? "syscalls_per_sec" : "events_per_sec";
    const char *unit = memory ? "MiB/s" : "1/s";
    char whole[64];
    snprintf(whole, sizeof whole, "%s_whole", metric);
    /* probe_median sorts the rates: the slowest and fastest slot follow from it. */
    probe_result(metric, 3, probe_median(rates, done), unit);
    probe_result(whole, 3, units_all / secs_all, unit);
    probe_result("slices", 0, (double)done, "1");
    probe_result("slice_min", 3, rates[0], unit);
    probe_result("slice_max", 3, rates[done - 1], unit);
    probe_result("pinned", 0, pinned, "1");
    free(rates);
    return 0;
}
