/*
 * session TOKEN: a container's PID 1 serving many runs of a rate scenario
 * (Docker, gVisor, nspawn: one instance per scenario instead of one per
 * run), through the reader of session-loop.c. Host side:
 * src/envs/session/command-session.ts.
 *
 * It runs only as PID 1 of its own PID namespace: the reset between runs
 * kills every other process it can see (kill(-1)) and empties /tmp and
 * /dev/shm, which is the container's own only there. Anywhere else (a
 * shell on the host, by mistake) it refuses before doing anything. A run
 * gets the container's environment (the runtime's -e / setenv) unless the
 * command carries one, and starts in the container's working directory
 * unless it names one. Nothing is synced between runs: a fresh container
 * would not sync either. halt or end of input: exit 0, and the runtime
 * tears the container down; stdin's end while a run is in flight (the
 * harness gave up on the run, or died) kills the run first.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "session.h"

extern char **environ;

static void reset_container(void) {
    kill(-1, SIGKILL); /* as PID 1: everything in the namespace but us */
    while (waitpid(-1, NULL, 0) > 0 || errno == EINTR) {}
    session_empty_dir("/tmp");
    session_empty_dir("/dev/shm");
}

__attribute__((noreturn)) static void leave(void) {
    reset_container();
    _exit(0);
}

int cmd_session(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: isobench-probe session TOKEN   (PID 1 of a container only)\n");
        return 2;
    }
    if (getpid() != 1) {
        fprintf(stderr, "isobench-probe session: runs only as PID 1 of a container's own PID namespace (here PID %d): its reset kills every process it can see\n", (int)getpid());
        return 2;
    }
    static struct session_mode container = { .reset = reset_container, .halt = leave, .halt_on_hangup = 1 };
    container.default_env = environ;
    session_loop(argv[1], &container);
}
