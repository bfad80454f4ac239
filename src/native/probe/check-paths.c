#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include "check.h"

/*
 * Masked and read-only kernel interfaces, and device access. Nothing here
 * writes to a kernel file: writability is judged by access(W_OK) and the
 * filesystem's ST_RDONLY flag. /proc/sysrq-trigger is only ever access()ed.
 */

/* "readable:N" (bytes read, at most 64), "empty", "dir:N entries", or "error:ENAME". */
static void describe_readable(const char *path, char *out, size_t cap) {
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(out, cap, "error:%s", err_name(errno));
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (!d) { snprintf(out, cap, "dir-error:%s", err_name(errno)); return; }
        int n = 0;
        struct dirent *e;
        while ((e = readdir(d)) != NULL)
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
        closedir(d);
        snprintf(out, cap, n ? "dir:%d" : "empty-dir", n);
        return;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) { snprintf(out, cap, "error:%s", err_name(errno)); return; }
    char buf[64];
    ssize_t n = read(fd, buf, sizeof buf);
    int e = errno;
    close(fd);
    if (n < 0) snprintf(out, cap, "read-error:%s", err_name(e));
    else if (n == 0) snprintf(out, cap, S_ISCHR(st.st_mode) ? "empty-chardev" : "empty");
    else snprintf(out, cap, "readable:%zd", n);
}

/* "rw", "ro" (EROFS or ST_RDONLY), or "error:ENAME"; never opens for writing. */
static void describe_writable(const char *path, char *out, size_t cap) {
    struct statvfs vfs;
    int ro_fs = statvfs(path, &vfs) == 0 && (vfs.f_flag & ST_RDONLY);
    if (access(path, W_OK) == 0) snprintf(out, cap, ro_fs ? "ro" : "rw");
    else if (errno == EROFS || ro_fs) snprintf(out, cap, "ro");
    else snprintf(out, cap, "error:%s", err_name(errno));
}

static const char *const MASKED[] = {"/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sched_debug", "/sys/firmware"};
/* /proc/sys itself is a directory procfs never lets anyone write; a file under it tells. */
static const char *const READONLY[] = {"/proc/sys/kernel/hostname", "/proc/sysrq-trigger", "/sys/kernel"};

/* Writes KEY:{"path":"description",...} for each path, described by fn. */
static void paths_object(struct jline *j, const char *key, const char *const *paths, size_t n,
                         void (*describe)(const char *, char *, size_t)) {
    char desc[96];
    j_key(j, key);
    j_raw(j, "{");
    for (size_t i = 0; i < n; i++) {
        if (i) j_raw(j, ",");
        describe(paths[i], desc, sizeof desc);
        j_quoted(j, paths[i]);
        j_raw(j, ":");
        j_quoted(j, desc);
    }
    j_raw(j, "}");
}

void check_masked_paths(const struct check_facts *f) {
    (void)f;
    struct jline j;
    j_begin(&j, "masked-paths");
    paths_object(&j, "read", MASKED, sizeof MASKED / sizeof MASKED[0], describe_readable);
    paths_object(&j, "write", READONLY, sizeof READONLY / sizeof READONLY[0], describe_writable);
    j_end(&j);
}

/* mknod a char node in scratch, open it with `flags` (never read or written), unlink it. */
static void try_node(struct jline *j, const char *scratch, const char *tag, unsigned maj, unsigned min, int flags) {
    char node[4096], key[32];
    snprintf(node, sizeof node, "%s/node-%s", scratch, tag);
    snprintf(key, sizeof key, "mknod_%s", tag);
    if (mknod(node, S_IFCHR | 0600, makedev(maj, min)) != 0) {
        j_str(j, key, err_name(errno));
        return;
    }
    j_str(j, key, "ok");
    snprintf(key, sizeof key, "open_%s", tag);
    int fd = open(node, flags | O_CLOEXEC | O_NOCTTY);
    if (fd >= 0) { j_str(j, key, "ok"); close(fd); }
    else j_str(j, key, err_name(errno));
    if (unlink(node) != 0) {
        snprintf(key, sizeof key, "unlink_%s", tag);
        j_str(j, key, err_name(errno));
    }
}

/* mknod the sentinel loop device, read its first bytes, compare with the token. */
static void try_loop(struct jline *j, const struct check_facts *f) {
    char node[4096];
    snprintf(node, sizeof node, "%s/node-loop", f->scratch);
    if (mknod(node, S_IFBLK | 0600, makedev((unsigned)f->loop_major, (unsigned)f->loop_minor)) != 0) {
        j_str(j, "mknod_loop", err_name(errno));
        return;
    }
    j_str(j, "mknod_loop", "ok");
    int fd = open(node, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) j_str(j, "open_loop", err_name(errno));
    else {
        j_str(j, "open_loop", "ok");
        char buf[256];
        ssize_t n = read(fd, buf, sizeof buf - 1);
        if (n < 0) j_str(j, "read_loop", err_name(errno));
        else {
            buf[n] = 0;
            size_t tl = f->loop_token ? strlen(f->loop_token) : 0;
            j_str(j, "read_loop", tl && strncmp(buf, f->loop_token, tl) == 0 ? "token" : "other-data");
        }
        close(fd);
    }
    if (unlink(node) != 0) j_str(j, "unlink_loop", err_name(errno));
}

void check_devices(const struct check_facts *f) {
    struct jline j;
    j_begin(&j, "devices");
    DIR *d = opendir("/dev");
    j_key(&j, "dev");
    if (!d) {
        char err[64];
        snprintf(err, sizeof err, "error:%s", err_name(errno));
        j_quoted(&j, err);
    } else {
        /* Names only (no recursion); a host has hundreds, a container a handful. */
        int n = 0;
        struct dirent *e;
        j_raw(&j, "[");
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            if (n < 60) {
                if (n) j_raw(&j, ",");
                j_quoted(&j, e->d_name);
            }
            n++;
        }
        j_raw(&j, "]");
        closedir(d);
        j_int(&j, "dev_count", n);
    }
    if (!f->scratch_ok) {
        j_str(&j, "skipped_mknod", "no fresh scratch dir");
        j_end(&j);
        return;
    }
    /*
     * Two nodes. 1:3 (/dev/null) is on every container runtime's allow-list:
     * it shows whether mknod itself is permitted. 1:11 (/dev/kmsg) is not on
     * the allow-list: opening it (read-only, never read) shows whether the
     * device controller stops a container from using arbitrary host devices.
     */
    try_node(&j, f->scratch, "null", 1, 3, O_RDWR);
    try_node(&j, f->scratch, "kmsg", 1, 11, O_RDONLY | O_NONBLOCK);
    /* Host devices an attacker wants: opened read-only, closed at once, never read. */
    try_node(&j, f->scratch, "kvm", 10, 232, O_RDONLY | O_NONBLOCK);
    try_node(&j, f->scratch, "mem", 1, 1, O_RDONLY | O_NONBLOCK);
    /* The harness's sentinel block device: reading its token = reading host data. */
    if (f->loop_major >= 0) try_loop(&j, f);
    else j_str(&j, "loop", "no sentinel block device");
    j_end(&j);
}
