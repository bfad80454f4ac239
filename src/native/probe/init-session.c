/*
 * Session mode of the VM guest's init (isobench.session=1): one boot serves
 * many runs of a rate scenario, through the reader of session-loop.c. Host
 * side: src/envs/vm/vm-session.ts.
 *
 * The console is put in raw mode without echo first: the host's commands
 * must not come back in the output, and no byte may be taken as a signal or
 * a line edit. Between runs the guest is reset as a fresh boot would find
 * it: every other process is killed, /tmp and /dev/shm are emptied, dirty
 * data is synced. halt: sync and reset (QEMU exits, -no-reboot).
 */
#include <errno.h>
#include <signal.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "init.h"
#include "session.h"

__attribute__((noreturn)) static void halt_guest(void) {
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

static void reset_guest(void) {
    kill(-1, SIGKILL); /* everything but init itself */
    while (waitpid(-1, NULL, 0) > 0 || errno == EINTR) {}
    session_empty_dir("/tmp");
    session_empty_dir("/dev/shm");
    sync();
}

void init_session(const char *boot_token) {
    static char *default_env[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/", "TERM=dumb", NULL };
    static const struct session_mode vm = { .reset = reset_guest, .halt = halt_guest, .default_env = default_env };
    console_raw();
    session_loop(boot_token, &vm);
}
