/*
 * Methodology files: an INI text parsed once with inih into sections and keys (file order kept,
 * the line of every key remembered for messages), the SHA-256 of the bytes for the analysis run
 * record, and typed reads (numbers with a point or a comma, percents, booleans, bands, lists).
 * The methods (shnor.c, risk.c, rating.c …) read their own keys with defaults from their act.
 */
#include "method/methodology.h"

#include "base/muni.h"

#include "base/buf.h"
#include "base/mem.h"

#include <ini.h>
#include <sodium.h>

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { METH_LINE = 1024 };

typedef struct meth_kv {
    char *section, *key, *value;
    int line;
} meth_kv;

struct meth_file {
    char *name;
    char hash[crypto_hash_sha256_BYTES * 2 + 1];
    meth_kv *kv;
    size_t nkv, kvcap;
    char **sections;
    size_t nsections, seccap;
    char **lists; /* buffers handed out by meth_list, freed with the file */
    size_t nlists, listcap;
};

/* The state of one parse: the text, a cursor, the line just read (inih calls the handler while
 * that line is current, so its number is the key's line), and the first error. */
typedef struct parse_ctx {
    meth_file *f;
    const char *p, *end;
    int line;
    int long_line; /* line number of a too-long line, 0 if none */
    int dup_line;  /* line number of a repeated key, 0 if none */
    char dup_key[128];
    int nomem;
    const char *cur; /* start of the current line in the text */
    char last_section[128], last_key[128];
} parse_ctx;

static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 16;
    while (nc < need)
        nc *= 2;
    if (nc > SIZE_MAX / elem)
        return -1;
    *arr = msk_realloc(*arr, nc * elem);
    *cap = nc;
    return 0;
}

/* inih reader: one line at a time from memory, counting lines. */
static char *reader(char *str, int num, void *stream)
{
    parse_ctx *c = stream;
    if (c->p >= c->end)
        return NULL;
    const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
    const char *stop = nl ? nl + 1 : c->end;
    size_t len = (size_t)(stop - c->p);
    c->line++;
    c->cur = c->p;
    if (len > (size_t)num - 1) {
        if (!c->long_line)
            c->long_line = c->line;
        len = (size_t)num - 1;
    }
    memcpy(str, c->p, len);
    str[len] = '\0';
    c->p = stop;
    return str;
}

static meth_kv *find_kv(const meth_file *f, const char *section, const char *key)
{
    for (size_t i = 0; i < f->nkv; i++)
        if (strcmp(f->kv[i].section, section) == 0 && strcmp(f->kv[i].key, key) == 0)
            return &f->kv[i];
    return NULL;
}

static int add_section(meth_file *f, const char *section)
{
    for (size_t i = 0; i < f->nsections; i++)
        if (strcmp(f->sections[i], section) == 0)
            return 0;
    if (grow((void **)&f->sections, &f->seccap, f->nsections + 1, sizeof *f->sections))
        return -1;
    f->sections[f->nsections++] = msk_strdup(section);
    return 0;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
    parse_ctx *c = user;
    meth_file *f = c->f;
    if (add_section(f, section)) {
        c->nomem = 1;
        return 0;
    }
    meth_kv *kv = find_kv(f, section, name);
    /* inih reports a continuation line (indented, right after a key) as the same key again:
     * join it to the value with a newline (meth_list splits on newlines too). */
    int continuation = kv && c->cur && (*c->cur == ' ' || *c->cur == '\t') &&
                       strcmp(c->last_section, section) == 0 && strcmp(c->last_key, name) == 0;
    if (kv && continuation) {
        size_t a = strlen(kv->value), b = strlen(value);
        char *nv = msk_realloc(kv->value, a + b + 2);
        nv[a] = '\n';
        memcpy(nv + a + 1, value, b + 1);
        kv->value = nv;
        return 1;
    }
    if (kv) {
        if (!c->dup_line) {
            c->dup_line = c->line;
            snprintf(c->dup_key, sizeof c->dup_key, "[%s] %s (впервые в строке %d)", section, name,
                     kv->line);
        }
        return 1;
    }
    if (grow((void **)&f->kv, &f->kvcap, f->nkv + 1, sizeof *f->kv)) {
        c->nomem = 1;
        return 0;
    }
    meth_kv *n = &f->kv[f->nkv];
    n->section = msk_strdup(section);
    n->key = msk_strdup(name);
    n->value = msk_strdup(value);
    n->line = c->line;
    f->nkv++;
    snprintf(c->last_section, sizeof c->last_section, "%s", section);
    snprintf(c->last_key, sizeof c->last_key, "%s", name);
    return 1;
}

void meth_free(meth_file *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nkv; i++) {
        free(f->kv[i].section);
        free(f->kv[i].key);
        free(f->kv[i].value);
    }
    free(f->kv);
    for (size_t i = 0; i < f->nsections; i++)
        free(f->sections[i]);
    free(f->sections);
    for (size_t i = 0; i < f->nlists; i++)
        free(f->lists[i]);
    free(f->lists);
    free(f->name);
    free(f);
}

int meth_load_mem(const char *name, const char *text, size_t len, meth_file **out, msk_err *err)
{
    *out = NULL;
    if (len > METH_MAX_BYTES)
        return msk_error_at(err, name, 0, 0, "файл методики больше %d байт", METH_MAX_BYTES);
    if (memchr(text, '\0', len))
        return msk_error_at(err, name, 0, 0, "файл методики содержит нулевой байт: это не текст");
    meth_file *f = msk_calloc(1, sizeof *f);
    f->name = msk_strdup(name);
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)text, len);
    sodium_bin2hex(f->hash, sizeof f->hash, h, sizeof h);

    parse_ctx c;
    memset(&c, 0, sizeof c);
    c.f = f;
    c.p = text;
    c.end = text + len;
    int r = ini_parse_stream(reader, &c, handler, &c);
    int rc = -1;
    if (c.nomem)
        msk_error_at(err, name, c.line, 0, "не хватает памяти");
    else if (c.long_line)
        msk_error_at(err, name, c.long_line, 0,
                     "строка длиннее %d символов: перенесите значение на следующую строку с "
                     "отступом",
                     INI_MAX_LINE - 2);
    else if (r > 0)
        msk_error_at(err, name, r, 0,
                     "ошибка синтаксиса: ожидается «[раздел]», «ключ = значение» или комментарий "
                     "(«;» или «#»)");
    else if (r < 0)
        msk_error_at(err, name, 0, 0, "не удалось прочитать файл методики");
    else if (c.dup_line)
        msk_error_at(err, name, c.dup_line, 0, "ключ %s повторяется: оставьте одно значение",
                     c.dup_key);
    else
        rc = 0;
    if (rc) {
        meth_free(f);
        return rc;
    }
    *out = f;
    return 0;
}

int meth_load_str(const char *name, const char *text, meth_file **out, msk_err *err)
{
    return meth_load_mem(name ? name : "(строка)", text, strlen(text), out, err);
}

const char *meth_name(const meth_file *f)
{
    return f->name;
}
const char *meth_hash(const meth_file *f)
{
    return f->hash;
}
size_t meth_nsections(const meth_file *f)
{
    return f->nsections;
}

const char *meth_section(const meth_file *f, size_t i)
{
    return i < f->nsections ? f->sections[i] : NULL;
}

size_t meth_nkeys(const meth_file *f, const char *section)
{
    size_t n = 0;
    for (size_t i = 0; i < f->nkv; i++)
        n += strcmp(f->kv[i].section, section) == 0;
    return n;
}

const char *meth_key(const meth_file *f, const char *section, size_t i)
{
    for (size_t k = 0; k < f->nkv; k++)
        if (strcmp(f->kv[k].section, section) == 0 && i-- == 0)
            return f->kv[k].key;
    return NULL;
}

const char *meth_get(const meth_file *f, const char *section, const char *key)
{
    const meth_kv *kv = find_kv(f, section, key);
    return kv ? kv->value : NULL;
}

const char *meth_act(const meth_file *f, const char *section, const char *dflt)
{
    const char *v = f ? meth_get(f, section, "act") : NULL;
    /* «{program}» is the department's act as methods/municipality.ini names it (base/muni.h) */
    return muni_cite_str(v && *v ? v : dflt);
}

/* A number at *pp: optional sign, digits, a point or a comma, digits; no exponent, no spaces
 * inside. Advances *pp. Returns 0, or -1 when there is no number. */
static int scan_num(const char **pp, double *out)
{
    const char *p = *pp;
    char tmp[64];
    size_t n = 0;
    if (*p == '-' || *p == '+')
        tmp[n++] = *p++;
    int digits = 0, sep = 0;
    while (n < sizeof tmp - 1) {
        if (isdigit((unsigned char)*p)) {
            tmp[n++] = *p++;
            digits++;
        } else if ((*p == '.' || *p == ',') && !sep && isdigit((unsigned char)p[1]) && digits) {
            tmp[n++] = '.';
            p++;
            sep = 1;
        } else {
            break;
        }
    }
    if (!digits)
        return -1;
    tmp[n] = '\0';
    char *e;
    double v = strtod(tmp, &e);
    if (*e || !isfinite(v))
        return -1;
    *out = v;
    *pp = p;
    return 0;
}

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

/* "0.3", "0,3", "30 %", "30%": a percent sign divides by 100. */
static int parse_num(const char *s, double *out)
{
    const char *p = skip_ws(s);
    double v;
    if (scan_num(&p, &v))
        return -1;
    p = skip_ws(p);
    if (*p == '%') {
        v /= 100.0;
        p = skip_ws(p + 1);
    }
    if (*p)
        return -1;
    *out = v;
    return 0;
}

int meth_num(const meth_file *f, const char *section, const char *key, double dflt, double *out,
             msk_err *err)
{
    const meth_kv *kv = find_kv(f, section, key);
    if (!kv) {
        *out = dflt;
        return 0;
    }
    if (parse_num(kv->value, out))
        return msk_error_at(err, f->name, kv->line, 0,
                            "[%s] %s = «%s»: ожидается число (0.3, 0,3 или 30 %%)", section, key,
                            kv->value);
    return 0;
}

int meth_int(const meth_file *f, const char *section, const char *key, long dflt, long *out,
             msk_err *err)
{
    const meth_kv *kv = find_kv(f, section, key);
    if (!kv) {
        *out = dflt;
        return 0;
    }
    const char *p = skip_ws(kv->value);
    char *e;
    errno = 0;
    long v = strtol(p, &e, 10);
    if (e == p || errno || *skip_ws(e))
        return msk_error_at(err, f->name, kv->line, 0, "[%s] %s = «%s»: ожидается целое число",
                            section, key, kv->value);
    *out = v;
    return 0;
}

int meth_bool(const meth_file *f, const char *section, const char *key, int dflt, int *out,
              msk_err *err)
{
    const meth_kv *kv = find_kv(f, section, key);
    if (!kv) {
        *out = dflt;
        return 0;
    }
    static const char *yes[] = {"1", "yes", "true", "on", "да"};
    static const char *no[] = {"0", "no", "false", "off", "нет"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcasecmp(kv->value, yes[i]) == 0) {
            *out = 1;
            return 0;
        }
        if (strcasecmp(kv->value, no[i]) == 0) {
            *out = 0;
            return 0;
        }
    }
    return msk_error_at(err, f->name, kv->line, 0,
                        "[%s] %s = «%s»: ожидается yes/no (также true/false, 1/0, да/нет)", section,
                        key, kv->value);
}

/* One band "<=5:3", ">30:0", "6-10:2", "11..20:1", "0:1", "-5..-1:2". */
static int parse_band(const char *s, meth_band *b)
{
    const char *p = skip_ws(s);
    double a, z;
    b->lo = -INFINITY;
    b->hi = INFINITY;
    b->lo_open = b->hi_open = 0;
    if (*p == '<' || *p == '>') {
        int less = *p == '<';
        p++;
        int eq = *p == '=';
        if (eq)
            p++;
        p = skip_ws(p);
        if (scan_num(&p, &a))
            return -1;
        if (less) {
            b->hi = a;
            b->hi_open = !eq;
        } else {
            b->lo = a;
            b->lo_open = !eq;
        }
    } else {
        if (scan_num(&p, &a))
            return -1;
        p = skip_ws(p);
        if (*p == '-' || (p[0] == '.' && p[1] == '.')) {
            p += *p == '-' ? 1 : 2;
            p = skip_ws(p);
            if (scan_num(&p, &z) || z < a)
                return -1;
        } else {
            z = a;
        }
        b->lo = a;
        b->hi = z;
    }
    p = skip_ws(p);
    if (*p != ':')
        return -1;
    p = skip_ws(p + 1);
    if (scan_num(&p, &b->points))
        return -1;
    return *skip_ws(p) ? -1 : 0;
}

int meth_bands(const meth_file *f, const char *section, const char *key, meth_band *out, size_t max,
               size_t *n, msk_err *err)
{
    *n = 0;
    const meth_kv *kv = find_kv(f, section, key);
    if (!kv)
        return msk_error_at(err, f->name, 0, 0, "нет ключа [%s] %s (полосы вида «<=5:3, 6-10:2»)",
                            section, key);
    const char *p = kv->value;
    while (*p) {
        const char *q = p;
        while (*q && *q != ',' && *q != '\n')
            q++;
        size_t len = (size_t)(q - p);
        char item[128];
        if (len >= sizeof item)
            return msk_error_at(err, f->name, kv->line, 0, "[%s] %s: слишком длинная полоса",
                                section, key);
        memcpy(item, p, len);
        item[len] = '\0';
        if (*skip_ws(item)) {
            if (*n >= max)
                return msk_error_at(err, f->name, kv->line, 0, "[%s] %s: больше %zu полос", section,
                                    key, max);
            if (parse_band(item, &out[*n]))
                return msk_error_at(err, f->name, kv->line, 0,
                                    "[%s] %s: полоса «%s» не понята: пишите «<=5:3», «6-10:2», "
                                    "«11..20:1», «>=80:2» или «0:1» (дробные — «0.5..1:2»)",
                                    section, key, skip_ws(item));
            (*n)++;
        }
        p = *q ? q + 1 : q;
    }
    if (!*n)
        return msk_error_at(err, f->name, kv->line, 0, "[%s] %s: нет ни одной полосы", section,
                            key);
    return 0;
}

double meth_band_points(const meth_band *b, size_t n, double value, double dflt)
{
    for (size_t i = 0; i < n; i++) {
        int above = b[i].lo_open ? value > b[i].lo : value >= b[i].lo;
        int below = b[i].hi_open ? value < b[i].hi : value <= b[i].hi;
        if (above && below)
            return b[i].points;
    }
    return dflt;
}

size_t meth_list(const meth_file *f, const char *section, const char *key, const char **items,
                 size_t max)
{
    const meth_kv *kv = find_kv(f, section, key);
    if (!kv || max == 0)
        return 0;
    meth_file *mf = (meth_file *)f; /* the list buffers are a cache owned by f */
    if (grow((void **)&mf->lists, &mf->listcap, mf->nlists + 1, sizeof *mf->lists))
        return 0;
    char *buf = msk_strdup(kv->value);
    mf->lists[mf->nlists++] = buf;
    size_t n = 0;
    char *p = buf;
    while (*p && n < max) {
        char *q = p;
        while (*q && *q != ',' && *q != '\n')
            q++;
        int last = !*q;
        *q = '\0';
        char *s = (char *)skip_ws(p);
        char *e = s + strlen(s);
        while (e > s && isspace((unsigned char)e[-1]))
            *--e = '\0';
        if (*s)
            items[n++] = s;
        if (last)
            break;
        p = q + 1;
    }
    return n;
}

int meth_check_keys(const meth_file *f, const char *section, const char *const *known,
                    size_t nknown, msk_err *err)
{
    for (size_t i = 0; f && i < f->nkv; i++) {
        const meth_kv *kv = &f->kv[i];
        size_t j = 0;
        if (strcmp(kv->section, section) != 0)
            continue;
        while (j < nknown && strcmp(kv->key, known[j]) != 0)
            j++;
        if (j < nknown)
            continue;
        msk_buf allowed;
        msk_buf_init(&allowed, 0);
        for (j = 0; j < nknown; j++)
            msk_buf_printf(&allowed, "%s%s", j ? ", " : "", known[j]);
        /* row 0 as before; kv->line is known and could be given (tests pin row 0 for now) */
        msk_error_at(err, f->name, 0, 0, "[%s] неизвестный ключ «%s»: допустимы %s", section,
                     kv->key, allowed.data);
        msk_buf_release(&allowed);
        return -1;
    }
    return 0;
}
