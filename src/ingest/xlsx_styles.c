/*
 * XLSX reader, shared strings and styles (see xlsx_internal.h): the string table, and which cell
 * formats show a date.
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

/* ---- shared strings and styles ------------------------------------------------------------ */

int xlsx_hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* The code unit of an _xHHHH_ escape at s (n bytes available), or -1. */
static long xescape(const char *s, size_t n)
{
    long v = 0;
    if (n < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_')
        return -1;
    for (int i = 2; i < 6; i++) {
        int h = xlsx_hexval((unsigned char)s[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

static void put_utf8(msk_buf *b, unsigned long cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    msk_buf_add(b, u, n);
}

/* Append s[0..n) with OOXML's _xHHHH_ escapes decoded (Excel writes "_x000D_" for a carriage
 * return and "_x005F_" for an underscore that would otherwise start one). U+0000 cannot be kept
 * (cells are C strings) and must not vanish unseen («p1_x0000_Иванов» is not «p1Иванов»): it is
 * left out and counted, and the caller refuses the text. Returns the number of U+0000. */
size_t xlsx_put_decoded(msk_buf *b, const char *s, size_t n)
{
    const char *p = s, *end = s + n, *q;
    size_t nuls = 0;
    while ((q = memchr(p, '_', (size_t)(end - p)))) {
        long cp = xescape(q, (size_t)(end - q));
        if (cp < 0) {
            msk_buf_add(b, p, (size_t)(q - p) + 1);
            p = q + 1;
            continue;
        }
        msk_buf_add(b, p, (size_t)(q - p));
        q += 7;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            long lo = xescape(q, (size_t)(end - q));
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                q += 7;
            } else {
                cp = 0xFFFD;
            }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            cp = 0xFFFD;
        }
        if (cp)
            put_utf8(b, (unsigned long)cp);
        else
            nuls++;
        p = q;
    }
    msk_buf_add(b, p, (size_t)(end - p));
    return nuls;
}

static void XMLCALL sst_text(void *ud, const XML_Char *s, int len)
{
    sst_ud *u = ud;
    if (!u->c.failed && msk_buf_add(&u->cur, s, (size_t)len))
        xlsx_ctx_fail(&u->c, 0, 0, "общая строка №%zu длиннее 1 МиБ", u->n + 1);
}

void XMLCALL xlsx_sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    sst_ud *u = ud;
    const char *ln = xlsx_local_name(name);
    if (u->c.failed)
        return;
    if (!strcmp(ln, "si")) {
        u->in_si = 1;
        u->rph = 0;
        msk_buf_reset(&u->cur);
    } else if (u->in_si && !strcmp(ln, "rPh")) {
        u->rph++; /* phonetic guide (furigana): not part of the text */
    } else if (u->in_si && !u->rph && !strcmp(ln, "t")) {
        XML_SetCharacterDataHandler(u->c.p, sst_text);
    }
}

void XMLCALL xlsx_sst_end(void *ud, const XML_Char *name)
{
    sst_ud *u = ud;
    const char *ln = xlsx_local_name(name);
    if (u->c.failed)
        return;
    if (!strcmp(ln, "t")) {
        XML_SetCharacterDataHandler(u->c.p, NULL);
    } else if (!strcmp(ln, "rPh")) {
        if (u->rph)
            u->rph--;
    } else if (u->in_si && !strcmp(ln, "si")) {
        u->in_si = 0;
        /* The offsets count against the same budget as the text: a file of empty <si/> must
         * not cost more memory than its strings could. */
        if (u->n + 2 > XLSX_MAX_SST_BYTES / sizeof *u->off ||
            u->blob.len + u->cur.len + 1 + (u->n + 2) * sizeof *u->off > XLSX_MAX_SST_BYTES) {
            xlsx_ctx_fail(&u->c, 0, 0,
                          "таблица общих строк больше %zu МиБ: файл повреждён или слишком велик "
                          "после распаковки; разбейте данные на несколько файлов",
                          XLSX_MAX_SST_BYTES >> 20);
            return;
        }
        if (u->n + 1 >= u->cap) {
            u->cap = u->cap ? u->cap * 2 : 256;
            u->off = msk_reallocarray(u->off, u->cap, sizeof *u->off);
        }
        u->off[u->n] = (uint32_t)u->blob.len;
        if (xlsx_put_decoded(&u->blob, u->cur.data, u->cur.len)) {
            /* refused by the cells that use it, which have a row and a column */
            if (u->nnul == u->nulcap) {
                u->nulcap = u->nulcap ? u->nulcap * 2 : 16;
                u->nul = msk_reallocarray(u->nul, u->nulcap, sizeof *u->nul);
            }
            u->nul[u->nnul++] = (uint32_t)u->n;
        }
        u->n++;
        msk_buf_add(&u->blob, "", 1);
    }
}

/* Does a custom number format show a date? Yes when it has d, m or y outside quoted text,
 * escapes and [brackets] ("[Red]" has a d, "[$-419]" a locale). */
static int format_is_date(const char *code)
{
    if (!strcasecmp(code, "General"))
        return 0;
    for (const char *p = code; *p; p++) {
        switch (*p) {
        case '"':
            while (p[1] && p[1] != '"')
                p++;
            if (p[1])
                p++;
            break;
        case '\\':
        case '_':
        case '*':
            if (p[1])
                p++;
            break;
        case '[':
            while (p[1] && p[1] != ']')
                p++;
            if (p[1])
                p++;
            break;
        case 'd':
        case 'D':
        case 'm':
        case 'M':
        case 'y':
        case 'Y':
            return 1;
        default:
            break;
        }
    }
    return 0;
}

static int builtin_is_date(unsigned long id)
{
    return (id >= 14 && id <= 22) || (id >= 45 && id <= 47);
}

unsigned long xlsx_parse_ulong(const char *s)
{
    unsigned long v = 0;
    if (!s)
        return 0;
    for (; *s >= '0' && *s <= '9'; s++)
        v = v < 100000000UL ? v * 10 + (unsigned long)(*s - '0') : v;
    return v;
}

void XMLCALL xlsx_sty_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    sty_ud *u = ud;
    const char *ln = xlsx_local_name(name);
    if (u->c.failed)
        return;
    if (!strcmp(ln, "numFmts")) {
        u->in_fmts = 1;
    } else if (!strcmp(ln, "cellXfs")) {
        u->in_xfs = 1;
    } else if (u->in_fmts && !strcmp(ln, "numFmt") && u->nf < MAX_NUMFMTS) {
        const char *id = xlsx_attr(atts, "numFmtId"), *code = xlsx_attr(atts, "formatCode");
        if (!id || !code)
            return;
        if (u->nf == u->fcap) {
            u->fcap = u->fcap ? u->fcap * 2 : 16;
            u->fmts = msk_reallocarray(u->fmts, u->fcap, sizeof *u->fmts);
        }
        u->fmts[u->nf].id = xlsx_parse_ulong(id);
        u->fmts[u->nf].date = format_is_date(code);
        u->nf++;
    } else if (u->in_xfs && !strcmp(ln, "xf") && u->nxf < MAX_XFS) {
        unsigned long id = xlsx_parse_ulong(xlsx_attr(atts, "numFmtId"));
        int date = builtin_is_date(id);
        for (size_t i = u->nf; i-- > 0;) { /* the last definition of an id counts */
            if (u->fmts[i].id == id) {
                date = u->fmts[i].date;
                break;
            }
        }
        if (u->nxf == u->xcap) {
            u->xcap = u->xcap ? u->xcap * 2 : 64;
            u->xf = msk_reallocarray(u->xf, u->xcap, 1);
        }
        u->xf[u->nxf++] = (unsigned char)date;
    }
}

void XMLCALL xlsx_sty_end(void *ud, const XML_Char *name)
{
    sty_ud *u = ud;
    const char *ln = xlsx_local_name(name);
    if (!strcmp(ln, "numFmts"))
        u->in_fmts = 0;
    else if (!strcmp(ln, "cellXfs"))
        u->in_xfs = 0;
}
