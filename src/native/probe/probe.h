#ifndef ISOBENCH_PROBE_H
#define ISOBENCH_PROBE_H
/*
 * The probe is the first user-space process in every environment. Each
 * sub-command lives in its own file; main.c dispatches by name. Commands not
 * linked into this build are declared weak so a partial build still runs.
 */
int cmd_ready(int argc, char **argv);    /* ready.c: print token, exec argv */
int cmd_proc(int argc, char **argv) __attribute__((weak));     /* workloads.c: fork+exec rate */
int cmd_syscall(int argc, char **argv) __attribute__((weak));  /* workloads.c: syscall rate */
int cmd_cpu(int argc, char **argv) __attribute__((weak));      /* workloads.c: prime-counting rate */
int cmd_slots(int argc, char **argv) __attribute__((weak));    /* slots.c: time-slotted work, paired with a host partner */
int cmd_fsync(int argc, char **argv) __attribute__((weak));    /* workloads.c: write+fsync loop */
int cmd_check(int argc, char **argv) __attribute__((weak));   /* checks*.c: isolation evidence */
int cmd_init(int argc, char **argv) __attribute__((weak));    /* init.c: VM PID 1 */
int cmd_net(int argc, char **argv) __attribute__((weak));     /* net.c: TCP stream / ping-pong */
int cmd_port(int argc, char **argv) __attribute__((weak));     /* apps.c: a free loopback port */
int cmd_waitport(int argc, char **argv) __attribute__((weak)); /* apps.c: wait for a listener */
int cmd_time(int argc, char **argv) __attribute__((weak));     /* apps.c: time a command */
int cmd_gen(int argc, char **argv) __attribute__((weak));      /* apps.c: compressible data file */
int cmd_odirect(int argc, char **argv) __attribute__((weak));  /* apps.c: does O_DIRECT work here */
int cmd_exec(int argc, char **argv) __attribute__((weak));    /* exec.c: a user's command with the image's cwd and user */
int cmd_session(int argc, char **argv) __attribute__((weak)); /* session.c: a container's PID 1 serving many runs */
int probe_init_net(const char *cmdline) __attribute__((weak)); /* init-net.c: VM guest eth0 for network workloads */

/* workloads.c: one "isobench.result METRIC=VALUE UNIT" line on stdout, VALUE with `decimals` decimals. */
void probe_result(const char *metric, int decimals, double value, const char *unit);
/* workloads.c: median of n values (sorts them in place); the mean of the middle two if n is even. */
double probe_median(double *v, long n);
/* UNITS events of `sysbench cpu`: count the primes below MAXPRIME by trial division (workloads.c; slots.c runs them in time slots). */
long probe_prime_events(long units, long maxprime);

/* Writes all of buf to fd, retrying on EINTR and short writes. */
int probe_write_all(int fd, const void *buf, unsigned long len);
#endif
