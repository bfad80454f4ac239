#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/userfaultfd.h>
#include "check.h"

/*
 * Escape routes a seccomp filter, a cgroup namespace and a hidden engine
 * binary close. Every attempt is harmless by construction: syscalls get
 * arguments the kernel rejects right after the filter and capability checks
 * (so "refused" = EPERM there, anything else = the call reached the kernel);
 * cgroup hierarchies are mounted read-only, only listed, in a child's private
 * mount namespace; binaries are opened for writing and closed at once,
 * never written.
 */

/* Runs fn in a forked child; its result (errno or 0) comes back as the exit status. */
static int in_child(int (*fn)(void)) {
    pid_t pid = fork();
    if (pid < 0) return errno;
    if (pid == 0) _exit(fn());
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
    return WIFEXITED(st) ? WEXITSTATUS(st) : 255;
}

static int try_unshare_user(void) {
    return unshare(CLONE_NEWUSER) == 0 ? 0 : errno;
}

void check_syscalls(const struct check_facts *f) {
    (void)f;
    struct jline j;
    j_begin(&j, "syscalls");
    char status[8192];
    if (read_small("/proc/self/status", status, sizeof status) > 0) {
        const char *s = strstr(status, "\nSeccomp:");
        int mode = -1;
        if (s && sscanf(s + 9, "%d", &mode) == 1) j_int(&j, "seccomp", mode);
    }
    j_key(&j, "calls");
    j_raw(&j, "{");
    struct { const char *name; long r; int e; } calls[10];
    int n = 0;
#define TRY(nm, expr) do { errno = 0; long r_ = (expr); calls[n].name = nm; calls[n].r = r_; calls[n].e = errno; if (r_ >= 0 && r_ < 1024 && strcmp(nm, "userfaultfd") == 0) close((int)r_); n++; } while (0)
    TRY("keyctl", syscall(SYS_keyctl, 0x7fff, 0, 0, 0, 0));                      /* unknown operation: EOPNOTSUPP */
    TRY("add_key", syscall(SYS_add_key, NULL, NULL, NULL, 0, 0));               /* NULL type: EFAULT */
    TRY("userfaultfd", syscall(SYS_userfaultfd, UFFD_USER_MODE_ONLY | 0x40000000)); /* unknown flag: EINVAL */
    TRY("io_uring_setup", syscall(SYS_io_uring_setup, 0, NULL));                 /* NULL params: EFAULT/EINVAL */
    TRY("perf_event_open", syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0));    /* NULL attr: EFAULT */
    TRY("bpf", syscall(SYS_bpf, 0x7fff, NULL, 0));                               /* unknown command: EINVAL */
    TRY("kexec_load", syscall(SYS_kexec_load, 0, 0, NULL, 0xffff0000UL));        /* bad flags: EINVAL */
    TRY("init_module", syscall(SYS_init_module, NULL, 0, NULL));                 /* NULL image: EFAULT */
    TRY("open_by_handle_at", syscall(SYS_open_by_handle_at, -1, NULL, 0));       /* bad fd: EBADF */
#undef TRY
    for (int k = 0; k < n; k++) {
        if (k) j_raw(&j, ",");
        j_quoted(&j, calls[k].name);
        j_raw(&j, ":");
        j_quoted(&j, calls[k].r >= 0 ? "ok" : err_name(calls[k].e));
    }
    j_raw(&j, "}");
    /* In a child: a new user namespace would change the probe itself. */
    int e = in_child(try_unshare_user);
    j_str(&j, "unshare_user", e == 0 ? "ok" : e == 255 ? "child-died" : err_name(e));
    j_end(&j);
}

/* ---- cgroup escape ---- */

struct hier { char name[64]; char opts[64]; int v2; };

/* Hierarchies from /proc/self/cgroup: "4:memory:/x" -> memory; "0::/" -> cgroup2. */
static int hierarchies(struct hier *out, int cap) {
    char buf[4096];
    if (read_small("/proc/self/cgroup", buf, sizeof buf) <= 0) return -1;
    int n = 0;
    for (char *line = strtok(buf, "\n"); line && n < cap; line = strtok(NULL, "\n")) {
        char *a = strchr(line, ':');
        char *b = a ? strchr(a + 1, ':') : NULL;
        if (!a || !b) continue;
        *b = 0;
        const char *ctrl = a + 1;
        struct hier *h = &out[n];
        memset(h, 0, sizeof *h);
        if (!*ctrl) { h->v2 = 1; snprintf(h->name, sizeof h->name, "cgroup2"); }
        else { snprintf(h->name, sizeof h->name, "%s", ctrl); snprintf(h->opts, sizeof h->opts, "%s", ctrl); }
        n++;
    }
    return n;
}

/* Lists one mounted root: does it hold the harness's sentinel cgroup (= the host's root)? */
static void describe_root(const char *dir, const char *sentinel, char *out, size_t cap) {
    DIR *d = opendir(dir);
    if (!d) { snprintf(out, cap, "list-error:%s", err_name(errno)); return; }
    int children = 0, seen = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_type != DT_DIR || e->d_name[0] == '.') continue;
        children++;
        if (sentinel && strcmp(e->d_name, sentinel) == 0) seen = 1;
    }
    closedir(d);
    snprintf(out, cap, "%s:%d", seen ? "host-root" : "own", children);
}

/*
 * The child: a user namespace (+ mount and cgroup namespaces owned by it) as
 * an attacker would make one; failing that, a private mount namespace, which
 * a root with CAP_SYS_ADMIN gets without one. Then each hierarchy mounted
 * read-only in scratch, listed, unmounted. One line of results on `fd`.
 */
static void cgroup_child(const struct check_facts *f, int fd) {
    char out[2048];
    size_t len = 0;
    const char *route = "userns";
    if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWCGROUP) != 0) {
        int e1 = errno;
        route = "privileged";
        if (unshare(CLONE_NEWNS) != 0) {
            len += (size_t)snprintf(out + len, sizeof out - len, "\"unshare_userns\":\"%s\",\"unshare_mnt\":\"%s\"", err_name(e1), err_name(errno));
            if (write(fd, out, len) < 0) {}
            _exit(0);
        }
        len += (size_t)snprintf(out + len, sizeof out - len, "\"unshare_userns\":\"%s\",", err_name(e1));
    }
    /* Nothing we mount may propagate anywhere. */
    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
    struct hier hs[16];
    int n = hierarchies(hs, 16);
    len += (size_t)snprintf(out + len, sizeof out - len, "\"route\":\"%s\",\"roots\":{", route);
    for (int k = 0; k < n; k++) {
        char dir[4200], desc[96];
        snprintf(dir, sizeof dir, "%s/cg-%d", f->scratch, k);
        if (mkdir(dir, 0700) != 0) snprintf(desc, sizeof desc, "mkdir:%s", err_name(errno));
        else {
            int r = hs[k].v2 ? mount("cgroup2", dir, "cgroup2", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)
                             : mount("cgroup", dir, "cgroup", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, hs[k].opts);
            if (r != 0) snprintf(desc, sizeof desc, "mount:%s", err_name(errno));
            else {
                describe_root(dir, f->cg_sentinel, desc, sizeof desc);
                umount2(dir, MNT_DETACH);
            }
            rmdir(dir);
        }
        len += (size_t)snprintf(out + len, sizeof out - len, "%s\"%s\":\"%s\"", k ? "," : "", hs[k].name, desc);
        if (len >= sizeof out - 128) break;
    }
    len += (size_t)snprintf(out + len, sizeof out - len, "}");
    if (write(fd, out, len) < 0) {}
    _exit(0);
}

void check_cgroup_escape(const struct check_facts *f) {
    struct jline j;
    j_begin(&j, "cgroup-escape");
    char self[2048];
    if (read_small("/proc/self/cgroup", self, sizeof self) > 0) {
        /* Our own membership as this cgroup namespace shows it ("/" everywhere inside one). */
        int at_root = 0, total = 0;
        for (char *line = strtok(self, "\n"); line; line = strtok(NULL, "\n")) {
            char *p = strrchr(line, ':');
            if (!p) continue;
            total++;
            if (strcmp(p + 1, "/") == 0) at_root++;
        }
        j_int(&j, "hierarchies", total);
        j_int(&j, "at_ns_root", at_root);
    }
    if (!f->scratch_ok) {
        j_str(&j, "skipped_mount", "no fresh scratch dir");
        j_end(&j);
        return;
    }
    int p[2];
    if (pipe(p) != 0) { j_str(&j, "error", err_name(errno)); j_end(&j); return; }
    pid_t pid = fork();
    if (pid < 0) { j_str(&j, "error", err_name(errno)); close(p[0]); close(p[1]); j_end(&j); return; }
    if (pid == 0) { close(p[0]); cgroup_child(f, p[1]); }
    close(p[1]);
    char buf[2048];
    size_t len = 0;
    ssize_t r;
    while (len < sizeof buf - 1 && ((r = read(p[0], buf + len, sizeof buf - 1 - len)) > 0 || (r < 0 && errno == EINTR))) if (r > 0) len += (size_t)r;
    buf[len] = 0;
    close(p[0]);
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
    if (len) { j_raw(&j, ","); j_raw(&j, buf); }
    else j_str(&j, "error", "child gave no result");
    j_end(&j);
}

/* ---- host binary ---- */

void check_host_binary(const struct check_facts *f) {
    struct jline j;
    j_begin(&j, "host-binary");
    DIR *d = opendir("/proc");
    if (!d) { j_str(&j, "error", err_name(errno)); j_end(&j); return; }
    int visible = 0, resolved = 0, matches = 0;
    char first_match[420] = "", open_w[32] = "";
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
        char path[300];
        snprintf(path, sizeof path, "/proc/%s/exe", e->d_name);
        visible++;
        struct stat st;
        if (stat(path, &st) != 0) continue;
        resolved++;
        for (int k = 0; k < f->nhostbin; k++) {
            if ((unsigned long long)st.st_dev != f->hostbin[k].dev || (unsigned long long)st.st_ino != f->hostbin[k].ino) continue;
            if (!matches++) {
                char target[128];
                ssize_t n = readlink(path, target, sizeof target - 1);
                target[n > 0 ? n : 0] = 0;
                snprintf(first_match, sizeof first_match, "pid %s -> %s", e->d_name, target);
                /* Opened for writing and closed at once: nothing is ever written. */
                int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
                if (fd >= 0) { snprintf(open_w, sizeof open_w, "ok"); close(fd); }
                else snprintf(open_w, sizeof open_w, "%s", err_name(errno));
            }
        }
    }
    closedir(d);
    j_int(&j, "processes", visible);
    j_int(&j, "exe_resolved", resolved);
    j_int(&j, "host_binaries_known", f->nhostbin);
    j_int(&j, "host_binary_matches", matches);
    if (matches) { j_str(&j, "first_match", first_match); j_str(&j, "open_write", open_w); }
    j_end(&j);
}
