/* What main.c (one timed run) and serve.c (many, asked for on stdin) share. */
#ifndef ISOBENCH_TIMER_H
#define ISOBENCH_TIMER_H
#include <stddef.h>
#include <sys/types.h>

#define TIMER_FAIL 125

struct timed_run {
    const char *token;
    long timeout_ms, settle_us;
    int quiet;          /* --quiet-until-exit */
    char **argv;
    char **envp;        /* NULL: ours, and argv[0] is looked up in our PATH */
    const char *path;   /* with envp: the program to execve, already looked up */
    int stdin_fd;       /* >= 0: the program's stdin (--serve: /dev/null); -1: ours */
    int ctl_fd;         /* >= 0: watched while the program runs (--serve: requests) */
};

extern volatile pid_t child_pid;
extern const char *serve_id;
extern int quiet;

void timed_run(const struct timed_run *r);
void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void write_all(int fd, const char *p, size_t len);
void die(const char *what) __attribute__((noreturn));
void install_signals(void);
void signal_child(int sig);

int serve(void);
int serve_control(void);
void serve_frame(char kind, const char *p, size_t n);

#endif
