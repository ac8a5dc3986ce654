/*
 * The growable buffer: see buf.h.
 */
#include "base/buf.h"

#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void msk_buf_init(msk_buf *b, size_t max)
{
    b->cap = 64;
    b->data = msk_malloc(b->cap);
    b->data[0] = '\0';
    b->len = 0;
    b->max = max;
    b->failed = 0;
}

void msk_buf_release(msk_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void msk_buf_reset(msk_buf *b)
{
    b->len = 0;
    b->data[0] = '\0';
    b->failed = 0;
}

static int grow(msk_buf *b, size_t extra)
{
    if (b->failed)
        return -1;
    if (extra > (size_t)-1 / 2 - b->len || (b->max && b->len + extra > b->max)) {
        b->failed = 1;
        return -1;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap;
    while (cap < need)
        cap *= 2;
    b->data = msk_realloc(b->data, cap);
    b->cap = cap;
    return 0;
}

int msk_buf_add(msk_buf *b, const void *p, size_t n)
{
    if (grow(b, n))
        return -1;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int msk_buf_puts(msk_buf *b, const char *s)
{
    return msk_buf_add(b, s, strlen(s));
}

int msk_buf_putc(msk_buf *b, char c)
{
    return msk_buf_add(b, &c, 1);
}

int msk_buf_vprintf(msk_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, cp);
    va_end(cp);
    if (n < 0) {
        b->data[b->len] = '\0';
        b->failed = 1;
        return -1;
    }
    if ((size_t)n < b->cap - b->len) {
        if (b->max && b->len + (size_t)n > b->max) {
            b->data[b->len] = '\0';
            b->failed = 1;
            return -1;
        }
        b->len += (size_t)n;
        return 0;
    }
    if (grow(b, (size_t)n)) {
        b->data[b->len] = '\0';
        return -1;
    }
    vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int msk_buf_printf(msk_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = msk_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

void msk_buf_truncate(msk_buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->data[len] = '\0';
    }
}

char *msk_buf_detach(msk_buf *b, size_t *len)
{
    char *p = b->data;
    if (len)
        *len = b->len;
    msk_buf_init(b, b->max);
    return p;
}
