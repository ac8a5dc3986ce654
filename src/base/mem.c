/*
 * Allocation wrappers: see mem.h.
 */
#include "base/mem.h"

#include "base/err.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Noreturn void oom(size_t n)
{
    fprintf(stderr, "msoko: недостаточно памяти (запрошено %zu байт)\n", n);
    abort();
}

void *msk_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *msk_calloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        oom(count * size);
    return p;
}

void *msk_realloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

void *msk_reallocarray(void *p, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        oom(SIZE_MAX);
    return msk_realloc(p, count * size);
}

char *msk_strdup(const char *s)
{
    return msk_strndup(s, strlen(s));
}

char *msk_strndup(const char *s, size_t n)
{
    char *p = msk_malloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}
