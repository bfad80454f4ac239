#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/stat.h>
#include "probe.h"
#include "check.h"

/*
 * check [all | NAME...] [--pid N] [--token T] [--shm-key K] [--port P]
 *       [--sentinel PATH] [--sentinel-token T] [--scratch DIR] [--mem-limit-mib N]
 * check sentinel|shm-create|shm-remove ...   (host-side helper modes)
 */
struct named_check {
    const char *name;
    check_fn fn;
};

/* Order = order of the evidence lines; writing checks come after the read-only ones. */
static const struct named_check CHECKS[] = {
    {"namespaces", check_namespaces},
    {"kernel", check_kernel},
    {"hypervisor", check_hypervisor},
    {"processes", check_processes},
    {"root", check_root},
    {"network", check_network},
    {"hostname", check_hostname},
    {"ipc", check_ipc},
    {"mounts", check_mounts},
    {"chroot-escape", check_chroot_escape},
    {"privileges", check_privileges},
    {"masked-paths", check_masked_paths},
    {"devices", check_devices},
    {"syscalls", check_syscalls},
    {"cgroup-escape", check_cgroup_escape},
    {"host-binary", check_host_binary},
    {"memory-limit", check_memory_limit},
};
#define NCHECKS (sizeof CHECKS / sizeof CHECKS[0])

static int usage(void) {
    fprintf(stderr,
        "usage: isobench-probe check [all|NAME...] [--facts k=v,...] [--pid N] [--token T] [--shm-key K] [--port P]\n"
        "         [--sentinel PATH] [--sentinel-token T] [--scratch DIR] [--mem-limit-mib N]\n"
        "       isobench-probe check sentinel --token T [--shm-key K] [--max-seconds S]\n"
        "       isobench-probe check shm-create KEY | shm-remove KEY\n"
        "checks:");
    for (size_t i = 0; i < NCHECKS; i++) fprintf(stderr, " %s", CHECKS[i].name);
    fprintf(stderr, " (cpuid = hypervisor)\n");
    return 2;
}

static int parse_long(const char *s, long *out) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 0);
    if (errno || *s == 0 || *end != 0) return -1;
    *out = v;
    return 0;
}

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Percent-decodes in place (the harness encodes '/', ',', '=' and '%'). */
static void percent_decode(char *s) {
    char *w = s;
    for (char *r = s; *r; r++) {
        if (r[0] == '%' && hexval(r[1]) >= 0 && hexval(r[2]) >= 0) {
            *w++ = (char)(hexval(r[1]) * 16 + hexval(r[2]));
            r += 2;
        } else {
            *w++ = *r;
        }
    }
    *w = 0;
}

static int set_fact(struct check_facts *f, const char *name, const char *v);

/*
 * --facts k=v,k=v: every host fact in one argument whose values are
 * percent-encoded. One argument with no leading '/' passes unchanged through
 * every backend (the host arm rewrites image paths in argv; a VM passes argv
 * through its kernel command line).
 */
static int parse_facts(struct check_facts *f, const char *text) {
    char *copy = strdup(text);
    if (!copy) return -1;
    for (char *item = strtok(copy, ","); item; item = strtok(NULL, ",")) {
        char *eq = strchr(item, '=');
        if (!eq) return -1;
        *eq = 0;
        char *v = eq + 1;
        percent_decode(v);
        char opt[64];
        snprintf(opt, sizeof opt, "--%s", item);
        /* Values must outlive this function: copy is deliberately never freed. */
        if (set_fact(f, opt, v) != 0) return -1;
    }
    return 0;
}

static const struct named_check *find_check(const char *name) {
    if (strcmp(name, "cpuid") == 0) name = "hypervisor";
    for (size_t i = 0; i < NCHECKS; i++)
        if (strcmp(CHECKS[i].name, name) == 0) return &CHECKS[i];
    return NULL;
}

/* The scratch dir must be new: a pre-existing path could be anything, so we never write into it. */
static void make_scratch(struct check_facts *f) {
    if (!f->scratch) return;
    if (f->scratch[0] != '/') {
        fprintf(stderr, "isobench-probe check: --scratch must be absolute\n");
        return;
    }
    if (mkdir(f->scratch, 0700) == 0) f->scratch_ok = 1;
    else fprintf(stderr, "isobench-probe check: cannot create scratch %s: %s\n", f->scratch, strerror(errno));
}

static int set_fact(struct check_facts *f, const char *a, const char *v) {
    long n;
    if (strcmp(a, "--pid") == 0 && parse_long(v, &n) == 0) f->pid = n;
    else if (strcmp(a, "--token") == 0) f->token = v;
    else if (strcmp(a, "--shm-key") == 0 && parse_long(v, &n) == 0) f->shm_key = n;
    else if (strcmp(a, "--port") == 0 && parse_long(v, &n) == 0 && n > 0 && n < 65536) f->port = (int)n;
    else if (strcmp(a, "--sentinel") == 0) f->sentinel_path = v;
    else if (strcmp(a, "--sentinel-token") == 0) f->sentinel_token = v;
    else if (strcmp(a, "--scratch") == 0) f->scratch = v;
    else if (strcmp(a, "--mem-limit-mib") == 0 && parse_long(v, &n) == 0 && n >= 0) f->mem_limit_mib = n;
    else if (strcmp(a, "--loop") == 0) {
        if (sscanf(v, "%ld:%ld", &f->loop_major, &f->loop_minor) != 2) return -1;
    }
    else if (strcmp(a, "--loop-token") == 0) f->loop_token = v;
    else if (strcmp(a, "--cgsentinel") == 0) f->cg_sentinel = v;
    else if (strcmp(a, "--hostbin") == 0) {
        /* DEV:INO+DEV:INO... */
        for (const char *p = v; *p && f->nhostbin < 8; ) {
            unsigned long long dev, ino;
            int used = 0;
            if (sscanf(p, "%llu:%llu%n", &dev, &ino, &used) != 2) return -1;
            f->hostbin[f->nhostbin].dev = dev;
            f->hostbin[f->nhostbin].ino = ino;
            f->nhostbin++;
            p += used;
            if (*p == '+') p++;
        }
    }
    else return -1;
    return 0;
}

int cmd_check(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "sentinel") == 0) return check_sentinel_main(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "shm-create") == 0) return check_shm_create_main(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "shm-remove") == 0) return check_shm_remove_main(argc - 1, argv + 1);

    struct check_facts f = {.pid = -1, .shm_key = -1, .port = 0, .mem_limit_mib = 0, .loop_major = -1, .loop_minor = -1};
    const struct named_check *selected[NCHECKS];
    size_t nsel = 0;
    int all = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strncmp(a, "--", 2) == 0) {
            if (!v) return usage();
            i++;
            if (strcmp(a, "--facts") == 0 ? parse_facts(&f, v) != 0 : set_fact(&f, a, v) != 0) {
                fprintf(stderr, "isobench-probe check: bad option %s %s\n", a, v);
                return usage();
            }
        } else if (strcmp(a, "all") == 0) {
            all = 1;
        } else {
            const struct named_check *c = find_check(a);
            if (!c) {
                fprintf(stderr, "isobench-probe check: unknown check '%s'\n", a);
                return usage();
            }
            if (nsel < NCHECKS) selected[nsel++] = c;
        }
    }
    if (all || nsel == 0) {
        nsel = 0;
        for (size_t i = 0; i < NCHECKS; i++) selected[nsel++] = &CHECKS[i];
    }
    make_scratch(&f);
    for (size_t i = 0; i < nsel; i++) selected[i]->fn(&f);
    /* Each writing check removed its own entries; an rmdir failure here means one did not. */
    if (f.scratch_ok && rmdir(f.scratch) != 0)
        fprintf(stderr, "isobench-probe check: scratch %s not empty after checks: %s\n", f.scratch, strerror(errno));
    return 0;
}
