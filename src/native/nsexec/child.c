#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "nsexec.h"

extern char **environ;

/*
 * The container init, PID 1 of the new pid namespace. Order matters:
 * cgroups are joined before the cgroup namespace is unshared (its root is
 * the cgroup we are in at that moment), mounts happen before pivot_root,
 * masks after it (they need the container's /dev/null), capabilities are
 * dropped last because every earlier step needs CAP_SYS_ADMIN.
 */
int child_main(void *arg) {
    struct config *c = arg;
    stamp(T_CLONE);
    /* If the shim dies the container dies with it: nothing outlives a killed harness. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    /* Device and directory modes are exactly what the engine asked for (the
       program itself gets the usual 0022 just before exec). */
    umask(0);
    for (int k = 0; k < c->ncgjoins; k++) write_file(c->cgjoins[k], "0");
    if (c->new_cgroupns && unshare(CLONE_NEWCGROUP) < 0) die("unshare cgroup ns", NULL);
    if (c->netns_fd >= 0 && setns(c->netns_fd, CLONE_NEWNET) < 0) die("setns net", c->netns);
    stamp(T_JOINCG);

    setup_rootfs(c);  /* overlay, /proc, /sys, /dev, binds; pivot_root; masks */

    if (c->hostname && sethostname(c->hostname, strlen(c->hostname)) < 0) die("sethostname", c->hostname);
    if (c->lo_up) loopback_up();
    stamp(T_NET);

    /* Set-up done: one byte tells the shim (it then publishes our pid); a
       failure before this point closes the pipe without it. */
    if (c->sync_fd >= 0) {
        if (write(c->sync_fd, "1", 1) != 1) die("write sync pipe", NULL);
        close(c->sync_fd);
    }
    if (c->fifo_fd >= 0) {
        /* `start` opens the fifo for reading; until then we wait here, set up but not running. */
        char self[64];
        snprintf(self, sizeof self, "/proc/self/fd/%d", c->fifo_fd);
        int w = open(self, O_WRONLY | O_CLOEXEC);
        if (w < 0) die("open start fifo", NULL);
        if (write(w, "0", 1) != 1) die("write start fifo", NULL);
        close(w);
        close(c->fifo_fd);
    }
    if (chdir(c->cwd ? c->cwd : "/") < 0) die("chdir", c->cwd);

    /* Without no_new_privs only CAP_SYS_ADMIN may load a filter: before the drop, then. */
    if (c->seccomp && !c->no_new_privs) install_seccomp();
    drop_caps(c);
    if (c->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) die("no_new_privs", NULL);
    stamp(T_CAPS);

    if (c->trace) { stamp(T_EXEC); trace_print(2); }
    /* Only stdio crosses into the container. */
    if (syscall(SYS_close_range, 3U, ~0U, 0U) < 0) {
        for (int fd = 3; fd < 1024; fd++) close(fd);
    }
    umask(022);
    if (c->seccomp && c->no_new_privs) install_seccomp();
    environ = c->env;
    execvp(c->argv[0], c->argv);
    int e = errno;
    fprintf(stderr, "isobench-nsexec: exec %s: %s\n", c->argv[0], strerror(e));
    _exit(e == ENOENT ? 127 : 126);
}
