#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "probe.h"

/*
 * ready TOKEN [-- PROGRAM ARGS...]
 * Writes "TOKEN\n" with one write(2) as its very first action (the startup
 * figure ends when the harness sees it), then execs PROGRAM so the workload
 * keeps our PID (PID 1 in a container) and our stdio.
 */
int cmd_ready(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: isobench-probe ready TOKEN [-- PROGRAM ARGS...]\n");
        return 2;
    }
    char line[256];
    size_t n = strlen(argv[1]);
    if (n > sizeof line - 2) n = sizeof line - 2;
    memcpy(line, argv[1], n);
    line[n++] = '\n';
    if (probe_write_all(1, line, n) != 0) return 1;
    int i = 2;
    if (i < argc && strcmp(argv[i], "--") == 0) i++;
    if (i >= argc) return 0;
    execv(argv[i], argv + i);
    perror(argv[i]);
    return 127;
}
