/*
 * The VM guest's network for network workloads (src/envs/vm/guest-net.ts is
 * the host side): with isobench.net=1 on the kernel command line, PID 1
 * loads the virtio-net modules shipped in /isobench/modules (in dependency
 * order; virtio_mmio gets the virtio_mmio.* parameters QEMU's microvm puts on
 * the command line, since only modprobe would pass those to a module), waits
 * for eth0 and gives it 10.0.2.15/24 (QEMU user networking, the host's
 * loopback is 10.0.2.2 on that link, so no route is needed). Runs after the
 * ready token, so the startup figure never includes it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "probe.h"

static void net_say(const char *s) { probe_write_all(2, s, strlen(s)); }

static int load_module(const char *name, const char *params) {
    char path[128];
    snprintf(path, sizeof path, "/isobench/modules/%s.ko", name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno == ENOENT ? 0 : -1; /* built into the kernel: nothing to load */
    int rc = (int)syscall(SYS_finit_module, fd, params, 0);
    int err = errno;
    close(fd);
    if (rc != 0 && err != EEXIST) {
        char msg[200];
        snprintf(msg, sizeof msg, "isobench-init: finit_module %s: %s\n", name, strerror(err));
        net_say(msg);
        return -1;
    }
    return 0;
}

/* "virtio_mmio.device=A virtio_mmio.device=B" on the cmdline -> "device=A device=B". */
static void mmio_params(const char *cmdline, char *out, size_t cap) {
    const char *prefix = "virtio_mmio.";
    size_t o = 0;
    out[0] = '\0';
    for (const char *p = cmdline; (p = strstr(p, prefix)) != NULL;) {
        if (p != cmdline && p[-1] != ' ') { p++; continue; }
        p += strlen(prefix);
        size_t n = strcspn(p, " \n");
        if (o + n + 2 < cap) {
            if (o) out[o++] = ' ';
            memcpy(out + o, p, n);
            o += n;
            out[o] = '\0';
        }
        p += n;
    }
}

static int if_set(int s, const char *ifname, const char *addr, const char *mask) {
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
    if (addr) {
        struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
        sin->sin_family = AF_INET;
        inet_pton(AF_INET, addr, &sin->sin_addr);
        if (ioctl(s, SIOCSIFADDR, &ifr) < 0) return -1;
        inet_pton(AF_INET, mask, &sin->sin_addr);
        if (ioctl(s, SIOCSIFNETMASK, &ifr) < 0) return -1;
    }
    if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) return -1;
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    return ioctl(s, SIOCSIFFLAGS, &ifr);
}

int probe_init_net(const char *cmdline) {
    if (!strstr(cmdline, "isobench.net=1")) return 0;
    char mmio[1024];
    mmio_params(cmdline, mmio, sizeof mmio);
    const char *mods[] = {"virtio_ring", "virtio", "virtio_mmio", "failover", "net_failover", "virtio_net"};
    for (size_t i = 0; i < sizeof mods / sizeof mods[0]; i++)
        if (load_module(mods[i], strcmp(mods[i], "virtio_mmio") == 0 ? mmio : "") != 0) return -1;
    /* The device is probed asynchronously after the module loads. */
    for (int i = 0; i < 500 && if_nametoindex("eth0") == 0; i++) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0 || if_set(s, "lo", "127.0.0.1", "255.0.0.0") < 0 || if_nametoindex("eth0") == 0 || if_set(s, "eth0", "10.0.2.15", "255.255.255.0") < 0) {
        char msg[160];
        snprintf(msg, sizeof msg, "isobench-init: network set-up failed: %s\n", if_nametoindex("eth0") ? strerror(errno) : "no eth0 (virtio-net device missing?)");
        net_say(msg);
        if (s >= 0) close(s);
        return -1;
    }
    close(s);
    return 0;
}
