/*
 * XLSX reader, the sheet scanner (see xlsx_internal.h and the comment below).
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

/* ---- the sheet scanner ------------------------------------------------------------------------
 *
 * Expat spends most of a big import on generality a sheet never needs, so the sheet part is read
 * by this pull scanner instead: memchr to the next '<', a tag parsed in place in the inflated
 * chunk, the same xlsx_sheet_open / xlsx_sheet_close / cell logic as the expat callbacks. It checks
 * what expat checks (names, quoting, entities, characters, UTF-8, nesting, one root) so that a file
 * reads the same either way; an unfinished token is carried into the next chunk, up to
 * XLSX_MAX_XML_MEMORY. A part in another encoding than UTF-8, or whose XML declaration is not
 * the plain one, is handed to expat.
 */

enum { TX = 1, AV = 2, NS0 = 4, NC = 8 };

/* TX: stops a run of text; AV: stops a run of attribute value; NS0: starts a name; NC: in a
 * name (ASCII only: bytes from 0x80 on are checked as UTF-8). */
static const unsigned char cls[256] = {
    [0 ... 8] = TX | AV,
    ['\t'] = AV,
    ['\n'] = AV,
    [11 ... 31] = TX | AV,
    ['&'] = TX | AV,
    ['<'] = TX | AV,
    [']'] = TX,
    ['"'] = AV,
    ['\''] = AV,
    ['A' ... 'Z'] = NS0 | NC,
    ['a' ... 'z'] = NS0 | NC,
    ['_'] = NS0 | NC,
    [':'] = NS0 | NC,
    ['0' ... '9'] = NC,
    ['.'] = NC,
    ['-'] = NC,
    [128 ... 255] = TX | AV,
};

static int sx_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Decode the UTF-8 character at p (p < e) into *cp. Returns its length, 0 when it is not a
 * character XML allows, -1 when it is cut by e. */
static int utf8_char(const char *p, const char *e, unsigned long *cp)
{
    const unsigned char *u = (const unsigned char *)p;
    unsigned c = u[0];
    int n;
    unsigned long v, min;
    if (c < 0xC2)
        return 0;
    if (c < 0xE0)
        n = 2, v = c & 0x1F, min = 0x80;
    else if (c < 0xF0)
        n = 3, v = c & 0x0F, min = 0x800;
    else if (c < 0xF5)
        n = 4, v = c & 0x07, min = 0x10000;
    else
        return 0;
    for (int i = 1; i < n; i++) {
        if (p + i >= e)
            return -1;
        if ((u[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (u[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) || v == 0xFFFE || v == 0xFFFF)
        return 0;
    *cp = v;
    return n;
}

/* Is nm[0..n), which has characters beyond ASCII, a name for expat? Its tables of name
 * characters (XML 1.0, 4th edition) are its own, so it is asked: such names are never in a
 * real sheet, and a hostile one is bounded by XLSX_MAX_XML_MEMORY like any tag. */
static int expat_name(const char *nm, size_t n)
{
    char *doc = msk_malloc(n + 3);
    doc[0] = '<';
    memcpy(doc + 1, nm, n);
    memcpy(doc + 1 + n, "/>", 2);
    XML_Parser p = XML_ParserCreate(NULL);
    int ok = p && n + 3 <= INT_MAX && XML_Parse(p, doc, (int)(n + 3), 1) == XML_STATUS_OK;
    if (p)
        XML_ParserFree(p);
    free(doc);
    return ok;
}

/* Results of the token parsers below. */
enum { SX_BAD = -1, SX_MORE = 0, SX_OK = 1 };

/* A name at *pp: advance past it. SX_MORE when e cuts it. */
static int sx_name_slow(char **pp, char *e)
{
    char *q = *pp;
    int wide = 0;
    for (;;) {
        if (q >= e)
            return SX_MORE;
        unsigned char c = (unsigned char)*q;
        if (c < 0x80) {
            if (!(cls[c] & (q == *pp ? NS0 : NC)))
                break;
            q++;
            continue;
        }
        unsigned long cp;
        int n = utf8_char(q, e, &cp);
        if (n < 0)
            return SX_MORE;
        if (!n)
            break;
        wide = 1; /* checked below, once the name is whole */
        q += n;
    }
    if (q == *pp || (wide && !expat_name(*pp, (size_t)(q - *pp))))
        return SX_BAD;
    *pp = q;
    return SX_OK;
}

static inline int sx_name(char **pp, char *e)
{
    char *q = *pp;
    if (q < e && (cls[(unsigned char)*q] & NS0)) {
        for (q++; q < e && (cls[(unsigned char)*q] & NC); q++)
            ;
        if (q < e && (unsigned char)*q < 0x80) {
            *pp = q;
            return SX_OK;
        }
    }
    return sx_name_slow(pp, e);
}

static size_t utf8_put(char *o, unsigned long cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* The reference at p ('&'): its UTF-8 into out (*n bytes) and *end after its ';'. SX_BAD with
 * *why set for a malformed or unknown one. */
static int sx_entity(char *p, char *e, char *out, size_t *n, char **end, const char **why)
{
    char *q = p + 1;
    unsigned long v = 0;
    *why = "not well-formed (invalid token)";
    if (q >= e)
        return SX_MORE;
    if (*q == '#') {
        int hex = 0, digits = 0;
        if (++q >= e)
            return SX_MORE;
        if (*q == 'x') {
            hex = 1;
            q++;
        }
        for (;; q++, digits++) {
            if (q >= e)
                return SX_MORE;
            int d = hex ? xlsx_hexval((unsigned char)*q) : (*q >= '0' && *q <= '9' ? *q - '0' : -1);
            if (d < 0)
                break;
            v = v > 0x10FFFF ? v : v * (hex ? 16 : 10) + (unsigned long)d;
        }
        if (*q != ';' || !digits)
            return SX_BAD;
        if (!(v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v <= 0xD7FF) ||
              (v >= 0xE000 && v <= 0xFFFD) || (v >= 0x10000 && v <= 0x10FFFF))) {
            *why = "reference to invalid character number";
            return SX_BAD;
        }
        *n = utf8_put(out, v);
        *end = q + 1;
        return SX_OK;
    }
    char *nm = q;
    int rc = sx_name(&q, e);
    if (rc != SX_OK)
        return rc;
    if (q >= e)
        return SX_MORE;
    if (*q != ';')
        return SX_BAD;
    size_t len = (size_t)(q - nm);
    static const struct {
        char name[5];
        char c;
    } ents[] = {{"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''}};
    for (size_t i = 0; i < sizeof ents / sizeof *ents; i++) {
        if (strlen(ents[i].name) == len && !memcmp(nm, ents[i].name, len)) {
            out[0] = ents[i].c;
            *n = 1;
            *end = q + 1;
            return SX_OK;
        }
    }
    *why = "undefined entity";
    return SX_BAD;
}

/* Report malformed XML at `at` (inside the buffer) the way expat's errors are reported. */
static int sx_bad(xlsx_reader *xr, const char *at, const char *why)
{
    sx *s = &xr->scan;
    uint64_t line = s->line, line_at = s->line_at;
    for (const char *q = s->buf; q && q < at && (q = memchr(q, '\n', (size_t)(at - q))); q++) {
        line++;
        line_at = s->base + (uint64_t)(q - s->buf) + 1;
    }
    if (!xr->c.failed)
        msk_error_at(xr->c.err, xr->c.file, 0, 0,
                     "повреждённый XML в части %s книги (строка %llu, позиция %llu): %s",
                     xr->c.part, (unsigned long long)line,
                     (unsigned long long)(s->base + (uint64_t)(at - s->buf) - line_at + 1), why);
    xr->c.failed = 1;
    return SX_BAD;
}

static int sx_nomem(xlsx_reader *xr)
{
    if (!xr->c.failed)
        xlsx_xml_memory_error(&xr->c);
    xr->c.failed = 1;
    return SX_BAD;
}

/* Add s[0..n) to the cell's value with line ends made "\n", as XML reads them. */
static int sx_collect(xlsx_reader *xr, const char *p, size_t n)
{
    if (xr->c.failed)
        return SX_BAD;
    if (msk_buf_add(&xr->val, p, n)) {
        xlsx_sheet_fail(xr, "значение ячейки длиннее 1 МиБ");
        return SX_BAD;
    }
    return SX_OK;
}

static int sx_collect_norm(xlsx_reader *xr, const char *p, const char *e)
{
    const char *cr;
    while ((cr = memchr(p, '\r', (size_t)(e - p)))) {
        if (sx_collect(xr, p, (size_t)(cr - p)) != SX_OK || sx_collect(xr, "\n", 1) != SX_OK)
            return SX_BAD;
        p = cr + 1 < e && cr[1] == '\n' ? cr + 2 : cr + 1;
    }
    return sx_collect(xr, p, (size_t)(e - p));
}

/* The first character XML does not allow in p..e, or NULL. */
static const char *sx_badchar(const char *p, const char *e)
{
    unsigned long cp;
    while (p < e) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c < 0x80) {
            p++;
        } else if (c < 0x20) {
            if (c != '\t' && c != '\n' && c != '\r')
                return p;
            p++;
        } else {
            int n = utf8_char(p, e, &cp);
            if (n <= 0)
                return p;
            p += n;
        }
    }
    return NULL;
}

/* Does p..e start with lit? SX_MORE when e cuts it while it still could. */
static int sx_prefix(const char *p, const char *e, const char *lit)
{
    for (; *lit; p++, lit++) {
        if (p >= e)
            return SX_MORE;
        if (*p != *lit)
            return SX_BAD;
    }
    return SX_OK;
}

/* Text inside the root from *pp up to the next '<'. SX_OK at '<' or at e with all consumed;
 * SX_MORE before a reference, character or "]]>" that e cuts. */
static int sx_text(xlsx_reader *xr, char **pp, char *e)
{
    int eof = xr->scan.eof;
    char *p = *pp, *run = p;
    int rc = SX_OK;
    for (;;) {
        while (p < e && !(cls[(unsigned char)*p] & TX))
            p++;
        if (p >= e || *p == '<')
            break;
        unsigned char c = (unsigned char)*p;
        if (c >= 0x80) {
            unsigned long cp;
            int n = utf8_char(p, e, &cp);
            if (n < 0 && !eof) {
                rc = SX_MORE;
                break;
            }
            if (n <= 0)
                return sx_bad(xr, p, "not well-formed (invalid token)");
            p += n;
            continue;
        }
        if (c == ']') {
            if (p + 2 >= e) {
                if (!eof && (p + 1 >= e || p[1] == ']')) {
                    rc = SX_MORE;
                    break;
                }
            } else if (p[1] == ']' && p[2] == '>') {
                return sx_bad(xr, p, "not well-formed (invalid token)");
            }
            p++;
            continue;
        }
        if (c != '&' && c != '\r')
            return sx_bad(xr, p, "not well-formed (invalid token)");
        if (c == '\r' && p + 1 >= e && !eof) {
            rc = SX_MORE;
            break;
        }
        char tmp[4], *next = p + 1;
        size_t n = 1;
        tmp[0] = '\n';
        if (c == '\r') {
            if (next < e && *next == '\n')
                next++;
        } else {
            const char *why;
            int r = sx_entity(p, e, tmp, &n, &next, &why);
            if (r == SX_MORE && !eof) {
                rc = SX_MORE;
                break;
            }
            if (r != SX_OK)
                return sx_bad(xr, p, why);
        }
        if (xr->collect &&
            (sx_collect(xr, run, (size_t)(p - run)) != SX_OK || sx_collect(xr, tmp, n) != SX_OK))
            return SX_BAD;
        p = run = next;
    }
    if (xr->collect && p > run && sx_collect(xr, run, (size_t)(p - run)) != SX_OK)
        return SX_BAD;
    *pp = p;
    return rc;
}

/* Decode the attribute value a in place, NUL-terminated: references resolved, white space
 * made spaces as XML normalises it. */
static char *sx_value(sx_attr *a)
{
    if (a->plain) {
        a->val[a->vlen] = '\0';
        return a->val;
    }
    char *q = a->val, *end = a->val + a->vlen, *o = a->val;
    while (q < end) {
        char c = *q;
        if (c == '&') {
            char tmp[4], *next;
            size_t n = 0;
            const char *why;
            if (sx_entity(q, end, tmp, &n, &next, &why) != SX_OK) /* checked by the scan */
                break;
            memcpy(o, tmp, n);
            o += n;
            q = next;
        } else if (c == '\r') {
            *o++ = ' ';
            q += q + 1 < end && q[1] == '\n' ? 2 : 1;
        } else {
            *o++ = c == '\t' || c == '\n' ? ' ' : c;
            q++;
        }
    }
    *o = '\0';
    return a->val;
}

static int attr_cmp(const void *x, const void *y)
{
    const sx_attr *a = x, *b = y;
    size_t n = a->nlen < b->nlen ? a->nlen : b->nlen;
    int d = memcmp(a->name, b->name, n);
    return d ? d : (a->nlen > b->nlen) - (a->nlen < b->nlen);
}

/* Is an attribute named twice? Sorting a copy keeps a tag of a million attributes linear-ish. */
static int sx_duplicate(sx *s, size_t na)
{
    if (na <= 32) {
        for (size_t i = 1; i < na; i++)
            for (size_t j = 0; j < i; j++)
                if (s->att[i].nlen == s->att[j].nlen && s->att[i].name[0] == s->att[j].name[0] &&
                    !memcmp(s->att[i].name, s->att[j].name, s->att[i].nlen))
                    return 1;
        return 0;
    }
    sx_attr *c = msk_reallocarray(NULL, na, sizeof *c);
    memcpy(c, s->att, na * sizeof *c);
    qsort(c, na, sizeof *c, attr_cmp);
    int dup = 0;
    for (size_t i = 1; i < na && !dup; i++)
        dup = !attr_cmp(&c[i - 1], &c[i]);
    free(c);
    return dup;
}

/* A start tag at p. Long: the scanner's hot path reads the name, every attribute and the end of
 * the tag in one pass over the buffer, with expat's checks at each step; split, the pieces would
 * pass the same five cursors back and forth. */
static int sx_start_tag(xlsx_reader *xr, char *p, char *e, char **next)
{
    sx *s = &xr->scan;
    char *nm = p + 1, *q = nm;
    int self = 0, rc = sx_name(&q, e);
    size_t na = 0;
    if (rc == SX_BAD)
        return sx_bad(xr, nm, "not well-formed (invalid token)");
    if (rc == SX_MORE)
        return SX_MORE;
    size_t nlen = (size_t)(q - nm);
    for (;;) {
        char *w = q;
        while (q < e && sx_space(*q))
            q++;
        if (q >= e)
            return SX_MORE;
        if (*q == '>') {
            q++;
            break;
        }
        if (*q == '/') {
            if (q + 1 >= e)
                return SX_MORE;
            if (q[1] != '>')
                return sx_bad(xr, q + 1, "not well-formed (invalid token)");
            q += 2;
            self = 1;
            break;
        }
        if (q == w)
            return sx_bad(xr, q, "not well-formed (invalid token)");
        char *an = q;
        rc = sx_name(&q, e);
        if (rc != SX_OK)
            return rc == SX_MORE ? SX_MORE : sx_bad(xr, q, "not well-formed (invalid token)");
        size_t anl = (size_t)(q - an);
        while (q < e && sx_space(*q))
            q++;
        if (q >= e)
            return SX_MORE;
        if (*q != '=')
            return sx_bad(xr, q, "not well-formed (invalid token)");
        for (q++; q < e && sx_space(*q); q++)
            ;
        if (q >= e)
            return SX_MORE;
        if (*q != '"' && *q != '\'')
            return sx_bad(xr, q, "not well-formed (invalid token)");
        char quote = *q++, *v = q;
        int plain = 1;
        for (;;) {
            while (q < e && !(cls[(unsigned char)*q] & AV))
                q++;
            if (q >= e)
                return SX_MORE;
            unsigned char c = (unsigned char)*q;
            if (c == (unsigned char)quote)
                break;
            if (c == '"' || c == '\'') {
                q++;
            } else if (c == '\t' || c == '\n' || c == '\r') {
                plain = 0;
                q++;
            } else if (c >= 0x80) {
                unsigned long cp;
                int n = utf8_char(q, e, &cp);
                if (n < 0)
                    return SX_MORE;
                if (!n)
                    return sx_bad(xr, q, "not well-formed (invalid token)");
                q += n;
            } else if (c == '&') {
                char tmp[4], *nx;
                size_t n;
                const char *why;
                int r = sx_entity(q, e, tmp, &n, &nx, &why);
                if (r == SX_MORE)
                    return SX_MORE;
                if (r == SX_BAD)
                    return sx_bad(xr, q, why);
                plain = 0;
                q = nx;
            } else {
                return sx_bad(xr, q, "not well-formed (invalid token)"); /* '<' or a control */
            }
        }
        if (na == s->acap) {
            s->acap = s->acap ? s->acap * 2 : 16;
            s->att = msk_reallocarray(s->att, s->acap, sizeof *s->att);
        }
        s->att[na++] = (sx_attr){an, anl, v, (size_t)(q - v), plain};
        q++;
    }
    if (na > 1 && sx_duplicate(s, na))
        return sx_bad(xr, nm, "duplicate attribute");
    if (!s->depth && s->root_done)
        return sx_bad(xr, p, "junk after document element");
    if (!self) {
        size_t need = s->stklen + nlen;
        if (need > XLSX_MAX_XML_MEMORY - (s->depth + 1) * sizeof *s->soff)
            return sx_nomem(xr);
        if (need > s->stkcap) {
            s->stkcap = need * 2;
            s->stk = msk_realloc(s->stk, s->stkcap);
        }
        if (s->depth == s->scap) {
            s->scap = s->scap ? s->scap * 2 : 64;
            s->soff = msk_reallocarray(s->soff, s->scap, sizeof *s->soff);
        }
        s->soff[s->depth++] = s->stklen;
        for (size_t i = 0; i < nlen; i++)
            s->stk[s->stklen + i] = nm[i];
        s->stklen += nlen;
    }
    /* everything is parsed: the tag's bytes can now be cut into C strings */
    const char *ra = NULL, *r = NULL, *t = NULL, *sv = NULL;
    for (size_t i = 0; i < na; i++) {
        sx_attr *a = &s->att[i];
        const char *an = a->name;
        size_t l = a->nlen;
        if (l == 1) {
            if (an[0] == 'r')
                r = sx_value(a);
            else if (an[0] == 't')
                t = sx_value(a);
            else if (an[0] == 's')
                sv = sx_value(a);
        }
        /* the first attribute whose local name is r, xmlns ones aside, as xlsx_attr() finds it */
        if (!ra && an[l - 1] == 'r' && (l == 1 || an[l - 2] == ':') &&
            !(l >= 5 && !memcmp(an, "xmlns", 5)))
            ra = l == 1 ? r : sx_value(a);
    }
    const char *colon = nlen > 1 ? memrchr(nm, ':', nlen) : NULL;
    nm[nlen] = '\0';
    const char *ln = colon ? colon + 1 : nm;
    xlsx_sheet_open(xr, ln, ra, r, t, sv);
    if (self) {
        xlsx_sheet_close(xr, ln);
        if (!s->depth)
            s->root_done = 1;
    }
    *next = q;
    return SX_OK;
}

static int sx_end_tag(xlsx_reader *xr, char *p, char *e, char **next)
{
    sx *s = &xr->scan;
    char *nm = p + 2, *q = nm;
    int rc = sx_name(&q, e);
    if (rc != SX_OK)
        return rc == SX_MORE ? SX_MORE : sx_bad(xr, nm, "not well-formed (invalid token)");
    size_t nlen = (size_t)(q - nm);
    while (q < e && sx_space(*q))
        q++;
    if (q >= e)
        return SX_MORE;
    if (*q != '>')
        return sx_bad(xr, q, "not well-formed (invalid token)");
    if (!s->depth)
        return sx_bad(xr, p, "not well-formed (invalid token)");
    size_t top = s->soff[s->depth - 1];
    if (s->stklen - top != nlen)
        return sx_bad(xr, nm, "mismatched tag");
    for (size_t i = 0; i < nlen; i++) /* names are short: no call to memcmp */
        if (s->stk[top + i] != nm[i])
            return sx_bad(xr, nm, "mismatched tag");
    s->stklen = top;
    s->depth--;
    const char *colon = nlen > 1 ? memrchr(nm, ':', nlen) : NULL;
    nm[nlen] = '\0';
    xlsx_sheet_close(xr, colon ? colon + 1 : nm);
    if (!s->depth)
        s->root_done = 1;
    *next = q + 1;
    return SX_OK;
}

/* <!-- comment -->, <![CDATA[ text ]]>, <!DOCTYPE (refused). */
static int sx_bang(xlsx_reader *xr, char *p, char *e, char **next)
{
    sx *s = &xr->scan;
    int rc = sx_prefix(p, e, "<!--");
    if (rc == SX_OK) {
        char *d = memmem(p + 4, (size_t)(e - p - 4), "--", 2);
        if (!d || d + 2 >= e)
            return SX_MORE;
        if (d[2] != '>')
            return sx_bad(xr, d, "not well-formed (invalid token)");
        const char *bad = sx_badchar(p + 4, d);
        if (bad)
            return sx_bad(xr, bad, "not well-formed (invalid token)");
        *next = d + 3;
        return SX_OK;
    }
    if (rc == SX_MORE)
        return SX_MORE;
    rc = sx_prefix(p, e, "<![CDATA[");
    if (rc == SX_OK) {
        if (!s->depth)
            return sx_bad(xr, p, "not well-formed (invalid token)");
        char *d = memmem(p + 9, (size_t)(e - p - 9), "]]>", 3);
        if (!d)
            return SX_MORE;
        const char *bad = sx_badchar(p + 9, d);
        if (bad)
            return sx_bad(xr, bad, "not well-formed (invalid token)");
        if (xr->collect && sx_collect_norm(xr, p + 9, d) != SX_OK)
            return SX_BAD;
        *next = d + 3;
        return SX_OK;
    }
    if (rc == SX_MORE)
        return SX_MORE;
    rc = sx_prefix(p, e, "<!DOCTYPE");
    if (rc == SX_MORE)
        return SX_MORE;
    if (rc == SX_OK && !s->depth && !s->root_done) {
        xlsx_ctx_fail(&xr->c, 0, 0,
                      "часть %s книги содержит объявление DOCTYPE: такие файлы не читаются",
                      xr->c.part);
        return SX_BAD;
    }
    return sx_bad(xr, p, "not well-formed (invalid token)");
}

/* A processing instruction: skipped. The XML declaration was taken by sx_decide. */
static int sx_pi(xlsx_reader *xr, char *p, char *e, char **next)
{
    char *nm = p + 2, *q = nm;
    int rc = sx_name(&q, e);
    if (rc != SX_OK)
        return rc == SX_MORE ? SX_MORE : sx_bad(xr, nm, "not well-formed (invalid token)");
    if (q - nm == 3 && !strncasecmp(nm, "xml", 3))
        return sx_bad(xr, p, "XML or text declaration not at start of entity");
    if (q >= e)
        return SX_MORE;
    if (*q == '?') {
        if (q + 1 >= e)
            return SX_MORE;
        if (q[1] != '>')
            return sx_bad(xr, q, "not well-formed (invalid token)");
        *next = q + 2;
        return SX_OK;
    }
    if (!sx_space(*q))
        return sx_bad(xr, q, "not well-formed (invalid token)");
    char *d = memmem(q, (size_t)(e - q), "?>", 2);
    if (!d)
        return SX_MORE;
    const char *bad = sx_badchar(q, d);
    if (bad)
        return sx_bad(xr, bad, "not well-formed (invalid token)");
    *next = d + 2;
    return SX_OK;
}

/* Parse buf[pos..len): 1 when a row is ready, 0 when the data runs out, -1 on error. */
static int sx_parse(xlsx_reader *xr)
{
    sx *s = &xr->scan;
    char *p = s->buf + s->pos, *e = s->buf + s->len;
    int rc = 0;
    while (p < e) {
        int r;
        char *next = NULL;
        if (*p != '<') {
            if (s->depth) {
                r = sx_text(xr, &p, e);
                if (r == SX_BAD)
                    return -1;
                if (r == SX_MORE)
                    break;
                continue;
            }
            while (p < e && sx_space(*p))
                p++;
            if (p < e && *p != '<')
                return sx_bad(xr, p, s->root_done ? "junk after document element" : "syntax error");
            continue;
        }
        if (p + 1 >= e)
            r = SX_MORE;
        else if (p[1] == '/')
            r = sx_end_tag(xr, p, e, &next);
        else if (p[1] == '!')
            r = sx_bang(xr, p, e, &next);
        else if (p[1] == '?')
            r = sx_pi(xr, p, e, &next);
        else
            r = sx_start_tag(xr, p, e, &next);
        if (r == SX_BAD || xr->c.failed)
            return -1;
        if (r == SX_MORE)
            break;
        p = next;
        if (xr->ready) {
            rc = 1;
            break;
        }
    }
    s->pos = (size_t)(p - s->buf);
    return rc;
}

static void *feed_main(void *arg)
{
    sx_feed *f = arg;
    for (;;) {
        pthread_mutex_lock(&f->mu);
        while (!f->stop && f->full[f->tail])
            pthread_cond_wait(&f->cv, &f->mu);
        int stop = f->stop;
        size_t k = f->tail;
        pthread_mutex_unlock(&f->mu);
        if (stop)
            break;
        zip_int64_t got = xlsx_part_read(f->zf, f->slot[k], f->chunk, &f->nread, f->csize, f->file,
                                         f->part, &f->err);
        pthread_mutex_lock(&f->mu);
        f->got[k] = got;
        f->full[k] = 1;
        f->tail = (k + 1) % SX_SLOTS;
        pthread_cond_broadcast(&f->cv);
        pthread_mutex_unlock(&f->mu);
        if (got <= 0)
            break;
    }
    return NULL;
}

/* Start inflating s->zf on a thread. Without one, sx_fill reads the part itself. */
void xlsx_feed_start(sx *s, size_t chunk, const char *file, const char *part)
{
    sx_feed *f = msk_calloc(1, sizeof *f);
    f->zf = s->zf;
    f->csize = s->csize;
    f->chunk = chunk;
    f->file = file;
    f->part = part;
    for (int i = 0; i < SX_SLOTS; i++)
        f->slot[i] = msk_malloc(chunk);
    pthread_mutex_init(&f->mu, NULL);
    pthread_cond_init(&f->cv, NULL);
    if (pthread_create(&f->th, NULL, feed_main, f)) {
        pthread_mutex_destroy(&f->mu);
        pthread_cond_destroy(&f->cv);
        for (int i = 0; i < SX_SLOTS; i++)
            free(f->slot[i]);
        free(f);
        return;
    }
    s->feed = f;
}

static void feed_stop(sx *s)
{
    sx_feed *f = s->feed;
    if (!f)
        return;
    pthread_mutex_lock(&f->mu);
    f->stop = 1;
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->mu);
    pthread_join(f->th, NULL);
    pthread_mutex_destroy(&f->mu);
    pthread_cond_destroy(&f->cv);
    for (int i = 0; i < SX_SLOTS; i++)
        free(f->slot[i]);
    free(f);
    s->feed = NULL;
}

/* The next chunk from the thread, copied to dst. Returns its length, 0 at the end, -1. */
static zip_int64_t feed_take(sx_feed *f, char *dst, msk_err *err)
{
    pthread_mutex_lock(&f->mu);
    while (!f->full[f->head])
        pthread_cond_wait(&f->cv, &f->mu);
    size_t k = f->head;
    zip_int64_t got = f->got[k];
    pthread_mutex_unlock(&f->mu);
    if (got < 0) {
        if (err)
            *err = f->err;
        return -1; /* the thread has ended; the slot stays full so that this repeats */
    }
    if (got == 0)
        return 0;
    memcpy(dst, f->slot[k], (size_t)got);
    pthread_mutex_lock(&f->mu);
    f->full[k] = 0;
    f->head = (k + 1) % SX_SLOTS;
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->mu);
    return got;
}

/* Keep buf[pos..len), counting the lines of what goes, and inflate one more chunk after it. */
static int sx_fill(xlsx_reader *xr)
{
    sx *s = &xr->scan;
    if (s->buf) {
        const char *q = s->buf, *end = s->buf + s->pos;
        for (; q < end && (q = memchr(q, '\n', (size_t)(end - q))); q++) {
            s->line++;
            s->line_at = s->base + (uint64_t)(q - s->buf) + 1;
        }
    }
    if (s->pos) {
        memmove(s->buf, s->buf + s->pos, s->len - s->pos);
        s->base += s->pos;
        s->len -= s->pos;
        s->pos = 0;
    }
    if (s->len > XLSX_MAX_XML_MEMORY)
        return sx_nomem(xr);
    if (s->cap < s->len + xr->chunk + 1) {
        s->cap = s->len + xr->chunk + 1 > 2 * s->cap ? s->len + xr->chunk + 1 : 2 * s->cap;
        s->buf = msk_realloc(s->buf, s->cap);
    }
    zip_int64_t got = s->feed ? feed_take(s->feed, s->buf + s->len, xr->c.err)
                              : xlsx_part_read(s->zf, s->buf + s->len, xr->chunk, &s->nread,
                                               s->csize, xr->c.file, xr->c.part, xr->c.err);
    if (got < 0) {
        xr->c.failed = 1;
        return -1;
    }
    s->len += (size_t)got;
    s->eof = got == 0;
    return 0;
}

/* The XML declaration at p..e (e is at its "?>"): is it the plain one the scanner reads, UTF-8
 * with version 1.0? Anything else goes to expat, which knows other encodings and has the
 * messages for a broken declaration. */
static int sx_plain_decl(const char *p, const char *e)
{
    static const char *const names[] = {"version", "encoding", "standalone"};
    const char *q = p + 5;
    size_t k = 0;
    for (;;) {
        const char *w = q;
        while (q < e && sx_space(*q))
            q++;
        if (q == e)
            return k > 0;
        if (q == w)
            return 0;
        size_t i = k, n;
        for (; i < 3; i++) {
            n = strlen(names[i]);
            if ((size_t)(e - q) > n && !memcmp(q, names[i], n))
                break;
        }
        if (i == 3 || (k == 0 && i != 0))
            return 0;
        k = i + 1;
        for (q += n; q < e && sx_space(*q); q++)
            ;
        if (q >= e || *q != '=')
            return 0;
        for (q++; q < e && sx_space(*q); q++)
            ;
        if (q >= e || (*q != '"' && *q != '\''))
            return 0;
        const char *v = ++q, *vq = memchr(v, q[-1], (size_t)(e - v));
        if (!vq)
            return 0;
        size_t vl = (size_t)(vq - v);
        if (i == 0 && !(vl == 3 && !memcmp(v, "1.0", 3)))
            return 0;
        if (i == 1 && !(vl == 5 && !strncasecmp(v, "UTF-8", 5)))
            return 0;
        if (i == 2 && !(vl == 3 && !memcmp(v, "yes", 3)) && !(vl == 2 && !memcmp(v, "no", 2)))
            return 0;
        q = vq + 1;
    }
}

/* Look at the start of the part. Returns 1 when the scanner reads it, 2 when expat must, 0 to
 * see more of it first. */
static int sx_decide(sx *s)
{
    const unsigned char *u = (const unsigned char *)s->buf;
    size_t n = s->len, at = 0;
    if (n < 8 && !s->eof)
        return 0;
    if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
        at = 3;
    else if (n >= 1 && (u[0] == 0xFE || u[0] == 0xFF || u[0] == 0 || (n >= 2 && u[1] == 0)))
        return 2;
    const char *p = s->buf + at, *e = s->buf + n;
    if (sx_prefix(p, e, "<?xml") != SX_OK || (p + 5 < e && (cls[u[at + 5]] & NC))) {
        s->pos = at; /* no declaration ("<?xml-stylesheet" is a plain PI) */
        return 1;
    }
    const char *d = memmem(p, (size_t)(e - p), "?>", 2);
    if (!d)
        return s->eof || n > XLSX_MAX_XML_MEMORY ? 2 : 0;
    if (!sx_plain_decl(p, d))
        return 2;
    s->pos = (size_t)(d + 2 - s->buf);
    return 1;
}

/* Hand the part to expat: it gets what the scanner has inflated, then xlsx_sx_expat_step feeds it
 * the rest from the same source. */
static int sx_to_expat(xlsx_reader *xr)
{
    sx *s = &xr->scan;
    xml_ctx *c = &xr->c;
    xml_budget *prev = xlsx_xml_enter(c);
    c->p = XML_ParserCreate_MM(NULL, &xlsx_xml_mem, NULL);
    xlsx_xml_leave(prev);
    if (!c->p)
        return sx_nomem(xr);
    XML_SetUserData(c->p, c);
    XML_SetElementHandler(c->p, xlsx_sheet_start, xlsx_sheet_end);
    XML_SetStartDoctypeDeclHandler(c->p, xlsx_on_doctype);
    memset(&xr->s, 0, sizeof xr->s);
    xr->use_expat = 2;
    prev = xlsx_xml_enter(c);
    enum XML_Status st = XML_Parse(c->p, s->buf, (int)s->len, s->eof);
    int rc = xlsx_xs_status(&xr->s, c, st);
    xlsx_xml_leave(prev);
    s->pos = s->len;
    return rc;
}

/* As xlsx_xs_step, for a part the scanner handed to expat. */
int xlsx_sx_expat_step(xlsx_reader *xr)
{
    sx *s = &xr->scan;
    xml_ctx *c = &xr->c;
    enum XML_Status st;
    if (xr->s.suspended) {
        xr->s.suspended = 0;
        xml_budget *prev = xlsx_xml_enter(c);
        st = XML_ResumeParser(c->p);
        int rc = xlsx_xs_status(&xr->s, c, st);
        xlsx_xml_leave(prev);
        return rc;
    }
    if (s->eof)
        return 0;
    s->pos = s->len; /* expat has it all */
    if (sx_fill(xr))
        return -1;
    xml_budget *prev = xlsx_xml_enter(c);
    st = XML_Parse(c->p, s->buf, (int)s->len, s->eof);
    int rc = xlsx_xs_status(&xr->s, c, st);
    xlsx_xml_leave(prev);
    s->pos = s->len;
    return rc;
}

/* One step of the scanner, as xlsx_xs_step: 1 while there is more (a row may be ready), 0 at the
 * end of the part, -1 on error (xr->c.err filled). */
int xlsx_sx_step(xlsx_reader *xr)
{
    sx *s = &xr->scan;
    for (;;) {
        if (s->decided) {
            int rc = sx_parse(xr);
            if (rc)
                return rc;
            if (s->eof) {
                if (s->pos < s->len)
                    return sx_bad(xr, s->buf + s->pos, "unclosed token");
                if (!s->root_done)
                    return sx_bad(xr, s->buf + s->len, "no element found");
                return 0;
            }
        } else {
            int d = sx_decide(s);
            if (d == 2)
                return sx_to_expat(xr);
            if (d == 1) {
                s->decided = 1;
                continue;
            }
        }
        if (sx_fill(xr))
            return -1;
    }
}

void xlsx_sx_release(sx *s)
{
    feed_stop(s);
    if (s->zf)
        xlsx_part_close(s->zf);
    free(s->buf);
    free(s->stk);
    free(s->soff);
    free(s->att);
    memset(s, 0, sizeof *s);
}
