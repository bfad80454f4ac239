#ifndef ISOBENCH_CHECK_H
#define ISOBENCH_CHECK_H
/*
 * Isolation checks (`isobench-probe check ...`). Every check prints exactly
 * one JSON object on one line to stdout: {"check":"<name>", ...evidence}.
 * The probe reports raw observations only; comparing them with the host's
 * facts and with the seed's claims is done by the harness (src/probe), so
 * the same evidence line can be re-judged without re-running anything.
 *
 * Safety: the checks that write (mount, mknod, chroot escape) touch only
 * entries they create inside `scratch`, a directory the probe itself creates
 * (it refuses to reuse an existing one) and removes at the end.
 */
#include <stddef.h>

/* Host facts handed over by the harness (absent ones are NULL / -1). */
struct check_facts {
    long pid;                   /* sentinel process on the host */
    const char *token;          /* token in the sentinel's command line */
    long shm_key;               /* SysV shm key created on the host; -1 = none */
    int port;                   /* loopback listener on the host; 0 = none */
    const char *sentinel_path;  /* file outside the image, absolute host path */
    const char *sentinel_token; /* its content */
    const char *scratch;        /* fresh scratch dir for writing checks */
    int scratch_ok;             /* 1 once the probe created `scratch` */
    long mem_limit_mib;         /* configured memory limit; 0 = none */
    long loop_major, loop_minor; /* sentinel block device (read-only loop over a file); -1 = none */
    const char *loop_token;     /* what its first bytes hold */
    const char *cg_sentinel;    /* name of the empty cgroup the harness made at every hierarchy's root */
    struct { unsigned long long dev, ino; } hostbin[8]; /* engine/sentinel binaries on the host */
    int nhostbin;
};

/* A JSON line under construction; fixed size, truncation is reported. */
struct jline {
    char buf[8192];
    size_t len;
    int first;
    int truncated;
};

void j_begin(struct jline *j, const char *check);
void j_str(struct jline *j, const char *key, const char *val);
void j_int(struct jline *j, const char *key, long long val);
void j_bool(struct jline *j, const char *key, int val);
void j_null(struct jline *j, const char *key);
/* Appends key: then a raw JSON fragment built with j_frag_* helpers. */
void j_key(struct jline *j, const char *key);
void j_raw(struct jline *j, const char *text);
void j_quoted(struct jline *j, const char *val);
/* Writes the line (with the closing brace and a newline) to stdout. */
void j_end(struct jline *j);

/* "ENOENT", "EPERM", ... for an errno value. */
const char *err_name(int e);
/* Reads up to cap-1 bytes of a file into buf (NUL-terminated); -errno on failure. */
long read_small(const char *path, char *buf, size_t cap);
/* Strips one trailing newline in place. */
void chomp(char *s);

typedef void (*check_fn)(const struct check_facts *f);

void check_namespaces(const struct check_facts *f);
void check_kernel(const struct check_facts *f);
void check_hostname(const struct check_facts *f);
void check_root(const struct check_facts *f);
void check_hypervisor(const struct check_facts *f);
void check_processes(const struct check_facts *f);
void check_ipc(const struct check_facts *f);
void check_network(const struct check_facts *f);
void check_mounts(const struct check_facts *f);
void check_chroot_escape(const struct check_facts *f);
void check_privileges(const struct check_facts *f);
void check_masked_paths(const struct check_facts *f);
void check_devices(const struct check_facts *f);
void check_memory_limit(const struct check_facts *f);
void check_syscalls(const struct check_facts *f);
void check_cgroup_escape(const struct check_facts *f);
void check_host_binary(const struct check_facts *f);

/* Helper modes of `check` used by the harness on the host. */
int check_sentinel_main(int argc, char **argv);
int check_shm_create_main(int argc, char **argv);
int check_shm_remove_main(int argc, char **argv);
#endif
