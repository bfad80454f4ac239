#include <errno.h>
#include <linux/capability.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "nsexec.h"

/*
 * Keeps exactly c->caps: dropped from the bounding set (so no exec can get
 * them back), from effective/permitted (capset), inheritable cleared and the
 * ambient set cleared (containerd's defaults since CVE-2022-24769).
 */
void drop_caps(const struct config *c) {
    if (!c->caps_given) return;
    for (int cap = 0; cap <= 63; cap++) {
        if (c->caps & (1ULL << cap)) continue;
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
            if (errno == EINVAL) break;  /* past the kernel's last capability */
            die("PR_CAPBSET_DROP", NULL);
        }
    }
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof data);
    data[0].effective = data[0].permitted = (unsigned)(c->caps & 0xffffffffULL);
    data[1].effective = data[1].permitted = (unsigned)(c->caps >> 32);
    if (syscall(SYS_capset, &hdr, data) < 0) die("capset", NULL);
}

void loopback_up(void) {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) die("socket", NULL);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) die("SIOCGIFFLAGS", "lo");
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) die("SIOCSIFFLAGS", "lo");
    close(s);
}
