/*
 * Form definitions (INI), periods, typed values, validation rules. See form.h, docs/forms.md.
 */
#include "form/form.h"

#include "base/deadline.h"
#include "base/mem.h"

#include <ini.h>
#include <math.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void form_msgs_release(form_msgs *m)
{
    free(m->m);
    m->m = NULL;
    m->n = 0;
}

__attribute__((format(printf, 3, 4))) static void add_msg(form_msgs *out, const char *element,
                                                          const char *fmt, ...)
{
    form_msg *g = msk_realloc(out->m, (out->n + 1) * sizeof *g);
    out->m = g;
    form_msg *m = &g[out->n++];
    snprintf(m->element, sizeof m->element, "%s", element ? element : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->text, sizeof m->text, fmt, ap);
    va_end(ap);
}

/* ---- INI ----------------------------------------------------------------------------------- */

typedef struct load_ctx {
    const char *name;
    store_form *f;
    msk_err *err;
    int failed;
    int line;        /* the line of the key inih passed last (1-based; 0 = not found) */
    const char *cur; /* where the search for the next key line starts */
} load_ctx;

/* The line of key name: Debian's inih passes no line numbers, but it calls the handler once per
 * «key = value» line, in order, so the next such line whose key is name is the one. Blank,
 * comment and [section] lines are skipped; a key never found (a continued value) keeps the
 * line of the previous key. */
static int locate(load_ctx *c, const char *name)
{
    const char *p = c->cur;
    int line = c->line ? c->line + 1 : 1;
    size_t nl = strlen(name);
    while (p && *p) {
        const char *eol = strchr(p, '\n');
        const char *q = p;
        while (*q == ' ' || *q == '\t' || *q == '\r' || (unsigned char)*q == 0xEF ||
               (unsigned char)*q == 0xBB || (unsigned char)*q == 0xBF)
            q++;
        if (*q && *q != ';' && *q != '#' && *q != '[' && *q != '\n' && !strncmp(q, name, nl)) {
            const char *r = q + nl;
            while (*r == ' ' || *r == '\t')
                r++;
            if (*r == '=' || *r == ':') {
                c->cur = eol ? eol + 1 : NULL;
                c->line = line;
                return line;
            }
        }
        p = eol ? eol + 1 : NULL;
        line++;
    }
    return c->line;
}

static int fail_at(load_ctx *c, int line, const char *fmt, const char *a, const char *b)
{
    if (!c->failed) {
        char msg[600];
        snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
        msk_error_at(c->err, c->name, line, 0, "%s", msg);
    }
    c->failed = 1;
    return 0;
}

static int code_ok(const char *s)
{
    if (!*s || strlen(s) >= 64)
        return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return 0;
    return !(s[0] >= '0' && s[0] <= '9');
}

/* Largest magnitude a form number may have: more digits than any count or sum of a school
 * (1e12 roubles, 1e7 pupils) is a typing error, not a value («1» and 70 zeros was 1e70). */
#define FORM_NUM_LIMIT 1e12
#define FORM_COUNT_LIMIT 1e7

/* A number written as people write it: blanks around, an optional sign, digits with a decimal
 * point or comma, an optional exponent. The whole text is parsed (no copy into a fixed buffer,
 * which once cut «1» + 70 zeros to 1e62); strtod's hex floats, "inf" and "nan" are not numbers
 * here. Returns 0 with *out, -1 for text, -2 for a number too long or too large. */
static int parse_double(const char *v, double *out)
{
    while (*v == ' ' || *v == '\t')
        v++;
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    size_t i = 0, digits = 0;
    if (i < n && (v[i] == '+' || v[i] == '-'))
        i++;
    while (i < n && v[i] >= '0' && v[i] <= '9')
        i++, digits++;
    if (i < n && (v[i] == '.' || v[i] == ','))
        for (i++; i < n && v[i] >= '0' && v[i] <= '9'; i++)
            digits++;
    if (!digits)
        return -1;
    if (i < n && (v[i] == 'e' || v[i] == 'E')) {
        i++;
        if (i < n && (v[i] == '+' || v[i] == '-'))
            i++;
        size_t ed = 0;
        while (i < n && v[i] >= '0' && v[i] <= '9')
            i++, ed++;
        if (!ed)
            return -1;
    }
    if (i != n)
        return -1;
    if (n > 64)
        return -2; /* more digits than any real value has */
    char buf[80], *end = NULL;
    memcpy(buf, v, n);
    buf[n] = '\0';
    for (char *p = buf; *p; p++)
        if (*p == ',')
            *p = '.';
    double d = strtod(buf, &end);
    if (end != buf + n)
        return -1;
    if (!isfinite(d) || fabs(d) > FORM_NUM_LIMIT)
        return -2;
    *out = d;
    return 0;
}

static store_form_elem *elem_of(store_form *f, const char *code)
{
    for (size_t i = 0; i < f->nel; i++)
        if (!strcmp(f->el[i].code, code))
            return &f->el[i];
    return NULL;
}

/* inih's callback for each key of a form file. Long: one branch per section ([form],
 * [element …], [rules], [indicator …]), each a few checks with a message of its own; split by
 * section, four functions would take the same context, key and value. */
static int handler(void *user, const char *section, const char *name, const char *value)
{
    load_ctx *c = user;
    const int lineno = c->failed ? 0 : locate(c, name);
    store_form *f = c->f;
    if (c->failed)
        return 0;
    if (!strcmp(section, "form")) {
        if (!strcmp(name, "code")) {
            if (!code_ok(value))
                return fail_at(c, lineno, "код формы «%s»: латинские строчные буквы, цифры и _",
                               value, NULL);
            snprintf(f->code, sizeof f->code, "%s", value);
        } else if (!strcmp(name, "name"))
            snprintf(f->name, sizeof f->name, "%s", value);
        else if (!strcmp(name, "source"))
            snprintf(f->source, sizeof f->source, "%s", value);
        else if (!strcmp(name, "period")) {
            if (strcmp(value, "year") && strcmp(value, "half_year") && strcmp(value, "month"))
                return fail_at(c, lineno, "period = «%s»: допустимы year, half_year, month", value,
                               NULL);
            snprintf(f->period_type, sizeof f->period_type, "%s", value);
        } else if (!strcmp(name, "due_days")) {
            double d;
            if (parse_double(value, &d) || d < 0 || d > 366 || d != floor(d))
                return fail_at(c, lineno, "due_days = «%s»: целое число дней от 0 до 366", value,
                               NULL);
            f->due_days = (int)d;
        } else if (!strcmp(name, "schools")) {
            /* issue 14 п. 7: a form may concern only the schools of one list of the year */
            if (strcmp(value, "all") && strcmp(value, "shnor") && strcmp(value, "risk") &&
                strcmp(value, "objectivity"))
                return fail_at(c, lineno,
                               "schools = «%s»: допустимы all (все школы), shnor, risk, "
                               "objectivity (школы этого списка по анализу года периода)",
                               value, NULL);
            snprintf(f->schools, sizeof f->schools, "%s", strcmp(value, "all") ? value : "");
        } else
            return fail_at(c, lineno, "неизвестный ключ «%s» в разделе [form]", name, NULL);
        return 1;
    }
    if (!strncmp(section, "element ", 8)) {
        const char *code = section + 8;
        if (!code_ok(code))
            return fail_at(c, lineno, "код показателя «%s»: латинские строчные буквы, цифры и _",
                           code, NULL);
        store_form_elem *e = elem_of(f, code);
        if (!e) {
            store_form_elem *g = msk_realloc(f->el, (f->nel + 1) * sizeof *g);
            f->el = g;
            e = &g[f->nel++];
            memset(e, 0, sizeof *e);
            snprintf(e->code, sizeof e->code, "%s", code);
            snprintf(e->type, sizeof e->type, "count");
            e->min = e->max = NAN;
        }
        if (!strcmp(name, "name"))
            snprintf(e->name, sizeof e->name, "%s", value);
        else if (!strcmp(name, "type")) {
            static const char *const T[] = {"number", "count", "share", "bool", "text"};
            int ok = 0;
            for (size_t i = 0; i < 5; i++)
                ok |= !strcmp(value, T[i]);
            if (!ok)
                return fail_at(c, lineno,
                               "тип «%s» показателя %s: допустимы number, count, "
                               "share, bool, text",
                               value, code);
            snprintf(e->type, sizeof e->type, "%s", value);
        } else if (!strcmp(name, "unit"))
            snprintf(e->unit, sizeof e->unit, "%s", value);
        else if (!strcmp(name, "min") || !strcmp(name, "max")) {
            double d;
            if (parse_double(value, &d))
                return fail_at(c, lineno, "%s = «%s»: нужно число", name, value);
            if (!strcmp(name, "min"))
                e->min = d;
            else
                e->max = d;
        } else if (!strcmp(name, "required"))
            e->required = !strcasecmp(value, "yes") || !strcmp(value, "1") || !strcmp(value, "да");
        else
            return fail_at(c, lineno, "неизвестный ключ «%s» показателя %s", name, code);
        return 1;
    }
    if (!strcmp(section, "rules")) {
        if (strcmp(name, "rule"))
            return fail_at(c, lineno, "в разделе [rules] — только строки rule = …%s%s", NULL, NULL);
        store_form_rule *g = msk_realloc(f->ru, (f->nru + 1) * sizeof *g);
        f->ru = g;
        store_form_rule *r = &g[f->nru++];
        memset(r, 0, sizeof *r);
        const char *bar = strchr(value, '|');
        size_t len = bar ? (size_t)(bar - value) : strlen(value);
        while (len && value[len - 1] == ' ')
            len--;
        snprintf(r->expr, sizeof r->expr, "%.*s", (int)len, value);
        if (bar) {
            bar++;
            while (*bar == ' ')
                bar++;
            snprintf(r->message, sizeof r->message, "%s", bar);
        }
        return 1;
    }
    if (!strncmp(section, "indicator ", 10)) {
        const char *code = section + 10;
        store_form_ind *r = NULL;
        for (size_t i = 0; i < f->nind; i++)
            if (!strcmp(f->ind[i].code, code))
                r = &f->ind[i];
        if (!r) {
            store_form_ind *g = msk_realloc(f->ind, (f->nind + 1) * sizeof *g);
            f->ind = g;
            r = &g[f->nind++];
            memset(r, 0, sizeof *r);
            snprintf(r->code, sizeof r->code, "%s", code);
        }
        if (!strcmp(name, "name"))
            snprintf(r->name, sizeof r->name, "%s", value);
        else if (!strcmp(name, "num"))
            snprintf(r->num, sizeof r->num, "%s", value);
        else if (!strcmp(name, "den"))
            snprintf(r->den, sizeof r->den, "%s", value);
        else
            return fail_at(c, lineno, "неизвестный ключ «%s» показателя таблицы %s", name, code);
        return 1;
    }
    return fail_at(c, lineno,
                   "неизвестный раздел [%s] (допустимы [form], [element КОД], "
                   "[rules], [indicator КОД])",
                   section, NULL);
}

static int known(void *ctx, const char *code, double *value)
{
    *value = 1;
    return elem_of(ctx, code) ? 1 : -1;
}

int form_load_ini_str(const char *name, const char *text, store_form *out, msk_err *err)
{
    load_ctx c = {name, out, err, 0, 0, text};
    memset(out, 0, sizeof *out);
    out->due_days = 10;
    int r = ini_parse_string(text, handler, &c);
    if (r > 0 && !c.failed)
        msk_error_at(err, name, r, 0, "ошибка синтаксиса INI");
    if (r < 0)
        msk_error_at(err, name, 0, 0, "не удалось прочитать файл");
    if (r || c.failed)
        goto fail;
    if (!out->code[0] || !out->name[0] || !out->period_type[0]) {
        msk_error_at(err, name, 0, 0, "в разделе [form] нужны code, name и period");
        goto fail;
    }
    if (!out->nel) {
        msk_error_at(err, name, 0, 0, "в форме нет ни одного показателя ([element КОД])");
        goto fail;
    }
    for (size_t i = 0; i < out->nel; i++)
        if (!out->el[i].name[0]) {
            msk_error_at(err, name, 0, 0, "у показателя %s нет name", out->el[i].code);
            goto fail;
        }
    for (size_t i = 0; i < out->nru; i++)
        if (form_rule_eval(out->ru[i].expr, known, out) < 0) {
            msk_error_at(err, name, 0, 0,
                         "правило «%s»: ошибка в выражении или показатель не "
                         "из этой формы",
                         out->ru[i].expr);
            goto fail;
        }
    for (size_t i = 0; i < out->nind; i++) {
        const store_form_ind *d = &out->ind[i];
        if (!d->name[0] || !elem_of(out, d->num) || (d->den[0] && !elem_of(out, d->den))) {
            msk_error_at(err, name, 0, 0,
                         "показатель таблицы %s: нужны name, num (и den) — "
                         "коды показателей этой формы",
                         d->code);
            goto fail;
        }
    }
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
    sodium_bin2hex(out->sha256, sizeof out->sha256, h, sizeof h);
    return 0;
fail:
    store_form_release(out);
    return -1;
}

int form_load_ini(const char *path, store_form *out, msk_err *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return msk_error_at(err, path, 0, 0, "не удалось открыть файл формы");
    char *text = msk_malloc(1024 * 1024 + 1);
    size_t n = fread(text, 1, 1024 * 1024, fp);
    int bad = ferror(fp) || !feof(fp);
    fclose(fp);
    if (bad) {
        free(text);
        return msk_error_at(err, path, 0, 0, "не удалось прочитать файл формы (больше 1 МБ?)");
    }
    text[n] = '\0';
    int rc = form_load_ini_str(path, text, out, err);
    free(text);
    return rc;
}

/* ---- periods ------------------------------------------------------------------------------- */

static int digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

int form_period_ok(const char *type, const char *p)
{
    size_t n = p ? strlen(p) : 0;
    if (n < 4 || !digits(p, 4) || p[0] != '2')
        return 0;
    if (!strcmp(type, "year"))
        return n == 4;
    if (!strcmp(type, "half_year"))
        return n == 7 && p[4] == '-' && p[5] == 'H' && (p[6] == '1' || p[6] == '2');
    if (!strcmp(type, "month"))
        return n == 7 && p[4] == '-' && digits(p + 5, 2) && (p[5] - '0') * 10 + (p[6] - '0') >= 1 &&
               (p[5] - '0') * 10 + (p[6] - '0') <= 12;
    return 0;
}

static int year_of(const char *p)
{
    return (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
}

void form_period_prev(const char *type, const char *p, char out[16])
{
    int y = year_of(p);
    if (!strcmp(type, "year"))
        snprintf(out, 16, "%04d", y - 1);
    else if (!strcmp(type, "half_year"))
        snprintf(out, 16, p[6] == '2' ? "%04d-H1" : "%04d-H2", p[6] == '2' ? y : y - 1);
    else {
        int m = (p[5] - '0') * 10 + (p[6] - '0');
        if (--m == 0) {
            m = 12;
            y--;
        }
        snprintf(out, 16, "%04d-%02d", y, m);
    }
}

int form_period_school_year(const char *type, const char *p)
{
    int y = year_of(p);
    if (!strcmp(type, "month") && (p[5] - '0') * 10 + (p[6] - '0') >= 9)
        return y + 1; /* September opens the school year that ends next summer */
    return y;
}

void form_period_due(const char *type, const char *p, int due_days, char out[11])
{
    int y = year_of(p), m, d;
    if (!strcmp(type, "year")) {
        m = 8; /* the school year ends 31 August */
    } else if (!strcmp(type, "half_year")) {
        if (p[6] == '1') {
            y--;
            m = 12;
        } else {
            m = 5;
        }
    } else {
        m = (p[5] - '0') * 10 + (p[6] - '0');
    }
    d = deadline_month_days(y, m);
    msk_deadline dl = {.kind = DUE_EVENT, .days = due_days, .why = ""};
    char end[16];
    snprintf(end, sizeof end, "%04d-%02d-%02d", y, m, d);
    if (deadline_after_event(&dl, end) == 0)
        deadline_iso(&dl, out, 11);
    else
        snprintf(out, 11, "%s", end);
}

/* ---- values -------------------------------------------------------------------------------- */

static const char *trim(const char *s, char *buf, size_t bufsz)
{
    while (*s == ' ' || *s == '\t')
        s++;
    snprintf(buf, bufsz, "%s", s);
    size_t n = strlen(buf);
    while (n &&
           (buf[n - 1] == ' ' || buf[n - 1] == '\t' || buf[n - 1] == '\r' || buf[n - 1] == '\n'))
        buf[--n] = '\0';
    return buf;
}

static void fmt_num(double v, char *out, size_t outsz)
{
    snprintf(out, outsz, "%g", v);
    for (char *p = out; *p; p++)
        if (*p == '.')
            *p = ',';
}

int form_parse_value(const store_form_elem *e, const char *text, store_fvalue *out, char *msg,
                     size_t msgsz)
{
    char buf[1024];
    memset(out, 0, sizeof *out);
    trim(text ? text : "", buf, sizeof buf);
    if (strlen(buf) + 1 == sizeof buf) { /* filled: the text may have been cut, never store it so */
        snprintf(msg, msgsz, "значение длиннее %zu байт: сократите его", sizeof buf - 2);
        return -1;
    }
    snprintf(out->element, sizeof out->element, "%s", e->code);
    out->value = NAN;
    if (!buf[0])
        return 0; /* no value */
    out->has_value = 1;
    if (!strcmp(e->type, "text")) {
        snprintf(out->text, sizeof out->text, "%s", buf);
        return 0;
    }
    if (!strcmp(e->type, "bool")) {
        static const char *const YES[] = {"1", "да", "Да", "ДА", "yes", "true", "есть", "+"};
        static const char *const NO[] = {"0", "нет", "Нет", "НЕТ", "no", "false", "-"};
        for (size_t i = 0; i < sizeof YES / sizeof YES[0]; i++)
            if (!strcmp(buf, YES[i]))
                out->value = 1;
        for (size_t i = 0; i < sizeof NO / sizeof NO[0]; i++)
            if (!strcmp(buf, NO[i]))
                out->value = 0;
        if (isnan(out->value)) {
            snprintf(msg, msgsz, "«%s»: ожидается «да» или «нет»", buf);
            return -1;
        }
        return 0;
    }
    double v;
    int prc = parse_double(buf, &v);
    if (prc == -2) {
        snprintf(msg, msgsz, "«%.40s»: слишком большое число", buf);
        return -1;
    }
    if (prc || !isfinite(v)) {
        snprintf(msg, msgsz, "«%s»: ожидается число", buf);
        return -1;
    }
    if (!strcmp(e->type, "count") && (v != floor(v) || v < 0)) {
        snprintf(msg, msgsz, "«%s»: ожидается целое неотрицательное число", buf);
        return -1;
    }
    if (!strcmp(e->type, "count") && v > FORM_COUNT_LIMIT) {
        snprintf(msg, msgsz, "«%s»: слишком большое число (не больше 10 000 000)", buf);
        return -1;
    }
    char lim[32];
    if (!isnan(e->min) && v < e->min) {
        fmt_num(e->min, lim, sizeof lim);
        snprintf(msg, msgsz, "«%s»: не меньше %s%s%s", buf, lim, e->unit[0] ? " " : "", e->unit);
        return -1;
    }
    if (!isnan(e->max) && v > e->max) {
        fmt_num(e->max, lim, sizeof lim);
        snprintf(msg, msgsz, "«%s»: не больше %s%s%s", buf, lim, e->unit[0] ? " " : "", e->unit);
        return -1;
    }
    out->value = v;
    return 0;
}

/* ---- rules --------------------------------------------------------------------------------- */

typedef struct ev {
    const char *p;
    int (*get)(void *ctx, const char *code, double *value);
    void *ctx;
    int missing, bad;
} ev;

static void skip(ev *e)
{
    while (*e->p == ' ' || *e->p == '\t')
        e->p++;
}

static double side(ev *e);

static double factor(ev *e)
{
    skip(e);
    if (*e->p == '(') {
        e->p++;
        double v = side(e);
        skip(e);
        if (*e->p != ')')
            e->bad = 1;
        else
            e->p++;
        return v;
    }
    if (*e->p == '-') {
        e->p++;
        return -factor(e);
    }
    if ((*e->p >= '0' && *e->p <= '9') || *e->p == '.') {
        char *end;
        double v = strtod(e->p, &end);
        if (end == e->p)
            e->bad = 1;
        e->p = end;
        return v;
    }
    if ((*e->p >= 'a' && *e->p <= 'z') || *e->p == '_') {
        char code[64];
        size_t n = 0;
        while (((*e->p >= 'a' && *e->p <= 'z') || (*e->p >= '0' && *e->p <= '9') || *e->p == '_') &&
               n + 1 < sizeof code)
            code[n++] = *e->p++;
        code[n] = '\0';
        double v = 0;
        int r = e->get(e->ctx, code, &v);
        if (r < 0)
            e->bad = 1;
        else if (r == 0)
            e->missing = 1;
        return v;
    }
    e->bad = 1;
    return 0;
}

static double term(ev *e)
{
    double v = factor(e);
    for (;;) {
        skip(e);
        if (*e->p == '*') {
            e->p++;
            v *= factor(e);
        } else if (*e->p == '/') {
            e->p++;
            double d = factor(e);
            if (d == 0)
                e->missing = 1; /* a share of nothing: the rule does not apply */
            else
                v /= d;
        } else {
            return v;
        }
    }
}

static double side(ev *e)
{
    double v = term(e);
    for (;;) {
        skip(e);
        if (*e->p == '+') {
            e->p++;
            v += term(e);
        } else if (*e->p == '-') {
            e->p++;
            v -= term(e);
        } else {
            return v;
        }
    }
}

int form_rule_eval(const char *expr, int (*get)(void *ctx, const char *code, double *value),
                   void *ctx)
{
    ev e = {expr, get, ctx, 0, 0};
    double a = side(&e);
    skip(&e);
    char op[3] = {0};
    if (e.p[0] == '<' || e.p[0] == '>' || e.p[0] == '=' || e.p[0] == '!') {
        op[0] = e.p[0];
        if (e.p[1] == '=') {
            op[1] = '=';
            e.p += 2;
        } else {
            e.p += 1;
        }
    } else {
        return -1;
    }
    double b = side(&e);
    skip(&e);
    if (e.bad || *e.p || !strcmp(op, "!"))
        return -1;
    if (e.missing)
        return 2;
    const double eps = 1e-9;
    if (!strcmp(op, "<="))
        return a <= b + eps;
    if (!strcmp(op, ">="))
        return a + eps >= b;
    if (!strcmp(op, "<"))
        return a < b - eps;
    if (!strcmp(op, ">"))
        return a > b + eps;
    if (!strcmp(op, "!="))
        return fabs(a - b) > eps;
    return fabs(a - b) <= eps; /* "=" and "==" */
}

typedef struct vals_ctx {
    const store_form *f;
    const store_fvalue *v;
    size_t n;
} vals_ctx;

static int get_value(void *ctx, const char *code, double *value)
{
    vals_ctx *c = ctx;
    int in_form = 0;
    for (size_t i = 0; i < c->f->nel; i++)
        in_form |= !strcmp(c->f->el[i].code, code);
    if (!in_form)
        return -1;
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->v[i].element, code) && c->v[i].has_value && !isnan(c->v[i].value)) {
            *value = c->v[i].value;
            return 1;
        }
    return 0;
}

/* The element codes named in a rule, for the messages next to each field. */
static void rule_fields(const store_form *f, const store_form_rule *r, form_msgs *out,
                        const char *text)
{
    int any = 0;
    for (size_t i = 0; i < f->nel; i++) {
        const char *p = r->expr;
        size_t n = strlen(f->el[i].code);
        while ((p = strstr(p, f->el[i].code)) != NULL) {
            int before = p == r->expr || !((p[-1] >= 'a' && p[-1] <= 'z') ||
                                           (p[-1] >= '0' && p[-1] <= '9') || p[-1] == '_');
            char a = p[n];
            int after = !((a >= 'a' && a <= 'z') || (a >= '0' && a <= '9') || a == '_');
            if (before && after) {
                add_msg(out, f->el[i].code, "%s", text);
                any = 1;
                break;
            }
            p += n;
        }
    }
    if (!any)
        add_msg(out, "", "%s", text);
}

int form_check(const store_form *f, const store_fvalue *v, size_t n, int submit, form_msgs *out)
{
    int problems = 0;
    for (size_t i = 0; i < f->nel; i++) {
        const store_form_elem *e = &f->el[i];
        const store_fvalue *x = NULL;
        for (size_t k = 0; k < n; k++)
            if (!strcmp(v[k].element, e->code))
                x = &v[k];
        if (!x || !x->has_value) {
            if (submit && e->required) {
                add_msg(out, e->code, "%s: обязательный показатель не заполнен", e->name);
                problems++;
            }
            continue;
        }
        if (isnan(x->value))
            continue;
        char lim[32];
        if (!isnan(e->min) && x->value < e->min) {
            fmt_num(e->min, lim, sizeof lim);
            add_msg(out, e->code, "%s: не меньше %s", e->name, lim);
            problems++;
        } else if (!isnan(e->max) && x->value > e->max) {
            fmt_num(e->max, lim, sizeof lim);
            add_msg(out, e->code, "%s: не больше %s", e->name, lim);
            problems++;
        }
    }
    if (!submit)
        return problems;
    vals_ctx c = {f, v, n};
    for (size_t i = 0; i < f->nru; i++) {
        int r = form_rule_eval(f->ru[i].expr, get_value, &c);
        if (r == 0 || r < 0) {
            char text[600];
            snprintf(text, sizeof text, "%s (правило %s)",
                     f->ru[i].message[0] ? f->ru[i].message : "не выполнено правило",
                     f->ru[i].expr);
            rule_fields(f, &f->ru[i], out, text);
            problems++;
        }
    }
    return problems;
}
