/*
 * The template renderer (see tmpl.h): interprets the template text directly, one pass, with a
 * stack of contexts for sections. Templates are small and few, so re-scanning a section body
 * for each array element costs less than keeping a compiled form in sync.
 */
#include "web/tmpl.h"

#include "base/fmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rctx {
    json_t *stack[TMPL_MAX_DEPTH + 2];
    int depth; /* entries used in stack */
    int nest;  /* sections and partials open */
    tmpl_lookup_fn lookup;
    void *lctx;
    msk_buf *out;
    msk_err *err;
    msk_buf scratch; /* a filter's output (url, json), reused by every tag of one render */
} rctx;

int tmpl_escape_html(msk_buf *out, const char *s, size_t n)
{
    size_t run = 0; /* bytes of s[i-run..i) still to copy verbatim */
    for (size_t i = 0; i < n; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        case '\0':
            rep = "\xEF\xBF\xBD";
            break;
        default:
            run++;
            continue;
        }
        msk_buf_add(out, s + i - run, run);
        run = 0;
        msk_buf_puts(out, rep);
    }
    msk_buf_add(out, s + n - run, run);
    return out->failed ? -1 : 0;
}

int tmpl_escape_url(msk_buf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            msk_buf_putc(out, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            msk_buf_add(out, e, 3);
        }
    }
    return out->failed ? -1 : 0;
}

/* ---- names and values ---- */

/* The member path (not NUL-terminated) looked up in obj: "a.b" descends objects; a number
 * indexes an array. */
static json_t *descend(json_t *v, const char *p, size_t n)
{
    while (v && n) {
        const char *dot = memchr(p, '.', n);
        size_t seg = dot ? (size_t)(dot - p) : n;
        char key[128];
        if (seg == 0 || seg >= sizeof key)
            return NULL;
        memcpy(key, p, seg);
        key[seg] = '\0';
        if (json_is_object(v)) {
            v = json_object_get(v, key);
        } else if (json_is_array(v)) {
            char *end;
            unsigned long idx = strtoul(key, &end, 10);
            v = *end ? NULL : json_array_get(v, idx);
        } else {
            return NULL;
        }
        p += seg;
        n -= seg;
        if (n) { /* skip the dot */
            p++;
            n--;
            if (!n)
                return NULL;
        }
    }
    return v;
}

static json_t *lookup_name(rctx *r, const char *name, size_t n)
{
    if (n == 1 && name[0] == '.')
        return r->stack[r->depth - 1];
    const char *dot = memchr(name, '.', n);
    size_t first = dot ? (size_t)(dot - name) : n;
    if (first == 0 || first >= 128) /* as long a name as descend's */
        return NULL;
    for (int i = r->depth - 1; i >= 0; i--) {
        /* by length, without a copy of the name (NULL for a non-object) */
        json_t *v = json_object_getn(r->stack[i], name, first);
        if (v)
            return dot ? descend(v, dot + 1, n - first - 1) : v;
    }
    return NULL;
}

static int truthy(const json_t *v)
{
    if (!v || json_is_null(v) || json_is_false(v))
        return 0;
    if (json_is_array(v))
        return json_array_size(v) > 0;
    if (json_is_string(v))
        return json_string_length(v) > 0;
    if (json_is_integer(v))
        return json_integer_value(v) != 0;
    if (json_is_real(v))
        return json_real_value(v) != 0.0;
    return 1;
}

/* The value as text, through filter f (f, fn bytes; fn 0 = none), into tmp or as a pointer
 * into the JSON string. Returns -1 for an unknown filter. */
static int value_text(const json_t *v, const char *f, size_t fn, char *tmp, size_t tmpsz,
                      const char **s, size_t *n, msk_buf *scratch)
{
#define IS(name) (fn == sizeof(name) - 1 && !memcmp(f, name, fn))
    static const char *const known[] = {"int", "num",  "num0",       "num2", "pct",  "pct0",
                                        "pp",  "date", "schoolyear", "url",  "json", "period"};
    int ok = fn == 0;
    for (size_t i = 0; !ok && i < sizeof known / sizeof known[0]; i++)
        ok = fn == strlen(known[i]) && !memcmp(f, known[i], fn);
    if (!ok)
        return -1;
    *s = tmp;
    tmp[0] = '\0';
    if (!v) {
        *n = 0;
        return 0;
    }
    if (IS("json")) {
        char *d = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        msk_buf_puts(scratch, d ? d : "");
        free(d);
        *s = scratch->data;
        *n = scratch->len;
        return 0;
    }
    if (json_is_null(v)) {
        snprintf(tmp, tmpsz, "—");
    } else if (json_is_string(v)) {
        const char *str = json_string_value(v);
        size_t len = json_string_length(v);
        if (IS("date")) {
            fmt_date(str, tmp, tmpsz);
        } else if (IS("period")) {
            fmt_period(str, tmp, tmpsz);
        } else if (IS("url")) {
            tmpl_escape_url(scratch, str, len);
            *s = scratch->data;
            *n = scratch->len;
            return 0;
        } else {
            *s = str;
            *n = len;
            return 0;
        }
    } else if (json_is_number(v)) {
        double d = json_number_value(v);
        /* printf-free fmt_num/fmt_pct (base/buf.h): a school page prints ~2,000 numbers */
        if (IS("int") && d >= 0 && d < 999.5)
            msk_fixed(tmp, tmpsz, (double)llround(d), 0);
        else if (IS("int"))
            fmt_int((long long)llround(d), tmp, tmpsz);
        else if (IS("num0"))
            msk_num_fast(d, 0, tmp, tmpsz);
        else if (IS("num2"))
            msk_num_fast(d, 2, tmp, tmpsz);
        else if (IS("pct"))
            msk_pct_fast(d, 1, tmp, tmpsz);
        else if (IS("pct0"))
            msk_pct_fast(d, 0, tmp, tmpsz);
        else if (IS("pp"))
            fmt_pp(d, 1, tmp, tmpsz);
        else if (IS("schoolyear"))
            fmt_school_year((int)d, tmp, tmpsz);
        else if (json_is_integer(v) && json_integer_value(v) >= 0 &&
                 json_integer_value(v) < 100000000)
            msk_fixed(tmp, tmpsz, (double)json_integer_value(v), 0);
        else if (json_is_integer(v))
            snprintf(tmp, tmpsz, "%lld", (long long)json_integer_value(v));
        else
            msk_num_fast(d, 1, tmp, tmpsz);
        if (tmp[0] == '-' && strlen(tmp) + 3 < tmpsz) { /* the minus sign U+2212 (UI.md) */
            memmove(tmp + 3, tmp + 1, strlen(tmp));
            memcpy(tmp, "\xE2\x88\x92", 3);
        }
    } else if (json_is_boolean(v)) {
        snprintf(tmp, tmpsz, "%s", json_is_true(v) ? "да" : "нет");
    }
    *n = strlen(tmp);
    if (IS("url") && *n) {
        tmpl_escape_url(scratch, tmp, *n);
        *s = scratch->data;
        *n = scratch->len;
    }
    return 0;
#undef IS
}

/* ---- tags ---- */

typedef struct tag {
    const char *start, *end; /* the whole tag, {{ … }} */
    char sigil;              /* '#', '^', '/', '>', '!', '&', '{' or 0 */
    const char *name;        /* trimmed */
    size_t nlen;
} tag;

/* Find the next tag at or after p; 0 found, 1 none, -1 malformed (err filled). */
static int next_tag(const char *p, const char *end, tag *t, msk_err *err)
{
    /* memchr, not a byte loop: a school page renders ~40 KB of template text many times */
    const char *o = NULL;
    for (const char *q = p; q + 1 < end && (q = memchr(q, '{', (size_t)(end - q - 1))); q++)
        if (q[1] == '{') {
            o = q;
            break;
        }
    if (!o)
        return 1;
    t->start = o;
    const char *b = o + 2;
    int triple = b < end && *b == '{';
    const char *closer = triple ? "}}}" : "}}";
    size_t cl = triple ? 3 : 2;
    const char *c = NULL;
    for (const char *q = b; q + cl <= end && (q = memchr(q, '}', (size_t)(end - q))); q++)
        if (q + cl <= end && !memcmp(q, closer, cl)) {
            c = q;
            break;
        }
    if (!c)
        return msk_error(err, "шаблон: незакрытый тег «{{»");
    t->end = c + cl;
    const char *s = b + (triple ? 1 : 0), *e = c;
    t->sigil = triple ? '{' : 0;
    while (s < e && (*s == ' ' || *s == '\t'))
        s++;
    if (!triple && s < e && strchr("#^/>!&", *s)) {
        t->sigil = *s++;
        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
    }
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    t->name = s;
    t->nlen = (size_t)(e - s);
    if (t->sigil != '!' && t->nlen == 0)
        return msk_error(err, "шаблон: пустой тег");
    return 0;
}

/* The matching {{/name}} of a section whose body starts at p. */
static int find_close(const char *p, const char *end, const tag *open, tag *out, msk_err *err)
{
    int depth = 0;
    tag t;
    for (;;) {
        int rc = next_tag(p, end, &t, err);
        if (rc < 0)
            return -1;
        if (rc > 0)
            return msk_error(err, "шаблон: секция «%.*s» не закрыта", (int)open->nlen, open->name);
        if (t.sigil == '#' || t.sigil == '^') {
            depth++;
        } else if (t.sigil == '/') {
            if (depth == 0) {
                if (t.nlen != open->nlen || memcmp(t.name, open->name, t.nlen))
                    return msk_error(err, "шаблон: «{{/%.*s}}» закрывает секцию «%.*s»",
                                     (int)t.nlen, t.name, (int)open->nlen, open->name);
                *out = t;
                return 0;
            }
            depth--;
        }
        p = t.end;
    }
}

static int render(rctx *r, const char *p, const char *end);

static int push(rctx *r, json_t *v)
{
    if (r->depth >= (int)(sizeof r->stack / sizeof r->stack[0]))
        return msk_error(r->err, "шаблон: слишком глубокая вложенность");
    r->stack[r->depth++] = v;
    return 0;
}

static int section(rctx *r, const tag *open, const char *body, const char *bend)
{
    json_t *v = lookup_name(r, open->name, open->nlen);
    if (open->sigil == '^')
        return truthy(v) ? 0 : render(r, body, bend);
    if (!truthy(v))
        return 0;
    if (json_is_array(v)) {
        size_t i;
        json_t *el;
        json_array_foreach(v, i, el)
        {
            if (push(r, el))
                return -1;
            int rc = render(r, body, bend);
            r->depth--;
            if (rc)
                return -1;
        }
        return 0;
    }
    if (json_is_object(v)) {
        if (push(r, v))
            return -1;
        int rc = render(r, body, bend);
        r->depth--;
        return rc;
    }
    return render(r, body, bend);
}

static int variable(rctx *r, const tag *t)
{
    const char *name = t->name, *bar = memchr(t->name, '|', t->nlen);
    size_t nlen = bar ? (size_t)(bar - name) : t->nlen;
    const char *f = bar ? bar + 1 : "";
    size_t fn = bar ? t->nlen - nlen - 1 : 0;
    while (nlen && name[nlen - 1] == ' ')
        nlen--;
    while (fn && *f == ' ')
        f++, fn--;
    if (!nlen)
        return msk_error(r->err, "шаблон: пустое имя в теге");
    json_t *v = lookup_name(r, name, nlen);
    char tmp[96];
    const char *s;
    size_t n;
    msk_buf_reset(&r->scratch);
    if (value_text(v, f, fn, tmp, sizeof tmp, &s, &n, &r->scratch)) {
        return msk_error(r->err, "шаблон: неизвестный фильтр «%.*s»", (int)fn, f);
    }
    int rc = (t->sigil == '{' || t->sigil == '&') ? msk_buf_add(r->out, s, n)
                                                  : tmpl_escape_html(r->out, s, n);
    return rc ? msk_error(r->err, "шаблон: страница слишком велика") : 0;
}

static int partial(rctx *r, const tag *t)
{
    char name[128];
    if (t->nlen >= sizeof name)
        return msk_error(r->err, "шаблон: слишком длинное имя части");
    memcpy(name, t->name, t->nlen);
    name[t->nlen] = '\0';
    size_t len = 0;
    const char *src = r->lookup ? r->lookup(r->lctx, name, &len) : NULL;
    if (!src)
        return msk_error(r->err, "шаблон: нет части «%s»", name);
    return render(r, src, src + len);
}

static int render(rctx *r, const char *p, const char *end)
{
    if (++r->nest > TMPL_MAX_DEPTH) {
        r->nest--;
        return msk_error(r->err, "шаблон: слишком глубокая вложенность");
    }
    int rc = 0;
    while (p < end && !rc) {
        tag t;
        int f = next_tag(p, end, &t, r->err);
        if (f < 0) {
            rc = -1;
            break;
        }
        if (f > 0) {
            msk_buf_add(r->out, p, (size_t)(end - p));
            break;
        }
        msk_buf_add(r->out, p, (size_t)(t.start - p));
        p = t.end;
        switch (t.sigil) {
        case '!':
            break;
        case '#':
        case '^': {
            tag c = {0};
            if (find_close(p, end, &t, &c, r->err)) {
                rc = -1;
                break;
            }
            rc = section(r, &t, p, c.start);
            p = c.end;
            break;
        }
        case '/':
            rc = msk_error(r->err, "шаблон: лишний «{{/%.*s}}»", (int)t.nlen, t.name);
            break;
        case '>':
            rc = partial(r, &t);
            break;
        default:
            rc = variable(r, &t);
        }
    }
    r->nest--;
    if (!rc && r->out->failed)
        rc = msk_error(r->err, "шаблон: страница слишком велика");
    return rc;
}

int tmpl_render(const char *src, size_t len, json_t *model, tmpl_lookup_fn lookup, void *ctx,
                msk_buf *out, msk_err *err)
{
    rctx r = {.lookup = lookup, .lctx = ctx, .out = out, .err = err};
    r.stack[r.depth++] = model;
    msk_buf_init(&r.scratch, 0);
    int rc = render(&r, src, src + len);
    msk_buf_release(&r.scratch);
    return rc;
}
