#ifndef ISOBENCH_INIT_H
#define ISOBENCH_INIT_H
/* Shared by the VM guest's init (init.c) and its session mode (init-session.c). */
#include <stddef.h>
#include "probe.h"

#define INIT_MAX_ITEMS 256

/* base64url (also accepts + and /) into a fresh malloc'd, NUL-terminated buffer; NULL on bad input. */
char *init_b64decode(const char *s, size_t *len);
/* Decodes a base64url list of NUL-terminated items into vec (NULL-terminated; vec[0] is the malloc'd buffer). */
char **init_decode_list(const char *b64, char **vec);
/* Session mode (init-session.c): prints boot_token, then runs the console's commands until halt. Never returns. */
void init_session(const char *boot_token) __attribute__((noreturn));
#endif
