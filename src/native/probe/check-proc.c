#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <signal.h>
#include <dirent.h>
#include <ctype.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include "check.h"

/* Can this environment see the host's sentinel process and its SysV shm segment? */

static int count_proc_pids(void) {
    DIR *d = opendir("/proc");
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (isdigit((unsigned char)e->d_name[0])) n++;
    closedir(d);
    return n;
}

void check_processes(const struct check_facts *f) {
    struct jline j;
    j_begin(&j, "processes");
    j_int(&j, "visible_pids", count_proc_pids());
    if (f->pid <= 0) {
        j_str(&j, "skipped", "no --pid given");
        j_end(&j);
        return;
    }
    j_int(&j, "pid", f->pid);
    /* kill(pid, 0) sends nothing: it only asks whether the PID exists in our PID namespace. */
    if (kill((pid_t)f->pid, 0) == 0) j_str(&j, "kill0", "ok");
    else j_str(&j, "kill0", err_name(errno));
    char path[64], cmd[4096];
    snprintf(path, sizeof path, "/proc/%ld/cmdline", f->pid);
    long n = read_small(path, cmd, sizeof cmd);
    if (n < 0) {
        j_str(&j, "cmdline_error", err_name((int)-n));
        j_bool(&j, "cmdline_token", 0);
    } else {
        for (long i = 0; i < n; i++)
            if (cmd[i] == 0) cmd[i] = ' ';
        cmd[n] = 0;
        /* The same PID number may exist in another namespace: only the token proves it is ours. */
        j_bool(&j, "cmdline_token", f->token && f->token[0] && strstr(cmd, f->token) != NULL);
    }
    j_end(&j);
}

void check_ipc(const struct check_facts *f) {
    struct jline j;
    j_begin(&j, "ipc");
    if (f->shm_key < 0) {
        j_str(&j, "skipped", "no --shm-key given");
        j_end(&j);
        return;
    }
    j_int(&j, "key", f->shm_key);
    /* size 0, no flags: look the key up, never create it. */
    int id = shmget((key_t)f->shm_key, 0, 0);
    if (id >= 0) {
        j_str(&j, "shmget", "ok");
        j_int(&j, "shmid", id);
    } else {
        j_str(&j, "shmget", err_name(errno));
    }
    j_end(&j);
}
