#ifndef ISOBENCH_SESSION_H
#define ISOBENCH_SESSION_H
/* The session protocol's reader (session-loop.c) and what each mode plugs into it. */

struct session_mode {
    /* After each run, before the next command is read: back to what a fresh instance would show. */
    void (*reset)(void);
    /* isobench.halt or end of input. */
    void (*halt)(void) __attribute__((noreturn));
    /* The environment of a run whose ENV field is "-". */
    char **default_env;
    /* Watch stdin while a run is in flight: its end (the harness closed it, or died) kills the run and halts. */
    int halt_on_hangup;
};

/* Prints ready_token, then runs stdin's commands until halt. Never returns. */
void session_loop(const char *ready_token, const struct session_mode *mode) __attribute__((noreturn));
/* Empties dir without leaving its filesystem (FTW_MOUNT) or following links (FTW_PHYS); dir itself stays. */
void session_empty_dir(const char *dir);
#endif
