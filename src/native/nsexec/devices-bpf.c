#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/bpf.h>
#include "nsexec.h"

/*
 * cgroup v2 has no devices controller: device access is decided by a
 * BPF_PROG_TYPE_CGROUP_DEVICE program attached to the cgroup. This builds
 * one from the --device-allow rules (what the v1 devices.allow lines say)
 * and attaches it to the container's cgroup before the init joins it.
 *
 * Per rule: type must match, the requested access must be a subset of the
 * rule's, major and minor must match unless wildcards; the first matching
 * rule allows (return 1); no match denies (return 0).
 */
#define INSN(c, d, s, o, i) ((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })

int parse_device_rule(const char *spec, struct device_rule *r) {
    /* TYPE:MAJOR:MINOR:ACCESS, '*' for any major/minor, e.g. c:1:3:rwm, c:*:*:m */
    char type, maj[16], min[16], acc[8];
    if (sscanf(spec, "%c:%15[^:]:%15[^:]:%7s", &type, maj, min, acc) != 4) return -1;
    if (type != 'c' && type != 'b') return -1;
    r->type = type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK;
    r->major = strcmp(maj, "*") ? (int)strtol(maj, NULL, 10) : -1;
    r->minor = strcmp(min, "*") ? (int)strtol(min, NULL, 10) : -1;
    r->access = 0;
    for (const char *a = acc; *a; a++) {
        if (*a == 'r') r->access |= BPF_DEVCG_ACC_READ;
        else if (*a == 'w') r->access |= BPF_DEVCG_ACC_WRITE;
        else if (*a == 'm') r->access |= BPF_DEVCG_ACC_MKNOD;
        else return -1;
    }
    return 0;
}

/* Returns the number of instructions written to out (cap >= 5 + 8 * nrules). */
int build_device_program(const struct device_rule *rules, int n, struct bpf_insn *out) {
    int k = 0;
    out[k++] = INSN(BPF_LDX | BPF_MEM | BPF_W, BPF_REG_2, BPF_REG_1, 0, 0);   /* r2 = access_type */
    out[k++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_3, BPF_REG_2, 0, 0); /* r3 = r2 */
    out[k++] = INSN(BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_3, 0, 0, 0xffff);    /* r3 = device type */
    out[k++] = INSN(BPF_ALU64 | BPF_RSH | BPF_K, BPF_REG_2, 0, 0, 16);        /* r2 = access */
    out[k++] = INSN(BPF_LDX | BPF_MEM | BPF_W, BPF_REG_4, BPF_REG_1, 4, 0);   /* r4 = major */
    out[k++] = INSN(BPF_LDX | BPF_MEM | BPF_W, BPF_REG_5, BPF_REG_1, 8, 0);   /* r5 = minor */
    for (int i = 0; i < n; i++) {
        const struct device_rule *r = &rules[i];
        int len = 4 + (r->major >= 0) + (r->minor >= 0) + 2;   /* this rule's block */
        int at = 0;
#define SKIP (len - at - 1)                                      /* to the next rule's block */
        out[k++] = INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_3, 0, (short)SKIP, r->type); at++;
        out[k++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_0, BPF_REG_2, 0, 0); at++;
        out[k++] = INSN(BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_0, 0, 0, ~r->access & 0x7); at++;
        out[k++] = INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_0, 0, (short)SKIP, 0); at++;
        if (r->major >= 0) { out[k++] = INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_4, 0, (short)SKIP, r->major); at++; }
        if (r->minor >= 0) { out[k++] = INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_5, 0, (short)SKIP, r->minor); at++; }
#undef SKIP
        out[k++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 1);
        out[k++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
    }
    out[k++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0);
    out[k++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
    return k;
}

/* Loads the program and attaches it to the cgroup dir (BPF_F_ALLOW_MULTI: a parent's program still applies too). */
void attach_device_program(const char *cgroup_dir, const struct device_rule *rules, int n) {
    static struct bpf_insn prog[8 + 8 * MAX_ITEMS];
    int len = build_device_program(rules, n, prog);
    static char log[4096];
    union bpf_attr load;
    memset(&load, 0, sizeof load);
    load.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
    load.insns = (unsigned long)prog;
    load.insn_cnt = (unsigned)len;
    load.license = (unsigned long)"GPL";
    load.log_buf = (unsigned long)log;
    load.log_size = sizeof log;
    load.log_level = 1;
    int pfd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &load, sizeof load);
    if (pfd < 0) {
        /* Retry without a log: a verifier log too small for the program is an error of its own. */
        load.log_buf = 0; load.log_size = 0; load.log_level = 0;
        pfd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &load, sizeof load);
        if (pfd < 0) die("load the device BPF program", log[0] ? log : NULL);
    }
    int cfd = open(cgroup_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (cfd < 0) die("open cgroup", cgroup_dir);
    union bpf_attr at;
    memset(&at, 0, sizeof at);
    at.target_fd = (unsigned)cfd;
    at.attach_bpf_fd = (unsigned)pfd;
    at.attach_type = BPF_CGROUP_DEVICE;
    at.attach_flags = BPF_F_ALLOW_MULTI;
    if (syscall(SYS_bpf, BPF_PROG_ATTACH, &at, sizeof at) < 0) die("attach the device BPF program to", cgroup_dir);
    /* The attachment holds the program; it goes when the cgroup is removed. */
    close(cfd);
    close(pfd);
}
