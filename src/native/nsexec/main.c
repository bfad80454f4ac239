/*
 * isobench-nsexec [FLAGS] -- PROGRAM ARGS...     (run mode: a new container)
 * isobench-nsexec --join PID [FLAGS] -- PROGRAM ARGS...   (exec mode: enter one)
 *
 * The smallest piece of the engine that Node cannot do itself (clone into new
 * namespaces, mount, pivot_root, capabilities, prctl). Every decision is made
 * in TypeScript (src/engine/spec/shim-args.ts) and arrives as flags:
 *
 *   --ns pid,mnt,net,ipc,uts,cgroup   namespaces to create
 *   --netns PATH                      join this network namespace instead of a new one
 *   --lower DIR (repeat)              overlay lower dirs, top-most first
 *   --upper DIR  --work DIR           overlay rw layer of this container (created)
 *   --rootfs DIR                      mount point (created); without --lower it is bind-mounted as is
 *   --hostname NAME
 *   --cgroup DIR (repeat)             cgroup dirs the shim creates (mkdir -p)
 *   --cgroup-join FILE (repeat)       the init writes "0" (itself) to FILE: DIR/tasks on v1
 *                                     (moves one thread, skipping the global threadgroup lock
 *                                     and its RCU grace period), DIR/cgroup.procs on v2
 *   --cgroup-set FILE=VALUE (repeat)  limit files written before the clone
 *   --device-cgroup DIR               cgroup v2: attach a device BPF program to DIR before the clone,
 *   --device-allow T:MAJ:MIN:ACC (repeat)  allowing only these (T c|b, '*' = any, ACC of rwm)
 *   --device NAME:TYPE:MAJ:MIN:MODE   mknod'ed in the container's /dev tmpfs (MODE octal)
 *   --bind SRC DST / --bind-ro SRC DST  extra mounts (volumes)
 *   --mask PATH / --ro PATH           masked (null/tmpfs over) and read-only paths
 *   --caps N,N,...                    capability numbers kept; all others dropped everywhere
 *   --no-new-privs  --lo              PR_SET_NO_NEW_PRIVS; bring up lo in the new netns
 *   --seccomp default|unconfined      the built-in syscall filter (seccomp.c), installed last before exec
 *   --env K=V (repeat)  --cwd DIR     the process environment (nothing is inherited)
 *   --pid-file P  --exit-file P       host pid of the container init; its exit status
 *   --start-fifo P                    block before exec until `start` opens P for reading
 *   --trace                           per-step durations on stderr before exec
 *
 * Run mode: the shim creates dirs and cgroups, clones the init into the new
 * namespaces (PID 1 there), forwards signals to it, waits, writes the exit
 * file and exits with its status (128+signal when killed). The shim itself
 * never enters the container; the init execs the user's program, so the only
 * process inside is the program. Exit 125 = the shim failed (reason on stderr).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "nsexec.h"

static struct config cfg;
static volatile pid_t child = -1;

static void usage(const char *why) {
    fprintf(stderr, "isobench-nsexec: %s (see src/native/nsexec/main.c for the flags)\n", why);
    exit(SHIM_FAIL);
}

static int ns_flag(const char *name) {
    if (!strcmp(name, "pid")) return CLONE_NEWPID;
    if (!strcmp(name, "mnt")) return CLONE_NEWNS;
    if (!strcmp(name, "net")) return CLONE_NEWNET;
    if (!strcmp(name, "ipc")) return CLONE_NEWIPC;
    if (!strcmp(name, "uts")) return CLONE_NEWUTS;
    if (!strcmp(name, "cgroup")) return CLONE_NEWCGROUP;
    usage("unknown namespace in --ns");
    return 0;
}

static void parse_ns(char *list) {
    for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
        int f = ns_flag(tok);
        /* The cgroup namespace is unshared by the init after it joined its
           cgroups, so that its root is the container's cgroup. */
        if (f == CLONE_NEWCGROUP) cfg.new_cgroupns = 1;
        else cfg.clone_flags |= f;
    }
}

static void parse_device(char *spec) {
    if (cfg.ndevs >= MAX_ITEMS) usage("too many --device");
    struct device *d = &cfg.devs[cfg.ndevs++];
    char *type, *maj, *min, *mode;
    d->name = strtok(spec, ":");
    type = strtok(NULL, ":"); maj = strtok(NULL, ":"); min = strtok(NULL, ":"); mode = strtok(NULL, ":");
    if (!d->name || !type || !maj || !min || !mode || (type[0] != 'c' && type[0] != 'b') || strchr(d->name, '/'))
        usage("bad --device (NAME:c|b:MAJOR:MINOR:MODE)");
    d->type = type[0];
    d->major = (unsigned)strtoul(maj, NULL, 10);
    d->minor = (unsigned)strtoul(min, NULL, 10);
    d->mode = (unsigned)strtoul(mode, NULL, 8);
}

static void parse_caps(char *list) {
    cfg.caps_given = 1;
    for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
        char *end;
        unsigned long n = strtoul(tok, &end, 10);
        if (*end || n > 63) usage("bad capability number in --caps");
        cfg.caps |= 1ULL << n;
    }
}

#define ADD(arr, n, v) do { if ((n) >= MAX_ITEMS) usage("too many " #arr); (arr)[(n)++] = (v); } while (0)

static void parse(int argc, char **argv) {
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (!strcmp(a, "--")) { i++; break; }
        if (!strcmp(a, "--trace")) { cfg.trace = 1; continue; }
        if (!strcmp(a, "--no-new-privs")) { cfg.no_new_privs = 1; continue; }
        if (!strcmp(a, "--lo")) { cfg.lo_up = 1; continue; }
        if (!more) usage("missing value");
        char *v = argv[++i];
        if (!strcmp(a, "--ns")) parse_ns(v);
        else if (!strcmp(a, "--netns")) cfg.netns = v;
        else if (!strcmp(a, "--lower")) ADD(cfg.lowers, cfg.nlowers, v);
        else if (!strcmp(a, "--upper")) cfg.upper = v;
        else if (!strcmp(a, "--work")) cfg.work = v;
        else if (!strcmp(a, "--rootfs")) cfg.rootfs = v;
        else if (!strcmp(a, "--hostname")) cfg.hostname = v;
        else if (!strcmp(a, "--cgroup")) ADD(cfg.cgroups, cfg.ncgroups, v);
        else if (!strcmp(a, "--cgroup-join")) ADD(cfg.cgjoins, cfg.ncgjoins, v);
        else if (!strcmp(a, "--cgroup-set")) ADD(cfg.cgsets, cfg.ncgsets, v);
        else if (!strcmp(a, "--device")) parse_device(v);
        else if (!strcmp(a, "--device-cgroup")) cfg.device_cgroup = v;
        else if (!strcmp(a, "--device-allow")) {
            if (cfg.ndev_rules >= MAX_ITEMS) usage("too many --device-allow");
            if (parse_device_rule(v, &cfg.dev_rules[cfg.ndev_rules++]) < 0) usage("bad --device-allow (c|b:MAJOR|*:MINOR|*:rwm)");
        }
        else if (!strcmp(a, "--bind") || !strcmp(a, "--bind-ro")) {
            if (i + 1 >= argc) usage("--bind needs SRC DST");
            if (cfg.nbinds >= MAX_ITEMS) usage("too many --bind");
            cfg.binds[cfg.nbinds++] = (struct bind){ v, argv[++i], a[6] == '-' };
        }
        else if (!strcmp(a, "--mask")) ADD(cfg.masks, cfg.nmasks, v);
        else if (!strcmp(a, "--ro")) ADD(cfg.ros, cfg.nros, v);
        else if (!strcmp(a, "--caps")) parse_caps(v);
        else if (!strcmp(a, "--seccomp")) {
            if (!strcmp(v, "default")) cfg.seccomp = 1;
            else if (!strcmp(v, "unconfined")) cfg.seccomp = 0;
            else usage("bad --seccomp (default|unconfined)");
        }
        else if (!strcmp(a, "--env")) { if (cfg.nenv >= 255) usage("too many --env"); cfg.env[cfg.nenv++] = v; }
        else if (!strcmp(a, "--cwd")) cfg.cwd = v;
        else if (!strcmp(a, "--pid-file")) cfg.pid_file = v;
        else if (!strcmp(a, "--exit-file")) cfg.exit_file = v;
        else if (!strcmp(a, "--start-fifo")) cfg.start_fifo = v;
        else if (!strcmp(a, "--join")) cfg.join_pid = atoi(v);
        else usage("unknown flag");
    }
    if (i >= argc) usage("no program after --");
    cfg.argv = argv + i;
    cfg.env[cfg.nenv] = NULL;
    if (!cfg.join_pid) {
        if (!cfg.rootfs) usage("--rootfs is required");
        if (cfg.nlowers && (!cfg.upper || !cfg.work)) usage("--lower needs --upper and --work");
    }
}

static void forward(int sig) {
    if (child > 0) kill(child, sig);
}

static void write_status_file(const char *path, long value) {
    char buf[32];
    snprintf(buf, sizeof buf, "%ld\n", value);
    /* tmp + rename so a reader never sees half a number */
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return;
    if (write(fd, buf, strlen(buf)) < 0) { /* reported by the missing file */ }
    close(fd);
    rename(tmp, path);
}

int wait_and_exit(pid_t pid) {
    int st;
    for (;;) {
        pid_t r = waitpid(pid, &st, 0);
        if (r == pid) break;
        if (r < 0 && errno != EINTR) die("waitpid", NULL);
    }
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 255;
    if (cfg.exit_file) write_status_file(cfg.exit_file, code);
    return code;
}

static void install_forwarding(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = forward;
    sa.sa_flags = SA_RESTART;
    int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };
    for (size_t k = 0; k < sizeof sigs / sizeof sigs[0]; k++) sigaction(sigs[k], &sa, NULL);
}

static char child_stack[256 * 1024] __attribute__((aligned(16)));

int main(int argc, char **argv) {
    stamp(T_START);
    harden_self();
    parse(argc, argv);
    if (cfg.join_pid) return join_main(&cfg);

    /* The rw layer and the mount point: per container, so inside the timed window. */
    if (cfg.upper) mkdir_p(cfg.upper, 0755);
    if (cfg.work) mkdir_p(cfg.work, 0700);
    mkdir_p(cfg.rootfs, 0755);
    stamp(T_DIRS);

    for (int k = 0; k < cfg.ncgroups; k++) mkdir_p(cfg.cgroups[k], 0755);
    for (int k = 0; k < cfg.ncgsets; k++) {
        char path[4096];
        const char *eq = strchr(cfg.cgsets[k], '=');
        if (!eq || (size_t)(eq - cfg.cgsets[k]) >= sizeof path) usage("bad --cgroup-set (FILE=VALUE)");
        memcpy(path, cfg.cgsets[k], (size_t)(eq - cfg.cgsets[k]));
        path[eq - cfg.cgsets[k]] = 0;
        write_file(path, eq + 1);
    }
    if (cfg.device_cgroup) attach_device_program(cfg.device_cgroup, cfg.dev_rules, cfg.ndev_rules);
    stamp(T_CGROUP);

    cfg.netns_fd = -1;
    if (cfg.netns) {
        cfg.netns_fd = open(cfg.netns, O_RDONLY | O_CLOEXEC);
        if (cfg.netns_fd < 0) die("open netns", cfg.netns);
        cfg.clone_flags &= ~CLONE_NEWNET;
    }

    /* With a pid file the init reports "set up" with one byte on this pipe
       (EOF without it = it died during set-up), so the pid file means "running, or waiting for start" and a
       set-up failure is never reported as a live container. The timed
       harness path has no pid file and skips this. */
    int sync[2] = { -1, -1 };
    cfg.sync_fd = -1;
    if (cfg.pid_file) {
        if (pipe2(sync, O_CLOEXEC) < 0) die("pipe2", NULL);
        cfg.sync_fd = sync[1];
    }
    install_forwarding();
    pid_t pid = clone(child_main, child_stack + sizeof child_stack, cfg.clone_flags | SIGCHLD, &cfg);
    if (pid < 0) die("clone", NULL);
    child = pid;
    if (cfg.pid_file) {
        close(sync[1]);
        char b;
        ssize_t n;
        while ((n = read(sync[0], &b, 1)) < 0 && errno == EINTR) {}
        close(sync[0]);
        if (n == 1) write_status_file(cfg.pid_file, pid);
        else return wait_and_exit(pid);  /* set-up failed: no pid file, only the exit status */
    }
    return wait_and_exit(pid);
}
