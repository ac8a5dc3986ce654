/*
 * Error values for people: see err.h.
 */
#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void msk_err_clear(msk_err *e)
{
    if (!e)
        return;
    e->msg[0] = '\0';
    e->file[0] = '\0';
    e->row = 0;
    e->col = 0;
}

static void set_msg(msk_err *e, const char *fmt, va_list ap)
{
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
}

int msk_error(msk_err *e, const char *fmt, ...)
{
    if (!e)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    set_msg(e, fmt, ap);
    va_end(ap);
    return -1;
}

int msk_error_at(msk_err *e, const char *file, int64_t row, int col, const char *fmt, ...)
{
    if (!e)
        return -1;
    snprintf(e->file, sizeof e->file, "%s", file ? file : "");
    e->row = row;
    e->col = col;
    va_list ap;
    va_start(ap, fmt);
    set_msg(e, fmt, ap);
    va_end(ap);
    return -1;
}

void msk_err_format(const msk_err *e, char *out, size_t outsz)
{
    if (!outsz)
        return;
    out[0] = '\0';
    if (!e)
        return;
    size_t n = 0;
    if (e->file[0]) {
        int k = snprintf(out, outsz, "%s:", e->file);
        n = k > 0 ? (size_t)k : 0;
        if (n < outsz && e->row > 0) {
            k = snprintf(out + n, outsz - n, "%lld:", (long long)e->row);
            n += k > 0 ? (size_t)k : 0;
            if (n < outsz && e->col > 0) {
                k = snprintf(out + n, outsz - n, "%d:", e->col);
                n += k > 0 ? (size_t)k : 0;
            }
        }
        if (n < outsz) {
            k = snprintf(out + n, outsz - n, " ");
            n += k > 0 ? (size_t)k : 0;
        }
    }
    if (n < outsz)
        snprintf(out + n, outsz - n, "%s", e->msg[0] ? e->msg : "неизвестная ошибка");
}

_Noreturn void msk_assert_fail(const char *what, const char *file, int line)
{
    fprintf(stderr, "msoko: internal error: assertion '%s' failed at %s:%d\n", what, file, line);
    abort();
}
