/*
 * Form bodies and cookies: application/x-www-form-urlencoded, multipart/form-data (RFC 7578)
 * and the Cookie header. Pure functions over bytes with every length checked (curl
 * lib/curlx/strparse.c); fuzzed by tests/fuzz/fuzz_form.c.
 */
#include "web/internal.h"

#include "base/mem.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { FORM_MAX_FIELDS = 256 };

static int add_field(web_arena *a, web_form *f, const char *name, const char *value, size_t vlen,
                     const char *file_name)
{
    if (f->n >= FORM_MAX_FIELDS)
        return -1;
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 16;
        web_field *nf = web_arena_alloc(a, cap * sizeof *nf);
        if (f->n)
            memcpy(nf, f->fields, f->n * sizeof *nf);
        f->fields = nf;
        f->cap = cap;
    }
    f->fields[f->n++] = (web_field){name, value, vlen, file_name};
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decode s[0..n) ('+' is a space) into the arena; *len gets the decoded length. */
static char *decode(web_arena *a, const char *s, size_t n, size_t *len)
{
    char *o = web_arena_alloc(a, n + 1);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            o[j++] = ' ';
        } else if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            o[j++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            o[j++] = s[i];
        }
    }
    o[j] = '\0';
    *len = j;
    return o;
}

int web_form_urlencoded(web_arena *a, const char *s, size_t n, web_form *f)
{
    const char *p = s, *end = s + n;
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *e = amp ? amp : end;
        if (e > p) {
            const char *eq = memchr(p, '=', (size_t)(e - p));
            const char *ne = eq ? eq : e;
            size_t nl, vl = 0;
            char *name = decode(a, p, (size_t)(ne - p), &nl);
            char *val = eq ? decode(a, eq + 1, (size_t)(e - eq - 1), &vl) : decode(a, "", 0, &vl);
            if (add_field(a, f, name, val, vl, NULL))
                return -1;
        }
        p = amp ? amp + 1 : end;
    }
    return 0;
}

static const char *find(const char *h, size_t hn, const char *needle, size_t nn)
{
    return nn <= hn ? memmem(h, hn, needle, nn) : NULL;
}

/* The value of param (name= or filename=) in a Content-Disposition line [p, e). */
static const char *disp_param(web_arena *a, const char *p, const char *e, const char *param)
{
    size_t pl = strlen(param);
    for (const char *q = p; q + pl + 1 < e; q++) {
        if ((q == p || q[-1] == ' ' || q[-1] == ';') && !strncasecmp(q, param, pl) &&
            q[pl] == '=') {
            const char *v = q + pl + 1, *ve;
            if (v < e && *v == '"') {
                v++;
                ve = memchr(v, '"', (size_t)(e - v));
                if (!ve)
                    return NULL;
            } else {
                ve = v;
                while (ve < e && *ve != ';' && *ve != ' ')
                    ve++;
            }
            return web_arena_strndup(a, v, (size_t)(ve - v));
        }
    }
    return NULL;
}

int web_form_multipart(web_arena *a, const char *content_type, const char *body, size_t n,
                       web_form *f)
{
    const char *b = content_type ? strcasestr(content_type, "boundary=") : NULL;
    if (!b)
        return -1;
    b += 9;
    size_t bl = strcspn(b, "; ");
    if (bl >= 2 && b[0] == '"' && b[bl - 1] == '"') {
        b++;
        bl -= 2;
    }
    if (bl == 0 || bl > 200)
        return -1;
    char delim[208];
    delim[0] = '-';
    delim[1] = '-';
    memcpy(delim + 2, b, bl);
    size_t dl = bl + 2;
    const char *p = find(body, n, delim, dl), *end = body + n;
    if (!p)
        return -1;
    p += dl;
    for (;;) {
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            return 0; /* the closing delimiter */
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
            return -1;
        p += 2;
        const char *hend = find(p, (size_t)(end - p), "\r\n\r\n", 4);
        if (!hend)
            return -1;
        const char *name = NULL, *file_name = NULL;
        for (const char *line = p; line < hend;) {
            const char *le = find(line, (size_t)(hend - line), "\r\n", 2);
            if (!le)
                le = hend;
            if ((size_t)(le - line) > 20 && !strncasecmp(line, "Content-Disposition:", 20)) {
                name = disp_param(a, line + 20, le, "name");
                file_name = disp_param(a, line + 20, le, "filename");
            }
            line = le + 2;
        }
        const char *data = hend + 4;
        /* the part ends at CRLF + delimiter */
        char cd[212];
        cd[0] = '\r';
        cd[1] = '\n';
        memcpy(cd + 2, delim, dl);
        const char *de = find(data, (size_t)(end - data), cd, dl + 2);
        if (!de || !name)
            return -1;
        if (add_field(a, f, name, web_arena_strndup(a, data, (size_t)(de - data)),
                      (size_t)(de - data), file_name))
            return -1;
        p = de + 2 + dl;
    }
}

const web_field *web_form_get(const web_form *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (!strcmp(f->fields[i].name, name))
            return &f->fields[i];
    return NULL;
}

int web_cookie(const char *header, const char *name, char *out, size_t outsz)
{
    size_t nl = strlen(name);
    const char *p = header;
    while (p && *p) {
        while (*p == ' ' || *p == ';')
            p++;
        const char *e = strchr(p, ';');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len > nl && !strncmp(p, name, nl) && p[nl] == '=') {
            size_t vl = len - nl - 1;
            if (vl >= outsz)
                return 1;
            memcpy(out, p + nl + 1, vl);
            out[vl] = '\0';
            return 0;
        }
        p = e;
    }
    return 1;
}
