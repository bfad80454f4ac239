#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "check.h"

/* Mount table and the classic chroot escape. Both write only inside f->scratch. */

static long count_lines(const char *path) {
    FILE *fp = fopen(path, "re");
    if (!fp) return -errno;
    long n = 0;
    int ch;
    while ((ch = fgetc(fp)) != EOF)
        if (ch == '\n') n++;
    fclose(fp);
    return n;
}

void check_mounts(const struct check_facts *f) {
    struct jline j;
    j_begin(&j, "mounts");
    long n = count_lines("/proc/self/mountinfo");
    if (n >= 0) j_int(&j, "mountinfo_lines", n);
    else j_str(&j, "mountinfo_error", err_name((int)-n));
    if (!f->scratch_ok) {
        j_str(&j, "skipped_mount", "no fresh scratch dir");
        j_end(&j);
        return;
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/mnt", f->scratch);
    if (mkdir(dir, 0700) != 0) {
        j_str(&j, "mkdir", err_name(errno));
        j_end(&j);
        return;
    }
    /* A tiny tmpfs, nosuid/nodev/noexec: even if the unmount failed it could not hide anything. */
    if (mount("isobench-check", dir, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=64k") == 0) {
        j_str(&j, "tmpfs_mount", "ok");
        if (umount2(dir, 0) == 0) j_str(&j, "umount", "ok");
        else {
            j_str(&j, "umount", err_name(errno));
            if (umount2(dir, MNT_DETACH) == 0) j_str(&j, "umount_detach", "ok");
        }
    } else {
        j_str(&j, "tmpfs_mount", err_name(errno));
    }
    if (rmdir(dir) != 0) j_str(&j, "rmdir", err_name(errno));
    j_end(&j);
}

/* Reads the sentinel: absent / present (token matches or not). Never writes. */
static void look_at_sentinel(const struct check_facts *f, char *out, size_t cap) {
    struct stat st;
    if (stat(f->sentinel_path, &st) != 0) {
        snprintf(out, cap, "absent:%s", err_name(errno));
        return;
    }
    char buf[256];
    long n = read_small(f->sentinel_path, buf, sizeof buf);
    if (n < 0) {
        snprintf(out, cap, "present-unreadable:%s", err_name((int)-n));
        return;
    }
    chomp(buf);
    int match = f->sentinel_token && strcmp(buf, f->sentinel_token) == 0;
    snprintf(out, cap, "%s", match ? "present-token" : "present-other");
}

/*
 * The child: chroot into scratch/x while keeping its cwd outside it, walk
 * ".." up to the real root of the mount namespace and chroot there. In a
 * plain chroot that is the host's "/". The child only stats and reads, then
 * reports through a pipe and exits; the probe's own root never changes.
 */
static void escape_child(const struct check_facts *f, const char *inner, int wfd) {
    char res[256];
    if (chdir(f->scratch) != 0 || chroot(inner) != 0) {
        snprintf(res, sizeof res, "chroot-failed:%s", err_name(errno));
        (void)!write(wfd, res, strlen(res));
        _exit(0);
    }
    for (int i = 0; i < 64; i++)
        if (chdir("..") != 0) break;
    if (chroot(".") != 0) {
        snprintf(res, sizeof res, "rechroot-failed:%s", err_name(errno));
        (void)!write(wfd, res, strlen(res));
        _exit(0);
    }
    look_at_sentinel(f, res, sizeof res);
    (void)!write(wfd, res, strlen(res));
    _exit(0);
}

void check_chroot_escape(const struct check_facts *f) {
    struct jline j;
    j_begin(&j, "chroot-escape");
    if (!f->sentinel_path || f->sentinel_path[0] != '/') {
        j_str(&j, "skipped", "no --sentinel given");
        j_end(&j);
        return;
    }
    j_str(&j, "sentinel", f->sentinel_path);
    char direct[256];
    look_at_sentinel(f, direct, sizeof direct);
    j_str(&j, "direct", direct);
    if (!f->scratch_ok) {
        j_str(&j, "skipped_escape", "no fresh scratch dir");
        j_end(&j);
        return;
    }
    char inner[4096];
    snprintf(inner, sizeof inner, "%s/x", f->scratch);
    if (mkdir(inner, 0700) != 0) {
        j_str(&j, "mkdir", err_name(errno));
        j_end(&j);
        return;
    }
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) {
        j_str(&j, "pipe", err_name(errno));
        rmdir(inner);
        j_end(&j);
        return;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        escape_child(f, inner, p[1]);
    }
    close(p[1]);
    char res[256] = "";
    if (pid < 0) {
        snprintf(res, sizeof res, "fork-failed:%s", err_name(errno));
    } else {
        size_t got = 0;
        ssize_t n;
        while (got + 1 < sizeof res && (n = read(p[0], res + got, sizeof res - 1 - got)) > 0) got += (size_t)n;
        res[got] = 0;
        int st;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
        if (got == 0) snprintf(res, sizeof res, "child-died");
    }
    close(p[0]);
    j_str(&j, "escaped", res);
    if (rmdir(inner) != 0) j_str(&j, "rmdir", err_name(errno));
    j_end(&j);
}
