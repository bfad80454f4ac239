#include <string.h>
#include <cpuid.h>
#include "check.h"

/*
 * CPUID as the environment's CPU reports it. Leaf 1 ECX bit 31 is set by
 * hypervisors for their guests; leaf 0x40000000 then names the hypervisor
 * ("KVMKVMKVM", "TCGTCGTCGTCG", "Microsoft Hv"). A container or chroot sees
 * exactly the host's answer (same CPU, same kernel); a VM sees its VMM's.
 */
void check_hypervisor(const struct check_facts *f) {
    (void)f;
    struct jline j;
    unsigned a, b, c, d;
    j_begin(&j, "hypervisor");
#if defined(__x86_64__) || defined(__i386__)
    int bit = __get_cpuid(1, &a, &b, &c, &d) ? (int)((c >> 31) & 1) : 0;
    j_bool(&j, "hypervisor_bit", bit);
    __cpuid(0x40000000, a, b, c, d);
    char vendor[13];
    memcpy(vendor + 0, &b, 4);
    memcpy(vendor + 4, &c, 4);
    memcpy(vendor + 8, &d, 4);
    vendor[12] = 0;
    /* Without a hypervisor the leaf is out of range and returns junk from the last basic leaf. */
    for (int i = 0; i < 12; i++)
        if (vendor[i] && (vendor[i] < 0x20 || vendor[i] > 0x7e)) vendor[i] = '?';
    j_str(&j, "vendor", bit ? vendor : NULL);
    unsigned regs[12];
    char brand[49];
    if (__get_cpuid(0x80000002, &regs[0], &regs[1], &regs[2], &regs[3])
        && __get_cpuid(0x80000003, &regs[4], &regs[5], &regs[6], &regs[7])
        && __get_cpuid(0x80000004, &regs[8], &regs[9], &regs[10], &regs[11])) {
        memcpy(brand, regs, 48);
        brand[48] = 0;
        char *s = brand;
        while (*s == ' ') s++;
        j_str(&j, "brand", s);
    }
#else
    j_str(&j, "error", "not x86");
#endif
    j_end(&j);
}
