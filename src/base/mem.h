/*
 * Allocation that cannot return NULL. Running out of memory is treated like a bug (abort with
 * a message), as git's xmalloc does: no caller can do better, and every caller stays simple.
 * Sizes are checked for overflow before multiplying (curl curl_easy_escape).
 */
#ifndef MSK_MEM_H
#define MSK_MEM_H

#include <stddef.h>

void *msk_malloc(size_t n);
void *msk_calloc(size_t count, size_t size);
void *msk_realloc(void *p, size_t n);
/* realloc for an array of count elements of size bytes, overflow-checked. */
void *msk_reallocarray(void *p, size_t count, size_t size);
char *msk_strdup(const char *s);
char *msk_strndup(const char *s, size_t n);

#endif
