/*
 * The growable buffer: see buf.h.
 */
#include "base/buf.h"

#include "base/fmt.h"
#include "base/mem.h"

#include <math.h>
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

int msk_fixed(char *out, size_t outsz, double v, int decimals)
{
    static const double p10d[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
    static const unsigned long p10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
    if (decimals < 0 || decimals > 6 || !isfinite(v))
        return snprintf(out, outsz, "%.*f", decimals, v);
    double x = fabs(v) * p10d[decimals];
    if (!(x < 1e9))
        return snprintf(out, outsz, "%.*f", decimals, v);
    /* the product is within 1e-7 of the exact scaled value; away from a tie that decides */
    double fl = floor(x), fr = x - fl;
    if (fabs(fr - 0.5) < 1e-6)
        return snprintf(out, outsz, "%.*f", decimals, v);
    unsigned long t = (unsigned long)fl + (fr > 0.5);
    char d[32], *e = d + sizeof d, *q = e;
    unsigned long ip = t / p10[decimals], fp = t % p10[decimals];
    for (int i = 0; i < decimals; i++) {
        *--q = (char)('0' + fp % 10);
        fp /= 10;
    }
    if (decimals)
        *--q = '.';
    do {
        *--q = (char)('0' + ip % 10);
        ip /= 10;
    } while (ip);
    if (signbit(v))
        *--q = '-';
    size_t n = (size_t)(e - q);
    if (outsz) {
        size_t c = n < outsz ? n : outsz - 1;
        memcpy(out, q, c);
        out[c] = '\0';
    }
    return (int)n;
}

char *msk_num_fast(double v, int decimals, char *out, size_t outsz)
{
    if (!(v >= 0 && v < 1000) || signbit(v) || decimals < 0 || decimals > 6 || outsz < 64)
        return fmt_num(v, decimals, out, outsz);
    int n = msk_fixed(out, outsz, v, decimals); /* no sign, no thousands to group */
    if (n <= 0 || (size_t)n >= outsz || strspn(out, "0123456789") > 3)
        return fmt_num(v, decimals, out, outsz); /* 999,95 rounded up to 1 000,0 */
    char *dot = memchr(out, '.', (size_t)n);
    if (dot)
        *dot = ',';
    return out;
}

char *msk_pct_fast(double share, int decimals, char *out, size_t outsz)
{
    if (isnan(share) || isinf(share) || outsz < 64)
        return fmt_pct(share, decimals, out, outsz);
    msk_num_fast(share * 100.0, decimals, out, outsz);
    size_t n = strlen(out);
    if (n + 4 > outsz)
        return fmt_pct(share, decimals, out, outsz);
    memcpy(out + n, "\xC2\xA0%", 4);
    return out;
}
