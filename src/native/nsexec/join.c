#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "nsexec.h"

extern char **environ;
int wait_and_exit(pid_t pid);

/*
 * Exec mode (`bench ctr exec`): enter the namespaces and cgroups of a running
 * container init, then fork (a pid namespace applies to children only) and
 * exec with the same capability set and no_new_privs as the init. The mount
 * namespace is entered last: after it the host paths are gone.
 */
int join_main(struct config *c) {
    static const char *order[] = { "cgroup", "ipc", "uts", "net", "pid", "mnt" };
    int fds[6];
    for (int k = 0; k < 6; k++) {
        char p[64];
        snprintf(p, sizeof p, "/proc/%d/ns/%s", c->join_pid, order[k]);
        fds[k] = open(p, O_RDONLY | O_CLOEXEC);
        if (fds[k] < 0) die("open", p);
    }
    /* Joined before the fork: the child inherits the cgroups. */
    for (int k = 0; k < c->ncgjoins; k++) write_file(c->cgjoins[k], "0");
    for (int k = 0; k < 6; k++) {
        if (setns(fds[k], 0) < 0) die("setns", order[k]);
        close(fds[k]);
    }
    pid_t pid = fork();
    if (pid < 0) die("fork", NULL);
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (chdir(c->cwd ? c->cwd : "/") < 0) die("chdir", c->cwd);
        /* Without no_new_privs only CAP_SYS_ADMIN may load a filter: before the drop, then. */
        if (c->seccomp && !c->no_new_privs) install_seccomp();
        drop_caps(c);
        if (c->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) die("no_new_privs", NULL);
        if (syscall(SYS_close_range, 3U, ~0U, 0U) < 0) for (int fd = 3; fd < 1024; fd++) close(fd);
        umask(022);
        if (c->seccomp && c->no_new_privs) install_seccomp();
        environ = c->env;
        execvp(c->argv[0], c->argv);
        int e = errno;
        fprintf(stderr, "isobench-nsexec: exec %s: %s\n", c->argv[0], strerror(e));
        _exit(e == ENOENT ? 127 : 126);
    }
    return wait_and_exit(pid);
}
