/*
 * Session mode of the VM guest's init (isobench.session=1): one boot serves
 * many runs of a rate scenario. Host side: src/envs/vm/vm-session.ts and
 * src/envs/vm/cmdline.ts (encodeSessionCommand); the two must agree.
 *
 * After the usual setup, init prints the boot token (the "session ready"
 * marker), puts the console in raw mode without echo (the host's commands
 * must not come back in the output, and no byte may be taken as a signal or
 * a line edit), and then reads one command per line from the console:
 *
 *   isobench.run <TOKEN> <ARGV> <ENV|-> <CWD|->    (fields base64url like the
 *                                                   kernel parameters)
 *   isobench.halt                                  (or end of input)
 *
 * For a run it prints TOKEN, fork+execs the workload (stdout/stderr = the
 * console as in one-shot mode; stdin = /dev/null, so nothing the workload
 * or a process it leaves behind does can swallow the next command), waits,
 * prints "\nisobench.exit TOKEN <status>" and then resets the guest to what
 * the next run should find, as a fresh boot would: every other process is
 * killed, /tmp and /dev/shm are emptied, dirty data is synced. Only then is
 * the next line read, so that work is outside every run's exit figure (it
 * may delay the next run's token a little; rate figures come from the
 * workload's own output). halt: sync and reset (QEMU exits, -no-reboot).
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "init.h"

#define LINE_MAX_BYTES 65536

static void say(const char *s) { probe_write_all(1, s, strlen(s)); }

static void halt_guest(void) {
    sync();
    reboot(RB_AUTOBOOT);
    _exit(0);
}

/* Raw input, no echo; output processing (\n -> \r\n) stays as in one-shot mode. */
static void console_raw(void) {
    struct termios t;
    if (tcgetattr(0, &t) != 0) return;
    t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    t.c_iflag &= ~(tcflag_t)(IXON | IXOFF | ICRNL | INLCR | IGNCR | ISTRIP | BRKINT | INPCK | PARMRK);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    tcsetattr(0, TCSANOW, &t);
}

static char inbuf[LINE_MAX_BYTES];
static size_t inlen;

/* Next line without its '\n' (NUL-terminated in place), or NULL at end of input. */
static char *read_line(void) {
    static size_t consumed;
    if (consumed) {
        memmove(inbuf, inbuf + consumed, inlen - consumed);
        inlen -= consumed;
        consumed = 0;
    }
    for (;;) {
        char *nl = memchr(inbuf, '\n', inlen);
        if (nl) {
            *nl = '\0';
            consumed = (size_t)(nl - inbuf) + 1;
            if (nl > inbuf && nl[-1] == '\r') nl[-1] = '\0';
            return inbuf;
        }
        if (inlen == sizeof inbuf) {
            say("isobench-init: session command longer than 64 KiB: ignored\n");
            inlen = 0;
        }
        ssize_t n = read(0, inbuf + inlen, sizeof inbuf - inlen);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return NULL;
        inlen += (size_t)n;
    }
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st;
    if (ftw->level == 0) return 0; /* the directory itself stays */
    if (flag == FTW_DP) rmdir(path);
    else unlink(path);
    return 0;
}

/* Empties dir without leaving its filesystem (FTW_MOUNT) or following links (FTW_PHYS). */
static void empty_dir(const char *dir) {
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

static void reset_guest(void) {
    kill(-1, SIGKILL); /* everything but init itself */
    while (waitpid(-1, NULL, 0) > 0 || errno == EINTR) {}
    empty_dir("/tmp");
    empty_dir("/dev/shm");
    sync();
}

static int field(char **p, char **out) {
    while (**p == ' ') (*p)++;
    if (!**p) return -1;
    *out = *p;
    while (**p && **p != ' ') (*p)++;
    if (**p) *(*p)++ = '\0';
    return 0;
}

static void run_command(char *line) {
    char *tag, *token, *argvb64, *envb64, *cwdb64;
    if (field(&line, &tag) != 0 || strcmp(tag, "isobench.run") != 0 || field(&line, &token) != 0
        || field(&line, &argvb64) != 0 || field(&line, &envb64) != 0 || field(&line, &cwdb64) != 0) {
        say("isobench-init: not a session command (want: isobench.run TOKEN ARGV ENV CWD)\n");
        return;
    }
    static char *args[INIT_MAX_ITEMS + 1], *envs[INIT_MAX_ITEMS + 1];
    char line_out[400];
    snprintf(line_out, sizeof line_out, "%s\n", token);
    say(line_out);
    char **wargv = init_decode_list(argvb64, args);
    char *const default_env[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/", "TERM=dumb", NULL };
    char **wenv = strcmp(envb64, "-") == 0 ? (char **)default_env : init_decode_list(envb64, envs);
    size_t cwdlen = 0;
    char *cwd = strcmp(cwdb64, "-") == 0 ? NULL : init_b64decode(cwdb64, &cwdlen);
    int status = 125;
    if (!wargv || !wargv[0] || !wenv) {
        say("isobench-init: session command fields are not base64url of NUL-terminated lists\n");
    } else {
        pid_t pid = fork();
        if (pid < 0) say("isobench-init: fork failed\n");
        if (pid == 0) {
            int null = open("/dev/null", O_RDONLY);
            if (null >= 0) { dup2(null, 0); if (null > 0) close(null); }
            if (chdir(cwd ? cwd : "/") != 0) { perror(cwd ? cwd : "/"); _exit(125); }
            execve(wargv[0], wargv, wenv);
            char msg[300];
            snprintf(msg, sizeof msg, "isobench-init: cannot execute %s: %s\n", wargv[0], strerror(errno));
            say(msg);
            _exit(127);
        }
        while (pid > 0) {
            int st;
            pid_t r = waitpid(-1, &st, 0);
            if (r < 0 && errno == EINTR) continue;
            if (r < 0) break;
            if (r == pid) { status = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 255; break; }
        }
    }
    snprintf(line_out, sizeof line_out, "\nisobench.exit %s %d\n", token, status);
    say(line_out);
    free(cwd);
    /* The list buffers of init_decode_list are malloc'd: free them with the vectors. */
    if (wargv && wargv[0]) free(wargv[0]);
    if (wenv && wenv != (char **)default_env && wenv[0]) free(wenv[0]);
    reset_guest();
}

void init_session(const char *boot_token) {
    console_raw();
    char ready[300];
    snprintf(ready, sizeof ready, "%s\n", boot_token ? boot_token : "-");
    say(ready);
    for (;;) {
        char *line = read_line();
        if (!line || strcmp(line, "isobench.halt") == 0) halt_guest();
        if (!*line) continue;
        run_command(line);
    }
}
