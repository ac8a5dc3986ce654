/*
 * Cell values (header.h): numbers and integers as people type them, parsed by hand — the hot
 * path of an import, without locale or allocation.
 */
#include "ingest/header.h"
#include "ingest/header_internal.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- cell values (hot path: no allocation, no locale) ------------------------------------- */

/* "X", "Х", "x", "х", "-", "—", "–": the task was not attempted. Length or 0. */
static size_t x_len(const unsigned char *p)
{
    if (p[0] == 'X' || p[0] == 'x' || p[0] == '-')
        return 1;
    if ((p[0] == 0xD0 && p[1] == 0xA5) || (p[0] == 0xD1 && p[1] == 0x85))
        return 2;
    if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0x93 || p[2] == 0x94))
        return 3;
    return 0;
}

static const unsigned char *skip_blanks(const unsigned char *p)
{
    int sep;
    size_t b;
    while ((b = hdr_blank_len(p, &sep)) > 0)
        p += b;
    return p;
}

static const double P10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

int val_number(const char *cell, double *out)
{
    if (!cell)
        return VAL_EMPTY;
    /* one or two plain digits — nearly every task score and mark — read directly (the same
     * value the general path gives) */
    if (cell[0] >= '0' && cell[0] <= '9' &&
        (!cell[1] || (cell[1] >= '0' && cell[1] <= '9' && !cell[2]))) {
        if (out)
            *out = cell[1] ? (cell[0] - '0') * 10 + (cell[1] - '0') : cell[0] - '0';
        return 0;
    }
    const unsigned char *p = skip_blanks((const unsigned char *)cell);
    if (!*p)
        return VAL_EMPTY;
    size_t xl = x_len(p);
    if (xl && !*skip_blanks(p + xl))
        return VAL_X;
    int neg = 0;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    else if (p[0] == 0xE2 && p[1] == 0x88 && p[2] == 0x92) /* U+2212 minus */
        neg = 1, p += 3;
    uint64_t mant = 0;
    int exp10 = 0, ndigits = 0, grouped = 0, run = 0;
    /* integer part, with thousands separators between groups of three */
    for (;;) {
        if (*p >= '0' && *p <= '9') {
            if (mant <= (UINT64_MAX - 9) / 10)
                mant = mant * 10 + (uint64_t)(*p - '0');
            else if (exp10 < 100000)
                exp10++;
            p++, ndigits++, run++;
            continue;
        }
        int sep;
        size_t bl = hdr_blank_len(p, &sep);
        if (bl && sep && run > 0 && p[bl] >= '0' && p[bl] <= '9') {
            if (grouped ? run != 3 : run > 3)
                return -1;
            grouped = 1;
            run = 0;
            p += bl;
            continue;
        }
        break;
    }
    if (grouped && run != 3)
        return -1;
    if (*p == '.' || *p == ',') {
        p++;
        if (!(*p >= '0' && *p <= '9'))
            return -1;
        while (*p >= '0' && *p <= '9') {
            if (mant <= (UINT64_MAX - 9) / 10) {
                mant = mant * 10 + (uint64_t)(*p - '0');
                exp10--;
            }
            p++, ndigits++;
        }
    }
    if (ndigits == 0)
        return -1;
    if ((*p == 'e' || *p == 'E') && !grouped) { /* "1E-05" from a spreadsheet */
        p++;
        int eneg = 0, e = 0, nd = 0;
        if (*p == '-' || *p == '+')
            eneg = *p++ == '-';
        while (*p >= '0' && *p <= '9' && nd < 5)
            e = e * 10 + (*p++ - '0'), nd++;
        if (nd == 0 || (*p >= '0' && *p <= '9'))
            return -1;
        exp10 += eneg ? -e : e;
    }
    if (*skip_blanks(p))
        return -1;
    double v = (double)mant;
    if (mant != 0 && exp10 != 0) {
        if (exp10 > 0 && exp10 <= 22)
            v *= P10[exp10];
        else if (exp10 < 0 && exp10 >= -22)
            v /= P10[-exp10];
        else
            v *= pow(10.0, exp10);
    }
    if (!isfinite(v))
        return -1;
    if (out)
        *out = neg && v != 0 ? -v : v;
    return 0;
}

int val_int(const char *cell, long lo, long hi, long *out)
{
    double v;
    int rc = val_number(cell, &v);
    if (rc == VAL_EMPTY)
        return VAL_EMPTY;
    if (rc != 0 || v != floor(v) || v < -9.2e18 || v > 9.2e18)
        return -1;
    long l = (long)v;
    if (l < lo || l > hi)
        return -1;
    if (out)
        *out = l;
    return 0;
}

/* Trimmed, folded copy of a short cell for word comparisons; "" when blank, -1 when long. */
static int short_fold(const char *cell, char *out, size_t outsz)
{
    if (!cell)
        return -1;
    size_t n = hdr_lower_n(cell, strlen(cell), out, outsz);
    if (n == (size_t)-1 || (n == 0 && *skip_blanks((const unsigned char *)cell)))
        return -1; /* too long, or only invalid bytes */
    return 0;
}

static int in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return 1;
    return 0;
}

int val_bool(const char *cell, int *out)
{
    static const char *const YES[] = {"1",   "да",      "есть",    "+",     "true",
                                      "yes", "имеется", "имеются", "истина"};
    static const char *const NO[] = {"0",  "нет",         "-",           "false",
                                     "no", "отсутствует", "отсутствуют", "ложь"};
    char b[32];
    if (!cell)
        return VAL_EMPTY;
    if (short_fold(cell, b, sizeof b) < 0)
        return -1;
    if (!b[0])
        return VAL_EMPTY;
    int v;
    if (in_list(b, YES, sizeof YES / sizeof YES[0]))
        v = 1;
    else if (in_list(b, NO, sizeof NO / sizeof NO[0]))
        v = 0;
    else
        return -1;
    if (out)
        *out = v;
    return 0;
}

int val_is_absent(const char *cell)
{
    static const char *const ABSENT[] = {
        "отсутствовал", "отсутствовала", "отсутствует", "неявился",     "неявилась",
        "неявка",       "absent",        "ня",          "неучаствовал", "неучаствовала",
    };
    char b[48];
    if (!cell)
        return 0;
    /* every spelling is letters only, and normalising keeps digits: a cell with a digit is a
     * number or nothing of this list (the import asks this of every score and mark cell) */
    for (const char *q = cell; *q; q++)
        if (*q >= '0' && *q <= '9')
            return 0;
    hdr_normalize(cell, b, sizeof b);
    return in_list(b, ABSENT, sizeof ABSENT / sizeof ABSENT[0]);
}
