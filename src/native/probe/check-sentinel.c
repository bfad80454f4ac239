#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/prctl.h>
#include "check.h"

/*
 * Host-side helpers. Node has no shmget(2), and a sentinel must die with the
 * harness: `check sentinel` keeps the token in its argv, owns the shm segment
 * and removes it on SIGTERM, on the harness's death (PR_SET_PDEATHSIG) or
 * after --max-seconds, whichever comes first.
 */

static volatile sig_atomic_t stop_requested;
static void on_signal(int sig) { (void)sig; stop_requested = 1; }

static int parse_key(const char *s, long *out) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 0);
    if (errno || *s == 0 || *end != 0 || v <= 0 || v > 0x7fffffffL) return -1;
    *out = v;
    return 0;
}

static int shm_create(long key) {
    return shmget((key_t)key, 4096, IPC_CREAT | IPC_EXCL | 0600);
}

static int shm_remove(long key) {
    int id = shmget((key_t)key, 0, 0);
    if (id < 0) return errno == ENOENT ? 0 : -1;
    return shmctl(id, IPC_RMID, NULL);
}

int check_sentinel_main(int argc, char **argv) {
    const char *token = NULL;
    long key = -1, max_seconds = 600;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--token") == 0) token = argv[i + 1];
        else if (strcmp(argv[i], "--shm-key") == 0 && parse_key(argv[i + 1], &key) == 0) {}
        else if (strcmp(argv[i], "--max-seconds") == 0) max_seconds = atol(argv[i + 1]);
        else { fprintf(stderr, "check sentinel: bad option %s\n", argv[i]); return 2; }
    }
    if (!token || max_seconds <= 0) {
        fprintf(stderr, "usage: isobench-probe check sentinel --token T [--shm-key K] [--max-seconds S]\n");
        return 2;
    }
    pid_t parent = getppid();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    /* The parent may have died before prctl took effect. */
    if (getppid() != parent) return 1;
    int shmid = -1;
    if (key > 0) {
        shmid = shm_create(key);
        if (shmid < 0) {
            printf("error shm-create %s\n", err_name(errno));
            fflush(stdout);
            return 1;
        }
    }
    printf("ready %d %d\n", (int)getpid(), shmid);
    fflush(stdout);
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (!stop_requested) {
        struct timespec tick = {0, 100 * 1000 * 1000};
        nanosleep(&tick, NULL);
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec >= max_seconds) break;
    }
    if (shmid >= 0 && shmctl(shmid, IPC_RMID, NULL) != 0) {
        fprintf(stderr, "check sentinel: IPC_RMID %d: %s\n", shmid, strerror(errno));
        return 1;
    }
    return 0;
}

int check_shm_create_main(int argc, char **argv) {
    long key;
    if (argc < 2 || parse_key(argv[1], &key) != 0) {
        fprintf(stderr, "usage: isobench-probe check shm-create KEY\n");
        return 2;
    }
    int id = shm_create(key);
    if (id < 0) { fprintf(stderr, "shm-create %ld: %s\n", key, strerror(errno)); return 1; }
    printf("%d\n", id);
    return 0;
}

int check_shm_remove_main(int argc, char **argv) {
    long key;
    if (argc < 2 || parse_key(argv[1], &key) != 0) {
        fprintf(stderr, "usage: isobench-probe check shm-remove KEY\n");
        return 2;
    }
    if (shm_remove(key) != 0) { fprintf(stderr, "shm-remove %ld: %s\n", key, strerror(errno)); return 1; }
    return 0;
}
