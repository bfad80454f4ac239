#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "check.h"

/*
 * Network view: the interfaces this environment has, and whether the host's
 * loopback listener answers on 127.0.0.1:PORT. The listener writes its token
 * on accept, so "connected + token" proves we reached the host's own socket
 * and not some other service that happens to use the port.
 */

static void list_interfaces(struct jline *j) {
    struct ifaddrs *ifa = NULL;
    j_key(j, "interfaces");
    if (getifaddrs(&ifa) != 0) {
        char err[64];
        snprintf(err, sizeof err, "error:%s", err_name(errno));
        j_quoted(j, err);
        return;
    }
    /* getifaddrs lists an interface once per address family: print each name once. */
    char seen[64][IF_NAMESIZE];
    int nseen = 0;
    j_raw(j, "[");
    for (struct ifaddrs *p = ifa; p; p = p->ifa_next) {
        int dup = 0;
        for (int i = 0; i < nseen; i++)
            if (strcmp(seen[i], p->ifa_name) == 0) dup = 1;
        if (dup || nseen >= 64) continue;
        snprintf(seen[nseen], IF_NAMESIZE, "%s", p->ifa_name);
        if (nseen++) j_raw(j, ",");
        j_quoted(j, p->ifa_name);
    }
    j_raw(j, "]");
    freeifaddrs(ifa);
}

/* Non-blocking connect with a bounded wait: a dropped SYN must not hang the probe. */
static const char *try_connect(int port, int timeout_ms, char *token_out, size_t cap) {
    static char result[64];
    token_out[0] = 0;
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (s < 0) {
        snprintf(result, sizeof result, "error:%s", err_name(errno));
        return result;
    }
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int rc = connect(s, (struct sockaddr *)&a, sizeof a);
    int err = rc == 0 ? 0 : errno;
    if (rc != 0 && err == EINPROGRESS) {
        struct pollfd pf = {s, POLLOUT, 0};
        int pr = poll(&pf, 1, timeout_ms);
        if (pr == 0) { close(s); return "timeout"; }
        socklen_t len = sizeof err;
        getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len);
    }
    if (err != 0) {
        close(s);
        if (err == ECONNREFUSED) return "refused";
        snprintf(result, sizeof result, "error:%s", err_name(err));
        return result;
    }
    struct pollfd pf = {s, POLLIN, 0};
    if (poll(&pf, 1, timeout_ms) > 0) {
        ssize_t n = read(s, token_out, cap - 1);
        if (n > 0) {
            token_out[n] = 0;
            char *nl = strchr(token_out, '\n');
            if (nl) *nl = 0;
        } else {
            token_out[0] = 0;
        }
    }
    close(s);
    return "connected";
}

void check_network(const struct check_facts *f) {
    struct jline j;
    j_begin(&j, "network");
    list_interfaces(&j);
    if (f->port <= 0) {
        j_str(&j, "skipped", "no --port given");
        j_end(&j);
        return;
    }
    j_int(&j, "port", f->port);
    char got[256];
    const char *r = try_connect(f->port, 1000, got, sizeof got);
    j_str(&j, "connect", r);
    if (strcmp(r, "connected") == 0)
        j_bool(&j, "listener_token", f->token && f->token[0] && strcmp(got, f->token) == 0);
    j_end(&j);
}
