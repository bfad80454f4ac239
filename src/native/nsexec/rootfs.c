#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "nsexec.h"

static void mnt(const char *src, const char *dst, const char *type, unsigned long flags, const char *data) {
    if (mount(src, dst, type, flags, data) < 0) die("mount", dst);
}

static void mkdir_here(const char *p) {
    if (mkdir(p, 0755) < 0 && errno != EEXIST) die("mkdir", p);
}

static void overlay(struct config *c) {
    char data[4096];
    size_t n = (size_t)snprintf(data, sizeof data, "lowerdir=");
    for (int k = 0; k < c->nlowers; k++)
        n += (size_t)snprintf(data + n, sizeof data - n, "%s%s", k ? ":" : "", c->lowers[k]);
    n += (size_t)snprintf(data + n, sizeof data - n, ",upperdir=%s,workdir=%s", c->upper, c->work);
    if (n >= sizeof data) { errno = E2BIG; die("overlay options too long for", c->rootfs); }
    mnt("overlay", c->rootfs, "overlay", 0, data);
}

static void dev(struct config *c) {
    mkdir_here("dev");
    mnt("tmpfs", "dev", "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k");
    for (int k = 0; k < c->ndevs; k++) {
        const struct device *d = &c->devs[k];
        char p[300];
        snprintf(p, sizeof p, "dev/%s", d->name);
        mode_t type = d->type == 'b' ? S_IFBLK : S_IFCHR;
        if (mknod(p, type | d->mode, makedev(d->major, d->minor)) < 0) die("mknod", p);
    }
    static const char *links[][2] = {
        { "/proc/self/fd", "dev/fd" }, { "/proc/self/fd/0", "dev/stdin" },
        { "/proc/self/fd/1", "dev/stdout" }, { "/proc/self/fd/2", "dev/stderr" },
        { "pts/ptmx", "dev/ptmx" }, { "/proc/kcore", "dev/core" },
    };
    for (size_t k = 0; k < sizeof links / sizeof links[0]; k++)
        if (symlink(links[k][0], links[k][1]) < 0) die("symlink", links[k][1]);
    mkdir_here("dev/pts");
    mnt("devpts", "dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620");
    mkdir_here("dev/shm");
    mnt("shm", "dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k");
}

/*
 * Resolves `path` inside the rootfs, whose fd is `root`, the way the
 * container will see it: one component at a time, never following a
 * symlink by the host's rules. A symlink's target is read and walked from
 * the rootfs's "/" (absolute) or from its own dir (relative), ".." stops at
 * the rootfs's root, so an image's `linkdir -> /tmp` or `-> ../../..` lands
 * inside the container, never on the host. Missing components are created
 * (dirs; the last one as a file when `file` is set), dangling links
 * included: they are created where the link points, inside the rootfs.
 * Returns an O_PATH fd of the target.
 */
#define MAX_DEPTH 128
static int open_in_root(int root, const char *path, int file) {
    char rest[8192];            /* components still to walk, '/'-separated */
    if (strlen(path) >= sizeof rest / 2) { errno = ENAMETOOLONG; die("volume destination", path); }
    snprintf(rest, sizeof rest, "%s", path);
    int stack[MAX_DEPTH];       /* fds of the dirs walked so far; stack[0] = root */
    int depth = 0, links = 0;
    stack[0] = root;
    char *p = rest;
    for (;;) {
        while (*p == '/') p++;
        if (!*p) break;
        char comp[256];
        size_t len = strcspn(p, "/");
        if (len >= sizeof comp) { errno = ENAMETOOLONG; die("volume destination", path); }
        memcpy(comp, p, len);
        comp[len] = 0;
        p += len;
        while (*p == '/') p++;
        int last = *p == 0;
        if (!strcmp(comp, ".")) continue;
        if (!strcmp(comp, "..")) { if (depth > 0) close(stack[depth--]); continue; }
        int cur = stack[depth];
        struct stat st;
        if (fstatat(cur, comp, &st, AT_SYMLINK_NOFOLLOW) < 0) {
            if (errno != ENOENT) die("stat volume destination", path);
            if (last && file) {
                int f = openat(cur, comp, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
                if (f < 0) die("create volume target", path);
                close(f);
            } else if (mkdirat(cur, comp, 0755) < 0) {
                die("mkdir volume target", path);
            }
            if (fstatat(cur, comp, &st, AT_SYMLINK_NOFOLLOW) < 0) die("stat volume destination", path);
        }
        if (S_ISLNK(st.st_mode)) {
            if (++links > 40) { errno = ELOOP; die("volume destination", path); }
            char target[4096];
            ssize_t n = readlinkat(cur, comp, target, sizeof target - 1);
            if (n < 0) die("readlink volume destination", path);
            target[n] = 0;
            /* rest = target + "/" + what was left after the link */
            char next[8192];
            if ((size_t)snprintf(next, sizeof next, "%s/%s", target, p) >= sizeof rest) { errno = ENAMETOOLONG; die("volume destination", path); }
            snprintf(rest, sizeof rest, "%s", next);
            p = rest;
            if (target[0] == '/') while (depth > 0) close(stack[depth--]);
            continue;
        }
        if (!last && !S_ISDIR(st.st_mode)) { errno = ENOTDIR; die("volume destination", path); }
        int fd = openat(cur, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) die("open volume destination", path);
        if (depth + 1 >= MAX_DEPTH) { errno = ENAMETOOLONG; die("volume destination", path); }
        stack[++depth] = fd;
    }
    int out = depth > 0 ? stack[depth--] : open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    while (depth > 0) close(stack[depth--]);
    if (out < 0) die("open volume destination", path);
    return out;
}

static void binds(struct config *c) {
    if (!c->nbinds) return;
    int root = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root < 0) die("open rootfs", c->rootfs);
    for (int k = 0; k < c->nbinds; k++) {
        const struct bind *b = &c->binds[k];
        struct stat st;
        if (stat(b->src, &st) < 0) die("bind source", b->src);
        int fd = open_in_root(root, b->dst, !S_ISDIR(st.st_mode));
        char target[64];
        snprintf(target, sizeof target, "/proc/self/fd/%d", fd);
        mnt(b->src, target, NULL, MS_BIND | MS_REC, NULL);
        close(fd);
        if (b->ro) {
            /* The fd named the dir under the new mount: resolve again to reach the mount itself. */
            fd = open_in_root(root, b->dst, !S_ISDIR(st.st_mode));
            snprintf(target, sizeof target, "/proc/self/fd/%d", fd);
            mnt(NULL, target, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC, NULL);
            close(fd);
        }
    }
    close(root);
}

void setup_rootfs(struct config *c) {
    /* Nothing we mount may propagate back to the host's mount table. */
    mnt(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
    if (c->nlowers) overlay(c);
    else mnt(c->rootfs, c->rootfs, NULL, MS_BIND | MS_REC, NULL);
    if (chdir(c->rootfs) < 0) die("chdir", c->rootfs);
    stamp(T_ROOTFS);

    mkdir_here("proc");
    mnt("proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    mkdir_here("sys");
    /* A fresh sysfs needs our own netns; when we share the host's, bind it read-only. */
    if (mount("sysfs", "sys", "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
        mnt("/sys", "sys", NULL, MS_BIND | MS_REC, NULL);
        mnt(NULL, "sys", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC, NULL);
    }
    dev(c);
    binds(c);
    c->fifo_fd = -1;
    if (c->start_fifo) {
        /* Opened by path while the host is still visible, used after pivot_root. */
        c->fifo_fd = open(c->start_fifo, O_PATH | O_CLOEXEC);
        if (c->fifo_fd < 0) die("open", c->start_fifo);
    }
    stamp(T_PROCDEV);

    /* pivot_root(".", ".") stacks the old root on top of the new one; the
       detach then removes it: no put_old directory is ever created in the rw
       layer and the host tree is unreachable (runc does the same). */
    if (syscall(SYS_pivot_root, ".", ".") < 0) die("pivot_root", c->rootfs);
    if (umount2(".", MNT_DETACH) < 0) die("umount old root", NULL);
    if (chdir("/") < 0) die("chdir", "/");
    stamp(T_PIVOT);

    finish_rootfs(c);
    stamp(T_MASKS);
}

static unsigned long vfs_flags(const char *p) {
    struct statvfs sv;
    unsigned long f = 0;
    if (statvfs(p, &sv) < 0) return MS_NOSUID | MS_NODEV | MS_NOEXEC;
    if (sv.f_flag & ST_NOSUID) f |= MS_NOSUID;
    if (sv.f_flag & ST_NODEV) f |= MS_NODEV;
    if (sv.f_flag & ST_NOEXEC) f |= MS_NOEXEC;
    return f;
}

/* After pivot_root: masked and read-only paths (missing ones are skipped, as in runc). */
void finish_rootfs(struct config *c) {
    for (int k = 0; k < c->nmasks; k++) {
        const char *p = c->masks[k];
        struct stat st;
        if (stat(p, &st) < 0) { if (errno == ENOENT) continue; die("stat", p); }
        if (S_ISDIR(st.st_mode)) mnt("tmpfs", p, "tmpfs", MS_RDONLY, "size=0");
        else mnt("/dev/null", p, NULL, MS_BIND, NULL);
    }
    for (int k = 0; k < c->nros; k++) {
        const char *p = c->ros[k];
        if (mount(p, p, NULL, MS_BIND | MS_REC, NULL) < 0) { if (errno == ENOENT) continue; die("mount", p); }
        mnt(NULL, p, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC | vfs_flags(p), NULL);
    }
}
