/*
 * XLSX reader, the sheet (see xlsx_internal.h): rows and cells as expat callbacks, which the
 * pull scanner (xlsx_scan.c) drives the same way.
 */
#include "ingest/xlsx_internal.h"

#include "base/buf.h"
#include "base/mem.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the sheet reader --------------------------------------------------------------------- */

/* The sheet's handlers get &xr->c as user data (every handler's user data starts with an
 * xml_ctx); the reader itself starts with its tbl_reader. */
static xlsx_reader *reader_of(void *ud)
{
    return (xlsx_reader *)((char *)ud - offsetof(xlsx_reader, c));
}

void xlsx_sheet_fail(xlsx_reader *xr, const char *fmt, ...)
{
    char msg[MSK_ERR_MSG];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    xlsx_ctx_fail(&xr->c, xr->xrow, xr->in_c ? (int)xr->col + 1 : 0, "%s", msg);
}

/* "C7", "$C$7", "AB" -> column 2 (0-based) and row 7 (0 when absent). Returns 0, or -1 for a
 * reference that is not one or lies beyond XFD / row 1048576. */
int xlsx_parse_ref(const char *s, size_t n, size_t *col, int64_t *row)
{
    size_t i = 0, c = 0, letters = 0;
    int64_t r = 0;
    if (i < n && s[i] == '$')
        i++;
    for (; i < n && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z')); i++) {
        if (++letters > 3)
            return -1;
        c = c * 26 + (size_t)((s[i] | 0x20) - 'a' + 1);
    }
    if (!letters || c > XLSX_MAX_COLS)
        return -1;
    if (i < n && s[i] == '$')
        i++;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
        r = r * 10 + (s[i] - '0');
        if (r > XLSX_MAX_ROWS)
            return -1;
    }
    if (i != n)
        return -1;
    *col = c - 1;
    *row = r;
    return 0;
}

static void XMLCALL sheet_text(void *ud, const XML_Char *s, int len)
{
    xlsx_reader *xr = reader_of(ud);
    if (!xr->c.failed && msk_buf_add(&xr->val, s, (size_t)len))
        xlsx_sheet_fail(xr, "значение ячейки длиннее 1 МиБ");
}

/* r: the row's r attribute (the first whose local name is r), or NULL. */
static void row_start(xlsx_reader *xr, const char *r)
{
    int64_t v = xr->lastrow + 1;
    if (r) {
        size_t i = 0;
        v = 0;
        for (; r[i] >= '0' && r[i] <= '9' && v <= XLSX_MAX_ROWS; i++)
            v = v * 10 + (r[i] - '0');
        if (r[i] || v < 1 || v > XLSX_MAX_ROWS) {
            xr->xrow = 0;
            xlsx_sheet_fail(xr, "неверный номер строки «%.40s»", r);
            return;
        }
        if (v <= xr->lastrow) {
            xr->xrow = v;
            xlsx_sheet_fail(xr,
                            "строка %lld записана после строки %lld: строки листа не по порядку",
                            (long long)v, (long long)xr->lastrow);
            return;
        }
    }
    xr->xrow = v;
    if (v > XLSX_MAX_ROWS) {
        xlsx_sheet_fail(xr, "в листе больше %d строк", XLSX_MAX_ROWS);
        return;
    }
    xr->in_row = 1;
    xr->next_col = 0;
    xr->noff = 0;
    msk_buf_reset(&xr->rowdata);
    msk_buf_add(&xr->rowdata, "", 1);
}

/* r, t, s: the cell's attributes of exactly those names, or NULL. */
static void cell_start(xlsx_reader *xr, const char *r, const char *t, const char *s)
{
    xr->in_is = 0;
    xr->rph = 0;
    xr->col = xr->next_col;
    if (r) {
        int64_t row;
        if (xlsx_parse_ref(r, strnlen(r, 16), &xr->col, &row)) {
            xlsx_sheet_fail(xr, "неверная ссылка на ячейку «%.40s»", r);
            return;
        }
    }
    if (xr->col >= XLSX_MAX_COLS) {
        xlsx_sheet_fail(xr, "в строке больше %d столбцов", XLSX_MAX_COLS);
        return;
    }
    xr->in_c = 1; /* from here on, messages name the column */
    xr->next_col = xr->col + 1;
    xr->ctype = CT_NUM;
    if (t) {
        if (!strcmp(t, "s"))
            xr->ctype = CT_SST;
        else if (!strcmp(t, "inlineStr"))
            xr->ctype = CT_INLINE;
        else if (!strcmp(t, "b"))
            xr->ctype = CT_BOOL;
        else if (!strcmp(t, "e"))
            xr->ctype = CT_ERR;
        else if (!strcmp(t, "d"))
            xr->ctype = CT_DATE;
        else if (strcmp(t, "n"))
            xr->ctype = CT_STR;
    }
    xr->cstyle = s ? (size_t)xlsx_parse_ulong(s) : 0;
    msk_buf_reset(&xr->val);
}

/* s[0..n) as a double, the text being NUL-terminated at n. Returns 0, or -1 if not a finite
 * number. */
static int parse_double(const xlsx_reader *xr, const char *s, size_t n, double *out)
{
    char *end;
    if (!n)
        return -1;
    double v = strtod_l(s, &end, xr->cloc);
    if (end == s)
        return -1;
    while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
        end++;
    if (end != s + n || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

static void put_double(const xlsx_reader *xr, msk_buf *b, double v)
{
    char tmp[48];
    if (v == 0) {
        msk_buf_putc(b, '0');
        return;
    }
    if (v == trunc(v) && fabs(v) < 9007199254740992.0) { /* 2^53: every integer is exact */
        snprintf(tmp, sizeof tmp, "%.0f", v);
    } else {
        locale_t old = uselocale(xr->cloc);
        for (int prec = 15; prec <= 17; prec++) {
            snprintf(tmp, sizeof tmp, "%.*g", prec, v);
            if (strtod_l(tmp, NULL, xr->cloc) == v)
                break;
        }
        uselocale(old);
    }
    msk_buf_puts(b, tmp);
}

/* The shortest text of a plain decimal s[0..n) ("12.50" -> "12.5", "007" -> "7", "-0" -> "0")
 * into out[0..56), NUL-terminated. Returns its length, or 0 when s is not a plain decimal of at
 * most 15 significant digits: such a decimal is already the shortest round-trip text once its
 * leading and trailing zeros go (15 digits survive a round trip through a double, so no
 * shorter decimal names the same double). This runs for most cells of most sheets. */
static size_t num_fast(const char *s, size_t n, char *out)
{
    size_t i = 0, ib, ie, fb, fe, z, k = 0;
    int neg = 0;
    if (n >= 48)
        return 0;
    if (i < n && s[i] == '-') {
        neg = 1;
        i++;
    }
    for (ib = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
        ;
    ie = fb = fe = i;
    if (i < n && s[i] == '.') {
        for (fb = ++i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
            ;
        fe = i;
    }
    if (ie == ib || i != n)
        return 0;
    while (ib < ie && s[ib] == '0')
        ib++;
    while (fe > fb && s[fe - 1] == '0')
        fe--;
    for (z = fb; ib == ie && z < fe && s[z] == '0'; z++)
        ;
    if ((ie - ib) + (fe - z) > 15)
        return 0;
    if (neg && (ie > ib || fe > fb))
        out[k++] = '-';
    if (ie == ib)
        out[k++] = '0';
    memcpy(out + k, s + ib, ie - ib);
    k += ie - ib;
    if (fe > fb) {
        out[k++] = '.';
        memcpy(out + k, s + fb, fe - fb);
        k += fe - fb;
    }
    out[k] = '\0';
    return k;
}

/* Append the shortest text that reads back as the same double as s[0..n) (NUL-terminated at
 * n). Returns 0, or -1 when s is not a number (nothing appended). */
static int put_number(const xlsx_reader *xr, msk_buf *b, const char *s, size_t n)
{
    char tmp[56];
    double v;
    size_t k = num_fast(s, n, tmp);
    if (k) {
        msk_buf_add(b, tmp, k);
        return 0;
    }
    if (parse_double(xr, s, n, &v))
        return -1;
    put_double(xr, b, v);
    return 0;
}

/* Excel serial day v as YYYY-MM-DD. The 1900 system counts 1900-01-01 as 1 and keeps Lotus's
 * 29 February 1900 as 60; the 1904 system counts 1904-01-01 as 0. Returns -1 (nothing
 * appended) outside 1900..9999: such a cell is not a date whatever its format says. */
static int put_date(msk_buf *b, double v, int d1904)
{
    char tmp[64];
    if (!(v >= (d1904 ? 0 : 1) && v < 2958466.0))
        return -1;
    long days = (long)floor(v);
    if (!d1904 && days == 60) {
        msk_buf_puts(b, "1900-02-29");
        return 0;
    }
    if (!d1904 && days < 60)
        days++;
    /* days since 1970-01-01, then Howard Hinnant's civil_from_days */
    long z = days + (d1904 ? -24107 : -25569) + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    long y = yoe + era * 400 + (m <= 2);
    snprintf(tmp, sizeof tmp, "%04ld-%02ld-%02ld", y, m, d);
    msk_buf_puts(b, tmp);
    return 0;
}

static void place(xlsx_reader *xr, size_t col, size_t at)
{
    if (col >= xr->offcap) {
        size_t cap = xr->offcap ? xr->offcap : 32;
        while (cap <= col)
            cap *= 2;
        xr->off = msk_reallocarray(xr->off, cap, sizeof *xr->off);
        xr->offcap = cap;
    }
    for (; xr->noff <= col; xr->noff++)
        xr->off[xr->noff] = 0;
    xr->off[col] = at;
}

/* Did shared string i hold an escaped U+0000? (sst_nul is ascending) */
static int has_nul(const xlsx_reader *xr, size_t i)
{
    size_t lo = 0, hi = xr->sst_nnul;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (xr->sst_nul[mid] == i)
            return 1;
        if (xr->sst_nul[mid] < i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* A cell whose text holds _x0000_: the character cannot be kept, and dropping it would join
 * what it separated («p1_x0000_Иванов» read as «p1Иванов»), so the cell is refused like any
 * other control character. */
static void fail_nul(xlsx_reader *xr)
{
    xlsx_sheet_fail(xr, "ячейка содержит управляющий символ (0x00, в файле «_x0000_»): "
                        "удалите его из ячейки");
}

static void cell_end(xlsx_reader *xr)
{
    msk_buf *b = &xr->rowdata;
    const char *v = xr->val.data;
    size_t n = xr->val.len, at = b->len;
    double d;
    char num[56];
    size_t nl;
    switch (xr->ctype) {
    case CT_SST: {
        size_t i = 0, k = 0;
        if (!n)
            return;
        for (; k < n && v[k] >= '0' && v[k] <= '9'; k++)
            i = i <= xr->sst_n ? i * 10 + (size_t)(v[k] - '0') : i;
        if (k != n) {
            xlsx_sheet_fail(xr, "неверный номер общей строки «%.40s»", v);
            return;
        }
        if (i >= xr->sst_n) {
            xlsx_sheet_fail(xr, "ячейка ссылается на общую строку №%.40s, а в книге их %zu", v,
                            xr->sst_n);
            return;
        }
        if (xr->sst_nnul && has_nul(xr, i)) {
            fail_nul(xr);
            return;
        }
        msk_buf_add(b, xr->sst + xr->sst_off[i], xr->sst_off[i + 1] - xr->sst_off[i] - 1);
        break;
    }
    case CT_INLINE:
    case CT_STR:
        if (xlsx_put_decoded(b, v, n)) {
            fail_nul(xr);
            return;
        }
        break;
    case CT_BOOL:
        if (n == 1 && (v[0] == '0' || v[0] == '1'))
            msk_buf_putc(b, v[0]);
        else if (!strcmp(v, "true") || !strcmp(v, "false"))
            msk_buf_putc(b, v[0] == 't' ? '1' : '0');
        else
            msk_buf_add(b, v, n);
        break;
    case CT_DATE: /* ISO 8601 text (strict OOXML): keep the date part */
        msk_buf_add(b, v, n >= 10 && v[4] == '-' && v[7] == '-' ? 10 : n);
        break;
    case CT_ERR:
        msk_buf_add(b, v, n);
        break;
    case CT_NUM:
        if (xr->cstyle < xr->nxf && xr->xf_date[xr->cstyle]) {
            if (!parse_double(xr, v, n, &d) && !put_date(b, d, xr->bk.date1904))
                break;
        } else if ((nl = num_fast(v, n, num))) { /* the common cell: number, NUL: one append */
            msk_buf_add(b, num, nl + 1);
            if (b->failed)
                break;
            place(xr, xr->col, at);
            return;
        }
        if (put_number(xr, b, v, n))
            msk_buf_add(b, v, n);
        break;
    }
    if (b->failed) {
        xlsx_sheet_fail(xr, "строка листа длиннее 64 МиБ");
        return;
    }
    if (b->len == at)
        return;
    if (b->len - at > XLSX_MAX_CELL) {
        xlsx_sheet_fail(xr, "значение ячейки длиннее 1 МиБ");
        return;
    }
    msk_buf_add(b, "", 1);
    place(xr, xr->col, at);
}

/* Text inside <v>, or inside <t> of an inline string, makes the cell's value. */
static void set_collect(xlsx_reader *xr, int on)
{
    xr->collect = on;
    if (xr->c.p)
        XML_SetCharacterDataHandler(xr->c.p, on ? sheet_text : NULL);
}

/* The sheet's logic, shared by both parsers: an element ln (local name) opens. ra is the first
 * attribute whose local name is r (for <row>), r, t, s the attributes of exactly those names
 * (for <c>). */
void xlsx_sheet_open(xlsx_reader *xr, const char *ln, const char *ra, const char *r, const char *t,
                     const char *s)
{
    if (xr->c.failed)
        return;
    if (xr->in_c) {
        if (ln[0] == 'v' && !ln[1])
            set_collect(xr, 1);
        else if (!strcmp(ln, "is"))
            xr->in_is = 1;
        else if (xr->in_is && !strcmp(ln, "rPh"))
            xr->rph++;
        else if (xr->in_is && !xr->rph && !strcmp(ln, "t"))
            set_collect(xr, 1);
    } else if (xr->in_row) {
        if (ln[0] == 'c' && !ln[1])
            cell_start(xr, r, t, s);
    } else if (xr->in_sd) {
        if (!strcmp(ln, "row"))
            row_start(xr, ra);
    } else if (!strcmp(ln, "sheetData")) {
        xr->in_sd = 1;
    }
}

/* An element ln closes. Sets xr->ready at </row>: the parser must then stop. */
void xlsx_sheet_close(xlsx_reader *xr, const char *ln)
{
    if (xr->c.failed)
        return;
    if (xr->in_c) {
        if (ln[0] == 'c' && !ln[1]) {
            set_collect(xr, 0);
            cell_end(xr);
            xr->in_c = 0;
        } else if ((ln[0] == 'v' || ln[0] == 't') && !ln[1]) {
            set_collect(xr, 0);
        } else if (!strcmp(ln, "rPh")) {
            if (xr->rph)
                xr->rph--;
        } else if (!strcmp(ln, "is")) {
            xr->in_is = 0;
        }
    } else if (xr->in_row) {
        if (!strcmp(ln, "row")) {
            xr->in_row = 0;
            xr->lastrow = xr->xrow;
            xr->ready = 1;
        }
    } else if (xr->in_sd && !strcmp(ln, "sheetData")) {
        xr->in_sd = 0;
    }
}

void XMLCALL xlsx_sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    xlsx_reader *xr = reader_of(ud);
    const char *r = NULL, *t = NULL, *s = NULL;
    for (size_t i = 0; atts[i]; i += 2) {
        const char *a = atts[i];
        if (a[0] && !a[1]) {
            if (a[0] == 'r')
                r = atts[i + 1];
            else if (a[0] == 't')
                t = atts[i + 1];
            else if (a[0] == 's')
                s = atts[i + 1];
        }
    }
    xlsx_sheet_open(xr, xlsx_local_name(name), xlsx_attr(atts, "r"), r, t, s);
}

void XMLCALL xlsx_sheet_end(void *ud, const XML_Char *name)
{
    xlsx_reader *xr = reader_of(ud);
    xlsx_sheet_close(xr, xlsx_local_name(name));
    if (xr->ready && !xr->c.failed)
        XML_StopParser(xr->c.p, XML_TRUE); /* hand the row out; resumed by the next call */
}
