#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include "probe.h"
#include "check.h"

static void put(struct jline *j, const char *s, size_t n) {
    /* Keep 4 bytes for the closing "}\n" and the NUL. */
    if (j->len + n + 4 > sizeof j->buf) {
        j->truncated = 1;
        return;
    }
    memcpy(j->buf + j->len, s, n);
    j->len += n;
    j->buf[j->len] = 0;
}

static void puts_(struct jline *j, const char *s) { put(j, s, strlen(s)); }

void j_quoted(struct jline *j, const char *val) {
    put(j, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)val; *p; p++) {
        char esc[8];
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\'; esc[1] = (char)*p;
            put(j, esc, 2);
        } else if (*p < 0x20 || *p == 0x7f) {
            /* Control bytes (e.g. NULs turned into spaces by callers, tabs) are escaped. */
            snprintf(esc, sizeof esc, "\\u%04x", *p);
            put(j, esc, 6);
        } else if (*p >= 0x80) {
            /* Not guaranteed UTF-8 (file contents): escape as code points of bytes. */
            snprintf(esc, sizeof esc, "\\u%04x", *p);
            put(j, esc, 6);
        } else {
            put(j, (const char *)p, 1);
        }
    }
    put(j, "\"", 1);
}

void j_key(struct jline *j, const char *key) {
    if (!j->first) put(j, ",", 1);
    j->first = 0;
    j_quoted(j, key);
    put(j, ":", 1);
}

void j_begin(struct jline *j, const char *check) {
    j->len = 0;
    j->buf[0] = 0;
    j->first = 1;
    j->truncated = 0;
    put(j, "{", 1);
    j_str(j, "check", check);
}

void j_str(struct jline *j, const char *key, const char *val) {
    j_key(j, key);
    if (val) j_quoted(j, val); else puts_(j, "null");
}

void j_int(struct jline *j, const char *key, long long val) {
    char num[32];
    snprintf(num, sizeof num, "%lld", val);
    j_key(j, key);
    puts_(j, num);
}

void j_bool(struct jline *j, const char *key, int val) {
    j_key(j, key);
    puts_(j, val ? "true" : "false");
}

void j_null(struct jline *j, const char *key) {
    j_key(j, key);
    puts_(j, "null");
}

void j_raw(struct jline *j, const char *text) { puts_(j, text); }

void j_end(struct jline *j) {
    if (j->truncated) {
        /* The closing bytes were reserved, so this always fits. */
        const char *t = ",\"truncated\":true";
        if (j->len + strlen(t) + 3 <= sizeof j->buf) { memcpy(j->buf + j->len, t, strlen(t)); j->len += strlen(t); }
    }
    j->buf[j->len++] = '}';
    j->buf[j->len++] = '\n';
    fflush(stdout);
    probe_write_all(1, j->buf, j->len);
}

const char *err_name(int e) {
    const char *n = strerrorname_np(e);
    return n ? n : "EUNKNOWN";
}

long read_small(const char *path, char *buf, size_t cap) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -errno;
    size_t got = 0;
    while (got + 1 < cap) {
        ssize_t n = read(fd, buf + got, cap - 1 - got);
        if (n < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            close(fd);
            return -e;
        }
        if (n == 0) break;
        got += (size_t)n;
    }
    buf[got] = 0;
    close(fd);
    return (long)got;
}

void chomp(char *s) {
    size_t n = strlen(s);
    if (n > 0 && s[n - 1] == '\n') s[n - 1] = 0;
}
