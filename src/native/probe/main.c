#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include "probe.h"

struct command {
    const char *name;
    int (*fn)(int, char **);
    const char *usage;
};

int probe_write_all(int fd, const void *buf, unsigned long len) {
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += n;
        len -= (unsigned long)n;
    }
    return 0;
}

int main(int argc, char **argv) {
    /* Table built at run time because weak symbols are only known then. */
    const struct command commands[] = {
        {"ready", cmd_ready, "ready TOKEN [-- PROGRAM ARGS...]"},
        {"proc", cmd_proc, "proc COUNT PROGRAM   (fork+exec+wait COUNT times)"},
        {"syscall", cmd_syscall, "syscall COUNT      (getppid COUNT times; median of >= 5 ms timed slices)"},
        {"slots", cmd_slots, "slots memory|syscall T0_NS PERIOD_US PAIRS PHASE CPU [BLOCK]  (work in alternate half-periods, paired with a partner; PHASE 2: alone)"},
        {"cpu", cmd_cpu, "cpu EVENTS [MAXPRIME]  (count primes < MAXPRIME (10000) EVENTS times; median of >= 5 ms timed slices)"},
        {"fsync", cmd_fsync, "fsync COUNT PATH [BLOCKSIZE]"},
        {"check", cmd_check, "check ... (isolation evidence)"},
        {"init", cmd_init, "init (PID 1 of the VM guest)"},
        {"net", cmd_net, "net ... (network throughput/latency)"},
        {"port", cmd_port, "port               (print a free 127.0.0.1 TCP port)"},
        {"waitport", cmd_waitport, "waitport PORT TIMEOUT_MS"},
        {"time", cmd_time, "time [-n NAME] [-u UNITS] [-o FILE] -- PROGRAM [ARGS...]"},
        {"odirect", cmd_odirect, "odirect FILE       (1 if O_DIRECT writes work there, else 0)"},
        {"gen", cmd_gen, "gen FILE BYTES     (compressible text, fixed seed)"},
        {"session", cmd_session, "session TOKEN      (PID 1 of a container: run the commands read on stdin, one at a time)"},
        {"exec", cmd_exec, "exec [--prefix DIR] [--cwd DIR] [--user USER[:GROUP]] -- PROGRAM ARGS..."},
    };
    const size_t ncommands = sizeof commands / sizeof commands[0];
    const char *name = argc > 1 ? argv[1] : "";
    /* As a VM guest's /init the kernel runs us with argv[0] = "/init". */
    if (cmd_init && (strcmp(argv[0], "/init") == 0 || getpid() == 1) && argc < 2)
        return cmd_init(argc, argv);
    for (size_t i = 0; i < ncommands; i++) {
        if (strcmp(commands[i].name, name) == 0) {
            if (!commands[i].fn) {
                fprintf(stderr, "isobench-probe: '%s' is not built into this probe\n", name);
                return 127;
            }
            return commands[i].fn(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "usage: isobench-probe COMMAND ...\n");
    for (size_t i = 0; i < ncommands; i++)
        if (commands[i].fn) fprintf(stderr, "  %s\n", commands[i].usage);
    return 2;
}
