#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "probe.h"

/*
 * exec [--prefix DIR] [--cwd DIR] [--user USER[:GROUP]] -- PROGRAM ARGS...
 * Runs a user's command the way the image's config asks: chdir to the
 * working directory, switch to the image's user (a name is looked up in the
 * image's own /etc/passwd and /etc/group, never the host's), then execve
 * with PATH searched inside the image. Static, so it works in any image
 * whatever its libc. --prefix is for the bare-host arm, where the image is
 * an unpacked directory rather than the root: paths of the image resolve
 * under it and PATH lists the image's dirs first.
 */

static const char *prefix = "";

static void joined(char *out, size_t n, const char *a, const char *b) {
    snprintf(out, n, "%s%s", a, b);
}

/* Field `idx` (0-based) of the colon-separated line whose first field is name; id fields for numeric input pass through. */
static int lookup_id(const char *file, const char *name, int want_field, long *out, long *gid_out) {
    char *end;
    long v = strtol(name, &end, 10);
    if (*name && *end == '\0' && v >= 0) { *out = v; return 0; }
    char path[4096];
    joined(path, sizeof path, prefix, file);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char line[1024];
    size_t len = strlen(name);
    int found = -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, name, len) != 0 || line[len] != ':') continue;
        /* name:passwd:ID:GID:... */
        char *p = line;
        for (int i = 0; i < want_field && p; i++) { p = strchr(p, ':'); if (p) p++; }
        if (!p) break;
        *out = strtol(p, &end, 10);
        if (gid_out) { char *q = strchr(p, ':'); if (q) *gid_out = strtol(q + 1, NULL, 10); }
        found = 0;
        break;
    }
    fclose(f);
    return found;
}

static int switch_user(const char *spec) {
    char user[256], *group = NULL;
    snprintf(user, sizeof user, "%s", spec);
    char *colon = strchr(user, ':');
    if (colon) { *colon = '\0'; group = colon + 1; }
    long uid = -1, gid = -1;
    if (lookup_id("/etc/passwd", user, 2, &uid, &gid) != 0) {
        fprintf(stderr, "isobench-probe exec: user \"%s\" is not in the image's /etc/passwd\n", user);
        return -1;
    }
    if (gid < 0) gid = 0;
    if (group && *group && lookup_id("/etc/group", group, 2, &gid, NULL) != 0) {
        fprintf(stderr, "isobench-probe exec: group \"%s\" is not in the image's /etc/group\n", group);
        return -1;
    }
    gid_t g = (gid_t)gid;
    if (setgroups(1, &g) != 0 || setgid(g) != 0 || setuid((uid_t)uid) != 0) {
        fprintf(stderr, "isobench-probe exec: cannot become %ld:%ld: %s\n", uid, gid, strerror(errno));
        return -1;
    }
    return 0;
}

/* PATH with every dir moved under the prefix (host arm), image dirs first. */
static void prefix_path(void) {
    const char *path = getenv("PATH");
    if (!*prefix || !path) return;
    size_t cap = strlen(path) * 2 + strlen(prefix) * 32 + 2;
    char *out = malloc(cap);
    if (!out) return;
    out[0] = '\0';
    char *copy = strdup(path);
    for (char *dir = strtok(copy, ":"); dir; dir = strtok(NULL, ":")) {
        if (dir[0] != '/') continue;
        size_t n = strlen(out);
        snprintf(out + n, cap - n, "%s%s%s", n ? ":" : "", prefix, dir);
    }
    size_t n = strlen(out);
    snprintf(out + n, cap - n, "%s%s", n ? ":" : "", path);
    setenv("PATH", out, 1);
    free(copy);
    free(out);
}

int cmd_exec(int argc, char **argv) {
    const char *cwd = NULL, *user = NULL;
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) { i++; break; }
        if (i + 1 >= argc) break;
        if (strcmp(argv[i], "--prefix") == 0) prefix = argv[++i];
        else if (strcmp(argv[i], "--cwd") == 0) cwd = argv[++i];
        else if (strcmp(argv[i], "--user") == 0) user = argv[++i];
        else break;
    }
    if (i >= argc) {
        fprintf(stderr, "usage: isobench-probe exec [--prefix DIR] [--cwd DIR] [--user USER[:GROUP]] -- PROGRAM ARGS...\n");
        return 2;
    }
    if (cwd) {
        char dir[4096];
        joined(dir, sizeof dir, prefix, cwd);
        if (chdir(dir) != 0) {
            fprintf(stderr, "isobench-probe exec: cannot enter the working directory %s: %s\n", cwd, strerror(errno));
            return 126;
        }
    }
    if (user && switch_user(user) != 0) return 126;
    prefix_path();
    const char *prog = argv[i];
    if (strchr(prog, '/') && prog[0] == '/' && *prefix) {
        static char full[4096];
        joined(full, sizeof full, prefix, prog);
        argv[i] = full;
        execv(full, argv + i);
    } else {
        execvp(prog, argv + i);
    }
    int err = errno;
    fprintf(stderr, "isobench-probe exec: cannot execute %s: %s\n", prog, strerror(err));
    return err == ENOENT ? 127 : 126;
}
