#ifndef ISOBENCH_NSEXEC_H
#define ISOBENCH_NSEXEC_H
/*
 * isobench-nsexec: the container engine's spawn shim. It holds no policy:
 * src/engine/spec/shim-args.ts decides every path, namespace, capability and
 * limit and passes them as argv flags (see main.c for the protocol). This file
 * is the parsed form shared by the files of the shim.
 */
#include <stdint.h>

#define MAX_ITEMS 64
#define SHIM_FAIL 125

struct device { const char *name; char type; unsigned major, minor, mode; };
struct bind { const char *src, *dst; int ro; };
/* One v2 device rule: BPF_DEVCG_DEV_* type, major/minor (-1 = any), BPF_DEVCG_ACC_* bits. */
struct device_rule { int type, major, minor, access; };

struct config {
    int trace;
    int clone_flags;          /* CLONE_NEW* created at clone (cgroup ns is unshared later) */
    int new_cgroupns;
    const char *lowers[MAX_ITEMS]; int nlowers;
    const char *upper, *work, *rootfs;
    const char *hostname;
    const char *cgroups[MAX_ITEMS]; int ncgroups;     /* dirs created by the parent */
    const char *cgjoins[MAX_ITEMS]; int ncgjoins;     /* files the child writes "0" (itself) to */
    const char *cgsets[MAX_ITEMS]; int ncgsets;       /* "FILE=VALUE", written by the parent */
    const char *masks[MAX_ITEMS]; int nmasks;
    const char *ros[MAX_ITEMS]; int nros;
    struct device devs[MAX_ITEMS]; int ndevs;
    struct bind binds[MAX_ITEMS]; int nbinds;
    uint64_t caps; int caps_given;
    int no_new_privs;
    int seccomp;              /* 1: install the default filter just before exec */
    const char *device_cgroup; /* v2: attach a device program built from dev_rules here */
    struct device_rule dev_rules[MAX_ITEMS]; int ndev_rules;
    int lo_up;
    char *env[256]; int nenv;
    const char *cwd;
    const char *pid_file, *exit_file, *start_fifo, *netns;
    int netns_fd, fifo_fd;
    int sync_fd;              /* write end held by the init until its set-up is done (-1: none) */
    int join_pid;             /* exec mode: setns into this container init */
    char **argv;
};

/* Trace stamps, CLOCK_MONOTONIC ns; the child inherits the parent's (copied memory). */
enum stamp { T_START, T_DIRS, T_CGROUP, T_CLONE, T_JOINCG, T_ROOTFS, T_PROCDEV, T_PIVOT, T_MASKS, T_NET, T_CAPS, T_EXEC, T_COUNT };
extern long long stamps[T_COUNT];
long long now_ns(void);
void stamp(enum stamp s);
void trace_print(int fd);

void die(const char *what, const char *arg) __attribute__((noreturn));
void write_file(const char *path, const char *value);
void mkdir_p(const char *path, unsigned mode);

int child_main(void *arg);
void setup_rootfs(struct config *c);
void finish_rootfs(struct config *c);
void drop_caps(const struct config *c);
void loopback_up(void);
void install_seccomp(void);
void harden_self(void);
struct bpf_insn;
int parse_device_rule(const char *spec, struct device_rule *r);
int build_device_program(const struct device_rule *rules, int n, struct bpf_insn *out);
void attach_device_program(const char *cgroup_dir, const struct device_rule *rules, int n);
int join_main(struct config *c);
#endif
