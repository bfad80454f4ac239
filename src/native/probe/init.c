/*
 * init: the probe as PID 1 of the isobench VM guest (the initramfs's /init).
 *
 * What to run comes from the kernel command line, in parameters the kernel
 * itself ignores (a dotted name is a module parameter for a module that does
 * not exist, so it is neither parsed nor handed to us as argv/envp):
 *
 *   isobench.token=<TOKEN>        ready marker, printed as its own line
 *   isobench.argv=<B64>           base64url (no padding) of argv, each
 *                                 element NUL-terminated; absent = run
 *                                 nothing (exit status 0 right after the token)
 *   isobench.env=<B64>            same encoding, KEY=VALUE entries (optional)
 *   isobench.cwd=<B64>            working directory (optional, default /)
 *   isobench.session=1            session mode (init-session.c): after the
 *                                 setup below, print the token and run the
 *                                 commands the host writes to the console
 *
 * base64url keeps spaces, quotes and '=' away from the kernel's parser. The
 * host side is src/envs/vm/cmdline.ts; the two must agree.
 *
 * Order matters for the startup figure: /proc is mounted first only because
 * the token lives in /proc/cmdline; the token is written before anything
 * else (other mounts, fork). Then the workload runs with the console as its
 * stdio, we wait for it, print "isobench.exit <TOKEN> <status>" (status as a
 * shell reports it: code, or 128+signal) and reset the machine. The host runs
 * QEMU with -no-reboot and the guest kernel with reboot=t, so the reset ends
 * QEMU at once: no ACPI needed for power-off, no fixed sleep anywhere.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "init.h"

#define CMDLINE_MAX 8192
#define MAX_ITEMS INIT_MAX_ITEMS

static char cmdline[CMDLINE_MAX];

static void say(const char *s) { probe_write_all(1, s, strlen(s)); }

static void finish(int status, const char *token) {
    char line[400];
    /* Leading newline: the workload's last line may lack one. */
    snprintf(line, sizeof line, "\nisobench.exit %s %d\n", token ? token : "-", status);
    say(line);
    sync();
    reboot(RB_AUTOBOOT);
    /* Only reached if reboot failed (not PID 1 / no CAP_SYS_BOOT). */
    _exit(status & 0xff);
}

/* Value of "name=" in the space-separated kernel command line, NUL-terminated in place. */
static char *param(char *copy, const char *name) {
    size_t n = strlen(name);
    for (char *p = copy; *p;) {
        while (*p == ' ' || *p == '\n') p++;
        char *end = p;
        while (*end && *end != ' ' && *end != '\n') end++;
        if ((size_t)(end - p) > n && strncmp(p, name, n) == 0 && p[n] == '=') {
            *end = '\0';
            return p + n + 1;
        }
        p = *end ? end + 1 : end;
    }
    return NULL;
}

static int b64val(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-' || c == '+') return 62;
    if (c == '_' || c == '/') return 63;
    return -1;
}

/* Decodes base64url into a fresh buffer; *len gets the byte count. NULL on bad input. */
char *init_b64decode(const char *s, size_t *len) {
    size_t n = strlen(s);
    char *out = malloc(n * 3 / 4 + 2);
    if (!out) return NULL;
    size_t o = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '=') break;
        int v = b64val(s[i]);
        if (v < 0) { free(out); return NULL; }
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (char)((acc >> bits) & 0xff);
        }
    }
    out[o] = '\0';
    *len = o;
    return out;
}

/* Splits a NUL-terminated list into a NULL-terminated vector. */
static char **split(char *buf, size_t len, char **vec) {
    size_t k = 0;
    for (size_t i = 0; i < len && k < MAX_ITEMS; k++) {
        vec[k] = buf + i;
        i += strlen(buf + i) + 1;
    }
    vec[k] = NULL;
    return vec;
}

char **init_decode_list(const char *b64, char **vec) {
    size_t len;
    char *buf = b64 ? init_b64decode(b64, &len) : NULL;
    if (!buf) return NULL;
    return split(buf, len, vec);
}

static void mount_fs(const char *src, const char *dir, const char *type, unsigned long flags, const char *data) {
    mkdir(dir, 0755);
    if (mount(src, dir, type, flags, data) != 0 && errno != EBUSY) {
        char msg[200];
        snprintf(msg, sizeof msg, "isobench-init: mount %s on %s: %s\n", type, dir, strerror(errno));
        say(msg);
    }
}

/*
 * Disk presentation (optional): isobench.modules=<B64 NUL-separated .ko
 * paths in load order> and isobench.root=<block device>. The initramfs then
 * holds only the probe and those modules; the image is an ext4 base disk
 * behind a per-VM qcow2 overlay. We load the modules, wait for the device
 * (devtmpfs creates it), mount it on /root and make it "/".
 */
static int load_modules(const char *b64) {
    static char *mods[MAX_ITEMS + 1];
    char **list = init_decode_list(b64, mods);
    if (!list) return -1;
    for (char **m = list; *m; m++) {
        int fd = open(*m, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || syscall(SYS_finit_module, fd, "", 0) != 0) {
            if (errno == EEXIST) { if (fd >= 0) close(fd); continue; }
            char msg[300];
            snprintf(msg, sizeof msg, "isobench-init: cannot load %s: %s\n", *m, strerror(errno));
            say(msg);
            if (fd >= 0) close(fd);
            return -1;
        }
        close(fd);
    }
    return 0;
}

static int switch_to_disk(const char *dev) {
    struct timespec step = { 0, 2000000 };
    for (int i = 0; i < 2500 && access(dev, F_OK) != 0; i++) nanosleep(&step, NULL); /* up to 5 s */
    if (mount(dev, "/root", "ext4", 0, NULL) != 0) {
        char msg[200];
        snprintf(msg, sizeof msg, "isobench-init: mount %s: %s\n", dev, strerror(errno));
        say(msg);
        return -1;
    }
    /* The initramfs stays underneath (it cannot be unmounted); MS_MOVE + chroot as switch_root does. */
    if (chdir("/root") != 0 || mount(".", "/", NULL, MS_MOVE, NULL) != 0 || chroot(".") != 0 || chdir("/") != 0) return -1;
    mount_fs("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    mount_fs("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    mount_fs("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
    return 0;
}

static void print_token(const char *token) {
    char line[300];
    snprintf(line, sizeof line, "%s\n", token);
    say(line);
}

/* A machine's loopback is up: connecting to 127.0.0.1 inside the guest must
   be refused by the guest's own stack, not fail for want of a network. */
static void loopback_up(void) {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) return;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
        ifr.ifr_flags |= IFF_UP;
        ioctl(s, SIOCSIFFLAGS, &ifr);
    }
    close(s);
}

int cmd_init(int argc, char **argv) {
    (void)argc; (void)argv;
    /* The kernel hands PID 1 /dev/console as fd 0-2 when the initramfs has it. */
    if (fcntl(1, F_GETFD) < 0) {
        int fd = open("/dev/console", O_RDWR | O_NOCTTY);
        if (fd >= 0) { dup2(fd, 0); dup2(fd, 1); dup2(fd, 2); if (fd > 2) close(fd); }
    }
    mount_fs("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    int fd = open("/proc/cmdline", O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, cmdline, sizeof cmdline - 1) : -1;
    if (fd >= 0) close(fd);
    if (n < 0) { say("isobench-init: cannot read /proc/cmdline\n"); finish(125, NULL); }
    cmdline[n] = '\0';

    static char c1[CMDLINE_MAX], c2[CMDLINE_MAX], c3[CMDLINE_MAX], c4[CMDLINE_MAX];
    memcpy(c1, cmdline, sizeof c1); memcpy(c2, cmdline, sizeof c2);
    memcpy(c3, cmdline, sizeof c3); memcpy(c4, cmdline, sizeof c4);
    const char *token = param(c1, "isobench.token");
    /* With the disk presentation the workload cannot run before its root is
       mounted, so the token waits for that; otherwise it goes out first. */
    int disk = strstr(cmdline, "isobench.root=") != NULL;
    /* Session mode (init-session.c): the token is the "session ready" marker,
       printed once everything below is set up; no startup figure is taken. */
    int session = strstr(cmdline, "isobench.session=1") != NULL;
    if (token && !disk && !session) print_token(token);

    mount_fs("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    mount_fs("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
    static char c5[CMDLINE_MAX], c6[CMDLINE_MAX];
    memcpy(c5, cmdline, sizeof c5); memcpy(c6, cmdline, sizeof c6);
    const char *mods = param(c5, "isobench.modules");
    const char *rootdev = param(c6, "isobench.root");
    if (mods && load_modules(mods) != 0) finish(125, token);
    if (rootdev && switch_to_disk(rootdev) != 0) finish(125, token);
    if (token && disk && !session) print_token(token);
    /* Initramfs: the root is RAM anyway and /tmp a tmpfs. Disk: /tmp stays on
       the disk (the overlay), so storage workloads measure the disk as the
       other environments' /tmp measures theirs. No nodev: the guest's root
       owns its kernel and may use device nodes anywhere. */
    if (!disk) mount_fs("tmpfs", "/tmp", "tmpfs", MS_NOSUID, "mode=1777");
    mount_fs("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
    sethostname("isobench-vm", 11);
    loopback_up();
    if (probe_init_net && probe_init_net(cmdline) != 0) finish(125, token); /* network workloads only */
    if (session) init_session(token);

    static char *args[MAX_ITEMS + 1], *envs[MAX_ITEMS + 1];
    /* No isobench.argv: nothing to run (the startup workload is the token alone). */
    const char *argvb64 = param(c2, "isobench.argv");
    if (!argvb64) finish(0, token);
    char **wargv = init_decode_list(argvb64, args);
    if (!wargv || !wargv[0]) {
        say("isobench-init: isobench.argv is not base64url of NUL-terminated arguments\n");
        finish(125, token);
    }
    const char *envb64 = param(c3, "isobench.env");
    char *const default_env[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/", "TERM=dumb", NULL };
    char **wenv = envb64 ? init_decode_list(envb64, envs) : (char **)default_env;
    if (!wenv) { say("isobench-init: bad isobench.env encoding\n"); finish(125, token); }
    size_t cwdlen;
    const char *cwdb64 = param(c4, "isobench.cwd");
    char *cwd = cwdb64 ? init_b64decode(cwdb64, &cwdlen) : NULL;

    pid_t pid = fork();
    if (pid < 0) { say("isobench-init: fork failed\n"); finish(125, token); }
    if (pid == 0) {
        if (cwd && chdir(cwd) != 0) { perror(cwd); _exit(125); }
        if (!cwd && chdir("/") != 0) _exit(125);
        execve(wargv[0], wargv, wenv);
        char msg[300];
        snprintf(msg, sizeof msg, "isobench-init: cannot execute %s: %s\n", wargv[0], strerror(errno));
        say(msg);
        _exit(127);
    }
    /* As PID 1 we also reap orphans; only our child's status matters. */
    for (;;) {
        int st;
        pid_t r = waitpid(-1, &st, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) finish(125, token);
        if (r == pid) {
            int status = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 255;
            finish(status, token);
        }
    }
}
