/*
 * Direction files (directions.h): the INI text read with inih into [direction] and [indicator
 * CODE] sections (lines kept for messages), the formulas parsed once into a flat sum of signed
 * items (numbers and terms), the distinct terms shared through a cache, and the evaluation:
 * per school, municipal ratio of sums, status against the year's target, dynamics over three
 * years, the schools outside the target worst first (contract of issue 15, §1–§4).
 */
#include "method/directions.h"

#include "base/buf.h"
#include "base/jsonw.h"
#include "base/mem.h"
#include "base/muni.h"

#include <ini.h>
#include <sodium.h>

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { DIR_MAX_ITEMS = 32, DIR_MAX_YEARS = 16, DIR_DYN = 3 };

/* A formula: sum of sign × (number or term). */
typedef struct dir_item {
    double sign, num;
    int term; /* index into the file's terms, -1 for a number */
} dir_item;

typedef struct dir_expr {
    size_t n;
    dir_item it[DIR_MAX_ITEMS];
    int line;
} dir_expr;

typedef struct dir_ind {
    char *code, *name, *section, *unit, *source;
    int school_level, lower_better, has_den, line;
    int skip_all;          /* missing = all: a sum has no value only when all its terms have none */
    double factor, target; /* target NAN when none */
    int tyear[DIR_MAX_YEARS];
    double tval[DIR_MAX_YEARS];
    size_t ntargets;
    dir_expr num, den;
} dir_ind;

struct dir_file {
    char *name, *code, *title, *sections;
    char hash[crypto_hash_sha256_BYTES * 2 + 1];
    int n;
    char **goals;
    size_t ngoals;
    dir_ind *ind;
    size_t nind;
    dir_term *terms;
    size_t nterms;
};

/* ---- filters ---- */

static int parse_double(const char *s, double *out)
{
    char buf[96], *end;
    size_t n = 0;
    for (; *s && n + 1 < sizeof buf; s++)
        buf[n++] = *s == ',' ? '.' : *s;
    buf[n] = '\0';
    if (!n)
        return -1;
    errno = 0;
    double v = strtod(buf, &end);
    while (*end == ' ')
        end++;
    if (errno || *end || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

int dir_filter_num(const dir_filter *f, double v)
{
    if (!f->is_num || isnan(v))
        return 0;
    double x = f->x;
    switch (f->opc) {
    case DIR_OP_EQ:
        return fabs(v - x) < 1e-9;
    case DIR_OP_NE:
        return fabs(v - x) >= 1e-9;
    case DIR_OP_GE:
        return v >= x - 1e-9;
    case DIR_OP_LE:
        return v <= x + 1e-9;
    case DIR_OP_GT:
        return v > x + 1e-9;
    default:
        return v < x - 1e-9;
    }
}

int dir_filter_str(const dir_filter *f, const char *s)
{
    int eq = strcasecmp(f->value, s ? s : "") == 0;
    return f->opc == DIR_OP_NE ? !eq : eq;
}

int dir_stage_rank(const char *stage)
{
    static const char *const STAGES[] = {"school", "municipal", "regional", "final"};
    for (int i = 0; i < 4; i++)
        if (!strcasecmp(stage, STAGES[i]))
            return i;
    return -1;
}

const dir_filter *dir_term_filter(const dir_term *t, const char *key)
{
    for (size_t i = 0; i < t->nf; i++)
        if (!strcmp(t->f[i].key, key))
            return &t->f[i];
    return NULL;
}

/* ---- the terms a formula may use ---- */

typedef struct term_spec {
    const char *fn;
    int npos;            /* positional arguments: 0, 1 (list, form, registry) or 2 (registry_sum) */
    int max_filters;     /* registry terms: one filter (the store's API) */
    const char *keys;    /* allowed filter keys, space-separated; NULL = any (registry columns) */
    const char *numeric; /* keys compared as numbers (any op allowed); others = and != only */
} term_spec;

static const term_spec SPECS[] = {
    {"schools", 0, 0, "", ""},
    {"pupils", 0, 0, "", ""},
    {"results", 0, DIR_MAX_FILTERS, "kind subject grade mark score below_min ovz",
     "grade mark score below_min ovz"},
    {"participants", 0, DIR_MAX_FILTERS, "kind subject grade mark score below_min ovz",
     "grade mark score below_min ovz"},
    {"score_sum", 0, DIR_MAX_FILTERS, "kind subject grade mark score below_min ovz",
     "grade mark score below_min ovz"},
    {"olympiad", 0, DIR_MAX_FILTERS, "stage status subject grade", "grade"},
    {"graduates", 0, DIR_MAX_FILTERS, "grade attestat medal destination", "grade attestat medal"},
    {"ege3", 0, 2, "threshold subjects", "subjects"},
    {"list", 1, 0, "", ""},
    /* seed 002 §2.3.1 п. 3: a school's share of unsatisfactory results fell from Y−1 to Y */
    {"improved", 0, DIR_MAX_FILTERS, "list kind subject grade", "grade"},
    /* seed 002 §3.3.1 п. 3: on a list of Y−1, not on it in Y (risks eliminated) */
    {"list_left", 1, 0, "", ""},
    {"form", 1, 0, "", ""},
    {"registry", 1, 1, NULL, NULL},
    {"registry_sum", 2, 1, NULL, NULL},
    /* seed 001 п. 1.13, 8.4 «Постоянно»: a running bank — rows of year Y or before, not excluded */
    {"registry_bank", 1, 1, NULL, NULL},
};

static const term_spec *spec_of(const char *fn)
{
    for (size_t i = 0; i < sizeof SPECS / sizeof *SPECS; i++)
        if (!strcmp(SPECS[i].fn, fn))
            return &SPECS[i];
    return NULL;
}

static int word_in(const char *list, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = list; p && *p;) {
        while (*p == ' ')
            p++;
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && !strncmp(p, w, n))
            return 1;
        p += len;
    }
    return 0;
}

/* ---- formula parser: expr := ['+'|'-'] item (('+'|'-') item)*; item := number | name(args) */

typedef struct eparse {
    const char *p;
    const char *file;
    int line;
    dir_file *f;
    msk_err *err;
} eparse;

static void skip_ws(eparse *e)
{
    while (*e->p == ' ' || *e->p == '\t' || *e->p == '\n' || *e->p == '\r')
        e->p++;
}

static int eerr(eparse *e, const char *what)
{
    return msk_error_at(e->err, e->file, e->line, 0, "формула: %s", what);
}

static void trim_copy(char *out, size_t outsz, const char *a, const char *b)
{
    while (a < b && isspace((unsigned char)*a))
        a++;
    while (b > a && isspace((unsigned char)b[-1]))
        b--;
    size_t n = (size_t)(b - a);
    if (n >= outsz)
        n = outsz - 1;
    memcpy(out, a, n);
    out[n] = '\0';
}

/* One argument "key op value" or a bare value (positional). */
static int parse_arg(eparse *e, dir_term *t, const term_spec *sp, int *npos, const char *a,
                     const char *b)
{
    static const char *const OPS[] = {"!=", ">=", "<=", "=", ">", "<"};
    char msg[600];
    const char *op = NULL;
    size_t oplen = 0;
    for (const char *q = a; q < b && !op; q++)
        for (size_t k = 0; k < sizeof OPS / sizeof *OPS; k++)
            if ((size_t)(b - q) >= strlen(OPS[k]) && !strncmp(q, OPS[k], strlen(OPS[k]))) {
                op = q, oplen = strlen(OPS[k]);
                break;
            }
    if (!op) {
        char v[96];
        trim_copy(v, sizeof v, a, b);
        if (!v[0] || *npos >= sp->npos) {
            snprintf(msg, sizeof msg, "у %s() лишний аргумент «%s»: ожидается «ключ=значение»",
                     sp->fn, v);
            return eerr(e, msg);
        }
        snprintf(*npos == 0 ? t->arg : t->arg2, *npos == 0 ? sizeof t->arg : sizeof t->arg2, "%s",
                 v);
        (*npos)++;
        return 0;
    }
    if (t->nf >= (size_t)sp->max_filters) {
        snprintf(msg, sizeof msg, "у %s() не больше %d условий", sp->fn, sp->max_filters);
        return eerr(e, msg);
    }
    dir_filter *f = &t->f[t->nf];
    trim_copy(f->key, sizeof f->key, a, op);
    memcpy(f->op, op, oplen);
    f->op[oplen] = '\0';
    trim_copy(f->value, sizeof f->value, op + oplen, b);
    if (!f->key[0] || !f->value[0]) {
        snprintf(msg, sizeof msg, "в %s() условие без ключа или значения", sp->fn);
        return eerr(e, msg);
    }
    if (sp->keys && !word_in(sp->keys, f->key)) {
        snprintf(msg, sizeof msg, "у %s() нет условия «%s»; можно: %s", sp->fn, f->key,
                 sp->keys[0] ? sp->keys : "без условий");
        return eerr(e, msg);
    }
    /* olympiad stages are ordered: stage>=municipal is municipal, regional and final */
    int stage = !strcmp(sp->fn, "olympiad") && !strcmp(f->key, "stage");
    if (stage && dir_stage_rank(f->value) < 0) {
        snprintf(msg, sizeof msg,
                 "этап олимпиады «%s» неизвестен: school, municipal, regional, final", f->value);
        return eerr(e, msg);
    }
    int numeric = stage || !sp->numeric || word_in(sp->numeric, f->key);
    double x;
    if (sp->numeric && numeric && !stage && parse_double(f->value, &x)) {
        snprintf(msg, sizeof msg, "в %s() значение «%s» условия %s — не число", sp->fn, f->value,
                 f->key);
        return eerr(e, msg);
    }
    if (!numeric && strcmp(f->op, "=") && strcmp(f->op, "!=")) {
        snprintf(msg, sizeof msg, "в %s() условие %s сравнивается только «=» или «!=»", sp->fn,
                 f->key);
        return eerr(e, msg);
    }
    static const char *const OPNAME[] = {"=", "!=", ">=", "<=", ">", "<"};
    for (int k = 0; k < 6; k++)
        if (!strcmp(f->op, OPNAME[k]))
            f->opc = k;
    f->is_num = parse_double(f->value, &f->x) == 0;
    if (stage)
        f->is_num = 1, f->x = dir_stage_rank(f->value);
    t->nf++;
    return 0;
}

/* The canonical text of a term: name(positional, key op value …), filters in file order. */
static void term_key(dir_term *t)
{
    msk_buf b;
    msk_buf_init(&b, sizeof t->key - 1);
    msk_buf_printf(&b, "%s(", t->fn);
    const char *sep = "";
    if (t->arg[0])
        msk_buf_printf(&b, "%s", t->arg), sep = ", ";
    if (t->arg2[0])
        msk_buf_printf(&b, "%s%s", sep, t->arg2), sep = ", ";
    for (size_t i = 0; i < t->nf; i++, sep = ", ")
        msk_buf_printf(&b, "%s%s%s%s", sep, t->f[i].key, t->f[i].op, t->f[i].value);
    msk_buf_putc(&b, ')');
    snprintf(t->key, sizeof t->key, "%s", b.len ? b.data : t->fn);
    msk_buf_release(&b);
}

static int intern_term(dir_file *f, const dir_term *t)
{
    for (size_t i = 0; i < f->nterms; i++)
        if (!strcmp(f->terms[i].key, t->key))
            return (int)i;
    f->terms = msk_reallocarray(f->terms, f->nterms + 1, sizeof *f->terms);
    f->terms[f->nterms] = *t;
    return (int)f->nterms++;
}

static int list_known(const char *name)
{
    return !strcmp(name, "shnor") || !strcmp(name, "risk") || !strcmp(name, "objectivity");
}

static int parse_term(eparse *e, dir_item *it)
{
    char msg[600];
    const char *a = e->p;
    while (isalnum((unsigned char)*e->p) || *e->p == '_')
        e->p++;
    dir_term t;
    memset(&t, 0, sizeof t);
    trim_copy(t.fn, sizeof t.fn, a, e->p);
    const term_spec *sp = spec_of(t.fn);
    skip_ws(e);
    if (!t.fn[0] || !sp || *e->p != '(') {
        snprintf(msg, sizeof msg,
                 "неизвестный член «%.*s»: ожидается число или schools(), pupils(), results(…), "
                 "participants(…), score_sum(…), olympiad(…), graduates(…), ege3(…), list(…), "
                 "list_left(…), improved(…), form(…), registry(…), registry_sum(…), "
                 "registry_bank(…)",
                 (int)(e->p - a) > 0 ? (int)(e->p - a) : 1, a);
        return eerr(e, msg);
    }
    e->p++;
    const char *close = strchr(e->p, ')');
    if (!close)
        return eerr(e, "нет закрывающей скобки «)»");
    int npos = 0;
    const char *q = e->p;
    while (q < close) {
        const char *comma = memchr(q, ',', (size_t)(close - q));
        const char *end = comma ? comma : close;
        char probe[8];
        trim_copy(probe, sizeof probe, q, end);
        if (probe[0] || comma)
            if (parse_arg(e, &t, sp, &npos, q, end))
                return -1;
        q = comma ? comma + 1 : close;
    }
    e->p = close + 1;
    if (npos < sp->npos) {
        snprintf(msg, sizeof msg, "%s() ожидает %s", sp->fn,
                 !strcmp(sp->fn, "list")        ? "список: list(shnor), list(risk) или "
                                                  "list(objectivity)"
                 : !strcmp(sp->fn, "list_left") ? "список: list_left(shnor), list_left(risk) "
                                                  "или list_left(objectivity)"
                 : !strcmp(sp->fn, "form") ? "показатель формы: form(ФОРМА.ПОКАЗАТЕЛЬ)"
                 : !strcmp(sp->fn, "registry_sum") ? "реестр и столбец: registry_sum(ВИД, столбец)"
                 : !strcmp(sp->fn, "registry_bank")
                     ? "вид реестра: registry_bank(ВИД, столбец=значение)"
                     : "вид реестра: registry(ВИД, столбец=значение)");
        return eerr(e, msg);
    }
    if ((!strcmp(sp->fn, "list") || !strcmp(sp->fn, "list_left")) && !list_known(t.arg)) {
        snprintf(msg, sizeof msg, "%s(%s): списка нет; есть shnor, risk, objectivity", sp->fn,
                 t.arg);
        return eerr(e, msg);
    }
    const dir_filter *lf = dir_term_filter(&t, "list");
    if (!strcmp(sp->fn, "improved") && lf && !list_known(lf->value)) {
        snprintf(msg, sizeof msg, "improved(list=%s): списка нет; есть shnor, risk, objectivity",
                 lf->value);
        return eerr(e, msg);
    }
    if (!strcmp(sp->fn, "form") && !strchr(t.arg, '.')) {
        snprintf(msg, sizeof msg, "form(%s): ожидается ФОРМА.ПОКАЗАТЕЛЬ", t.arg);
        return eerr(e, msg);
    }
    term_key(&t);
    it->term = intern_term(e->f, &t);
    return 0;
}

static int parse_expr(dir_file *f, const char *file, int line, const char *text, dir_expr *x,
                      msk_err *err)
{
    eparse e = {text, file, line, f, err};
    memset(x, 0, sizeof *x);
    x->line = line;
    skip_ws(&e);
    if (!*e.p)
        return eerr(&e, "пустая формула");
    double sign = 1;
    for (;;) {
        skip_ws(&e);
        if (*e.p == '+' || *e.p == '-') {
            sign = *e.p == '-' ? -sign : sign;
            e.p++;
            continue;
        }
        if (x->n >= DIR_MAX_ITEMS)
            return eerr(&e, "слишком много членов (не больше 32)");
        dir_item *it = &x->it[x->n];
        it->sign = sign;
        it->term = -1;
        if (isdigit((unsigned char)*e.p) || *e.p == '.') {
            const char *a = e.p;
            while (isdigit((unsigned char)*e.p) || *e.p == '.' || *e.p == ',')
                e.p++;
            char v[64];
            trim_copy(v, sizeof v, a, e.p);
            if (parse_double(v, &it->num))
                return eerr(&e, "число записано неверно");
        } else if (parse_term(&e, it))
            return -1;
        x->n++;
        sign = 1;
        skip_ws(&e);
        if (!*e.p)
            return 0;
        if (*e.p != '+' && *e.p != '-') {
            char msg[160];
            snprintf(msg, sizeof msg, "после члена ожидается «+» или «-», а не «%.20s»", e.p);
            return eerr(&e, msg);
        }
    }
}

/* ---- INI reading ---- */

typedef struct kv {
    char *section, *key, *value;
    int line, sec_line;
} kv;

typedef struct pctx {
    const char *p, *end, *cur;
    int line, long_line, cont;
    int sec_line; /* line of the latest «[section]» */
    kv *kv;
    size_t nkv;
} pctx;

/* inih reader: one line at a time from memory, counting lines. A line longer than inih's
 * buffer is cut at its last space that fits and the rest handed over as an indented
 * continuation line, which the handler joins back with one space: goals and names may be long. */
static char *reader(char *str, int num, void *stream)
{
    pctx *c = stream;
    if (c->p >= c->end)
        return NULL;
    const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
    const char *stop = nl ? nl + 1 : c->end;
    size_t len = (size_t)(stop - c->p);
    if (!c->cont) {
        c->line++;
        const char *q = c->p;
        while (q < stop && (*q == ' ' || *q == '\t'))
            q++;
        if (q < stop && *q == '[')
            c->sec_line = c->line;
    }
    c->cont = 0;
    c->cur = c->p;
    if (len > (size_t)num - 1) {
        const char *cut = c->p + num - 2;
        while (cut > c->p + 1 && *cut != ' ')
            cut--;
        if (cut <= c->p + 1) {
            if (!c->long_line)
                c->long_line = c->line;
            cut = c->p + num - 1;
        } else
            c->cont = 1;
        len = (size_t)(cut - c->p);
        memcpy(str, c->p, len);
        str[len] = '\0';
        c->p = cut;
        return str;
    }
    memcpy(str, c->p, len);
    str[len] = '\0';
    c->p = stop;
    return str;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
    pctx *c = user;
    /* an indented line right after a key continues its value (inih reports it as the key) */
    if (c->nkv && c->cur && (*c->cur == ' ' || *c->cur == '\t') &&
        !strcmp(c->kv[c->nkv - 1].section, section) && !strcmp(c->kv[c->nkv - 1].key, name)) {
        kv *k = &c->kv[c->nkv - 1];
        size_t a = strlen(k->value), b = strlen(value);
        k->value = msk_realloc(k->value, a + b + 2);
        k->value[a] = ' ';
        memcpy(k->value + a + 1, value, b + 1);
        return 1;
    }
    c->kv = msk_reallocarray(c->kv, c->nkv + 1, sizeof *c->kv);
    kv *k = &c->kv[c->nkv++];
    k->section = msk_strdup(section);
    k->key = msk_strdup(name);
    k->value = msk_strdup(value);
    k->line = c->line;
    k->sec_line = c->sec_line;
    return 1;
}

void dir_free(dir_file *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nind; i++) {
        dir_ind *d = &f->ind[i];
        free(d->code), free(d->name), free(d->section), free(d->unit), free(d->source);
    }
    free(f->ind);
    for (size_t i = 0; i < f->ngoals; i++)
        free(f->goals[i]);
    free(f->goals);
    free(f->terms);
    free(f->name), free(f->code), free(f->title), free(f->sections);
    free(f);
}

static const char *const DIR_CODES[] = {"training",   "shnor",       "talents",
                                        "career",     "objectivity", "heads",
                                        "methodical", "dpo",         "upbringing"};

static int direction_key(dir_file *f, const kv *k, msk_err *err)
{
    const char *v = k->value;
    if (!strcmp(k->key, "code")) {
        int ok = 0;
        for (size_t i = 0; i < sizeof DIR_CODES / sizeof *DIR_CODES; i++)
            ok |= !strcmp(v, DIR_CODES[i]);
        if (!ok)
            return msk_error_at(err, f->name, k->line, 0,
                                "код направления «%s» неизвестен: training, shnor, talents, "
                                "career, objectivity, heads, methodical, dpo, upbringing",
                                v);
        free(f->code), f->code = msk_strdup(v);
    } else if (!strcmp(k->key, "n")) {
        double n;
        if (parse_double(v, &n) || n < 1 || n > 9 || n != floor(n))
            return msk_error_at(err, f->name, k->line, 0,
                                "n — номер направления от 1 до 9, а не «%s»", v);
        f->n = (int)n;
    } else if (!strcmp(k->key, "name"))
        free(f->title), f->title = msk_strdup(v);
    else if (!strcmp(k->key, "sections"))
        free(f->sections), f->sections = msk_strdup(v);
    else if (!strcmp(k->key, "goal")) {
        f->goals = msk_reallocarray(f->goals, f->ngoals + 1, sizeof *f->goals);
        f->goals[f->ngoals++] = msk_strdup(v);
    } else
        return msk_error_at(err, f->name, k->line, 0,
                            "в разделе [direction] нет ключа «%s»; можно: code, n, name, "
                            "sections, goal",
                            k->key);
    return 0;
}

static int target_year(const char *key, int *year)
{
    if (strncmp(key, "target.", 7) != 0)
        return 0;
    char *end;
    long y = strtol(key + 7, &end, 10);
    if (*end || y < 1990 || y > 2200)
        return -1;
    *year = (int)y;
    return 1;
}

static int indicator_key(dir_file *f, dir_ind *d, const kv *k, msk_err *err)
{
    const char *v = k->value, *key = k->key;
    int ty = 0, tr = target_year(key, &ty);
    double x;
    if (!strcmp(key, "name"))
        free(d->name), d->name = msk_strdup(v);
    else if (!strcmp(key, "section"))
        free(d->section), d->section = msk_strdup(v);
    else if (!strcmp(key, "unit"))
        free(d->unit), d->unit = msk_strdup(v);
    else if (!strcmp(key, "source"))
        free(d->source), d->source = msk_strdup(v);
    else if (!strcmp(key, "level")) {
        if (strcmp(v, "school") && strcmp(v, "municipality"))
            return msk_error_at(err, f->name, k->line, 0,
                                "level — school или municipality, а не «%s»", v);
        d->school_level = !strcmp(v, "school");
    } else if (!strcmp(key, "good")) {
        if (strcmp(v, "higher") && strcmp(v, "lower"))
            return msk_error_at(err, f->name, k->line, 0, "good — higher или lower, а не «%s»", v);
        d->lower_better = !strcmp(v, "lower");
    } else if (!strcmp(key, "missing")) {
        /* DHIS2's missing value strategy: skip if any value is missing (the default) or only if
         * all are */
        if (strcmp(v, "any") && strcmp(v, "all"))
            return msk_error_at(err, f->name, k->line, 0, "missing — any или all, а не «%s»", v);
        d->skip_all = !strcmp(v, "all");
    } else if (!strcmp(key, "factor")) {
        if (parse_double(v, &x) || x == 0)
            return msk_error_at(err, f->name, k->line, 0, "factor — ненулевое число, а не «%s»", v);
        d->factor = x;
    } else if (!strcmp(key, "num")) {
        if (parse_expr(f, f->name, k->line, v, &d->num, err))
            return -1;
    } else if (!strcmp(key, "den")) {
        if (parse_expr(f, f->name, k->line, v, &d->den, err))
            return -1;
        d->has_den = 1;
    } else if (!strcmp(key, "target") || tr == 1) {
        if (parse_double(v, &x))
            return msk_error_at(err, f->name, k->line, 0, "цель %s — число, а не «%s»", key, v);
        if (tr != 1)
            d->target = x;
        else {
            if (d->ntargets >= DIR_MAX_YEARS)
                return msk_error_at(err, f->name, k->line, 0, "не больше %d целей по годам",
                                    DIR_MAX_YEARS);
            d->tyear[d->ntargets] = ty;
            d->tval[d->ntargets++] = x;
        }
    } else if (tr < 0)
        return msk_error_at(err, f->name, k->line, 0, "ключ %s: ожидается target.ГОД (target.2024)",
                            key);
    else
        return msk_error_at(err, f->name, k->line, 0,
                            "у показателя нет ключа «%s»; можно: name, section, level, good, unit, "
                            "num, den, factor, missing, target, target.ГОД, source",
                            key);
    return 0;
}

static int build(dir_file *f, const pctx *c, msk_err *err)
{
    int seen_dir = 0;
    for (size_t i = 0; i < c->nkv; i++) {
        const kv *k = &c->kv[i];
        int rep = 0;
        for (size_t j = 0; j < i && strcmp(k->key, "goal"); j++)
            rep |= !strcmp(c->kv[j].section, k->section) && !strcmp(c->kv[j].key, k->key);
        if (rep && strcmp(c->kv[i - 1].section, k->section))
            return msk_error_at(err, f->name, k->sec_line, 0, "раздел [%s] описан дважды",
                                k->section);
        if (rep)
            return msk_error_at(err, f->name, k->line, 0,
                                "ключ %s в разделе [%s] повторяется: оставьте одно значение",
                                k->key, k->section);
        if (!strcmp(k->section, "direction")) {
            seen_dir = 1;
            if (direction_key(f, k, err))
                return -1;
            continue;
        }
        if (strncmp(k->section, "indicator ", 10) != 0 || !k->section[10])
            return msk_error_at(err, f->name, k->line, 0,
                                "раздел [%s] неизвестен: ожидается [direction] или [indicator "
                                "КОД]",
                                k->section);
        const char *code = k->section + 10;
        dir_ind *d = f->nind ? &f->ind[f->nind - 1] : NULL;
        if (!d || strcmp(d->code, code)) {
            for (size_t j = 0; j < f->nind; j++)
                if (!strcmp(f->ind[j].code, code))
                    return msk_error_at(err, f->name, k->sec_line ? k->sec_line : k->line, 0,
                                        "показатель %s описан дважды", code);
            f->ind = msk_reallocarray(f->ind, f->nind + 1, sizeof *f->ind);
            d = &f->ind[f->nind++];
            memset(d, 0, sizeof *d);
            d->code = msk_strdup(code);
            d->factor = 1;
            d->target = NAN;
            d->line = k->sec_line ? k->sec_line : k->line;
        }
        if (indicator_key(f, d, k, err))
            return -1;
    }
    if (!seen_dir || !f->code || !f->n || !f->title)
        return msk_error_at(err, f->name, 1, 0, "нет раздела [direction] с ключами code, n и name");
    for (size_t i = 0; i < f->nind; i++)
        if (!f->ind[i].name || !f->ind[i].num.n)
            return msk_error_at(err, f->name, f->ind[i].line, 0,
                                "у показателя %s нужны ключи name и num", f->ind[i].code);
    return 0;
}

int dir_parse(const char *name, const char *text, size_t len, dir_file **out, msk_err *err)
{
    *out = NULL;
    if (len > DIR_MAX_BYTES)
        return msk_error_at(err, name, 0, 0, "файл направления больше %d байт", DIR_MAX_BYTES);
    if (memchr(text, '\0', len))
        return msk_error_at(err, name, 0, 0, "файл направления содержит нулевой байт");
    dir_file *f = msk_calloc(1, sizeof *f);
    f->name = msk_strdup(name);
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)text, len);
    sodium_bin2hex(f->hash, sizeof f->hash, h, sizeof h);
    pctx c;
    memset(&c, 0, sizeof c);
    c.p = text;
    c.end = text + len;
    int r = ini_parse_stream(reader, &c, handler, &c), rc = -1;
    if (c.long_line)
        msk_error_at(err, name, c.long_line, 0,
                     "строка слишком длинная: перенесите значение на следующую строку с отступом");
    else if (r > 0)
        msk_error_at(err, name, r, 0,
                     "ошибка синтаксиса: ожидается «[раздел]», «ключ = значение» или комментарий");
    else if (r < 0)
        msk_error_at(err, name, 0, 0, "не удалось прочитать файл направления");
    else
        rc = build(f, &c, err);
    for (size_t i = 0; i < c.nkv; i++)
        free(c.kv[i].section), free(c.kv[i].key), free(c.kv[i].value);
    free(c.kv);
    if (rc) {
        dir_free(f);
        return -1;
    }
    *out = f;
    return 0;
}

const char *dir_name(const dir_file *f)
{
    return f->name;
}
const char *dir_hash(const dir_file *f)
{
    return f->hash;
}
const char *dir_code(const dir_file *f)
{
    return f->code;
}
int dir_n(const dir_file *f)
{
    return f->n;
}
size_t dir_nindicators(const dir_file *f)
{
    return f->nind;
}
size_t dir_nterms(const dir_file *f)
{
    return f->nterms;
}
const dir_term *dir_term_at(const dir_file *f, size_t i)
{
    return i < f->nterms ? &f->terms[i] : NULL;
}

/* ---- evaluation ---- */

typedef struct centry {
    char key[512];
    int year;
    double *v;
} centry;

struct dir_cache {
    centry *e;
    size_t n;
};

dir_cache *dir_cache_new(void)
{
    return msk_calloc(1, sizeof(dir_cache));
}

void dir_cache_free(dir_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        free(c->e[i].v);
    free(c->e);
    free(c);
}

static const double *term_values(const dir_file *f, int term, int year, const dir_resolver *r,
                                 dir_cache *c, int line, msk_err *err)
{
    const dir_term *t = &f->terms[term];
    for (size_t i = 0; i < c->n; i++)
        if (c->e[i].year == year && !strcmp(c->e[i].key, t->key))
            return c->e[i].v;
    double *v = msk_calloc(r->nschools ? r->nschools : 1, sizeof *v);
    if (r->term(r->ctx, t, year, v, err)) {
        free(v);
        char msg[MSK_ERR_MSG];
        snprintf(msg, sizeof msg, "%s: %s", t->key, err->msg);
        msk_error_at(err, f->name, line, 0, "%s", msg);
        return NULL;
    }
    c->e = msk_reallocarray(c->e, c->n + 1, sizeof *c->e);
    centry *e = &c->e[c->n++];
    snprintf(e->key, sizeof e->key, "%s", t->key);
    e->year = year;
    e->v = v;
    return v;
}

/* A term counting results of procedures (results, participants, score_sum). */
static int is_results_term(const dir_term *t)
{
    return !strcmp(t->fn, "results") || !strcmp(t->fn, "participants") ||
           !strcmp(t->fn, "score_sum");
}

/* out[s] = Σ sign × item of school s; NAN when a term has no value for s — except
 * - a results term: a procedure the school did not hold gives it none of its results, so such a
 *   term counts 0 when another results term of the same sum has data for s (the ОГЭ and ЕГЭ of a
 *   basic school without 11th grade, rus + math_prof + math_base of a school without profile
 *   maths); the sum has no value only when none of its results terms has data;
 * - with skip_all (missing = all, DHIS2's skip-if-all-missing) any term without a value counts 0
 *   and the sum is NAN only when every term has none (an empty contest level of a form).
 * Numbers count per school and leave NAN as it is. */
static int eval_expr(const dir_file *f, const dir_expr *x, int year, const dir_resolver *r,
                     dir_cache *c, int skip_all, double *out, msk_err *err)
{
    size_t ns = r->nschools ? r->nschools : 1;
    uint8_t *hard = msk_calloc(ns, 1), *any_data = msk_calloc(ns, 1), *res_data = msk_calloc(ns, 1);
    int nres = 0;
    size_t nterms = 0;
    for (size_t s = 0; s < r->nschools; s++)
        out[s] = 0;
    for (size_t i = 0; i < x->n; i++) {
        const dir_item *it = &x->it[i];
        if (it->term < 0)
            continue;
        nterms++;
        const double *v = term_values(f, it->term, year, r, c, x->line, err);
        if (!v) {
            free(hard), free(any_data), free(res_data);
            return -1;
        }
        int res = is_results_term(&f->terms[it->term]);
        nres += res;
        for (size_t s = 0; s < r->nschools; s++) {
            if (isnan(v[s]))
                hard[s] |= !res;
            else {
                any_data[s] = 1;
                res_data[s] |= (uint8_t)res;
                out[s] += it->sign * v[s];
            }
        }
    }
    for (size_t s = 0; s < r->nschools; s++)
        if (skip_all ? nterms && !any_data[s] : hard[s] || (nres && !res_data[s]))
            out[s] = NAN;
    for (size_t i = 0; i < x->n; i++)
        if (x->it[i].term < 0)
            for (size_t s = 0; s < r->nschools; s++)
                out[s] += x->it[i].sign * x->it[i].num;
    free(hard), free(any_data), free(res_data);
    return 0;
}

static double target_of(const dir_ind *d, int year)
{
    for (size_t i = 0; i < d->ntargets; i++)
        if (d->tyear[i] == year)
            return d->tval[i];
    return d->target;
}

/* Meets or beats the target in the direction of good (a hair of rounding forgiven). */
static int meets(const dir_ind *d, double v, double target)
{
    double eps = 1e-9 * fmax(1, fabs(target));
    return d->lower_better ? v <= target + eps : v >= target - eps;
}

static const char *status_of(const dir_ind *d, double v, double target)
{
    if (isnan(v) || isnan(target))
        return "no_data";
    return meets(d, v, target) ? "on_target" : "below";
}

static json_t *num_or_null(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

/* One year of an indicator: per school values into sv (NAN = none); municipal value, Σnum and
 * Σden into *mv, *sn, *sd. */
typedef struct year_val {
    double value, num, den;
} year_val;

static int eval_year(const dir_file *f, const dir_ind *d, int year, const dir_resolver *r,
                     dir_cache *c, double *nv, double *dv, double *sv, year_val *y, msk_err *err)
{
    if (eval_expr(f, &d->num, year, r, c, d->skip_all, nv, err) ||
        (d->has_den && eval_expr(f, &d->den, year, r, c, d->skip_all, dv, err)))
        return -1;
    double sn = 0, sd = 0;
    size_t have = 0;
    for (size_t s = 0; s < r->nschools; s++) {
        double den = d->has_den ? dv[s] : 1;
        sv[s] = NAN;
        if (isnan(nv[s]) || isnan(den))
            continue;
        have++;
        sn += nv[s];
        sd += den;
        if (den != 0)
            sv[s] = d->factor * nv[s] / den;
    }
    y->num = have ? sn : NAN;
    y->den = have && d->has_den ? sd : NAN;
    y->value = !have ? NAN : !d->has_den ? d->factor * sn : sd != 0 ? d->factor * sn / sd : NAN;
    return 0;
}

typedef struct outside {
    const char *school;
    double v;
} outside;

/* Ties by school code, so the order never depends on the sort. */
static int cmp_low_first(const void *a, const void *b)
{
    const outside *x = a, *y = b;
    return x->v != y->v ? (x->v < y->v ? -1 : 1) : strcmp(x->school, y->school);
}

static int cmp_high_first(const void *a, const void *b)
{
    const outside *x = a, *y = b;
    return x->v != y->v ? (x->v > y->v ? -1 : 1) : strcmp(x->school, y->school);
}

static json_t *schools_json(const dir_ind *d, const dir_resolver *r, const double *sv,
                            double target, json_t **outside_out)
{
    json_t *map = json_object();
    outside *o = msk_calloc(r->nschools ? r->nschools : 1, sizeof *o);
    size_t no = 0;
    for (size_t s = 0; s < r->nschools; s++) {
        if (isnan(sv[s]))
            continue;
        const char *code = r->school(r->ctx, s);
        json_object_set_new(map, code, json_real(sv[s]));
        if (!isnan(target) && !meets(d, sv[s], target))
            o[no++] = (outside){code, sv[s]};
    }
    /* worst first: the farthest from the target in the direction of good */
    qsort(o, no, sizeof *o, d->lower_better ? cmp_high_first : cmp_low_first);
    json_t *arr = json_array();
    for (size_t i = 0; i < no; i++) {
        json_t *it = json_object();
        json_object_set_new(it, "school", json_string(o[i].school));
        json_object_set_new(it, "value", json_real(o[i].v));
        json_array_append_new(arr, it);
    }
    free(o);
    *outside_out = arr;
    return map;
}

/* Texts cite the acts by the department's own names: «{mscoko_roadmap}, п. 3.8» becomes
 * «Дорожная карта МСОКО … (приказ …), п. 3.8» (base/muni.h, methods/municipality.ini). */
static void set_str(json_t *o, const char *key, const char *v)
{
    json_object_set_new(o, key, json_string(v ? muni_cite_str(v) : ""));
}

static int eval_indicator(const dir_file *f, const dir_ind *d, int year, const dir_resolver *r,
                          dir_cache *c, json_t **out, msk_err *err)
{
    size_t n = r->nschools ? r->nschools : 1;
    double *nv = msk_calloc(n, sizeof *nv), *dv = msk_calloc(n, sizeof *dv),
           *sv = msk_calloc(n, sizeof *sv);
    json_t *o = json_object(), *dyn = json_array();
    int rc = -1;
    year_val y = {NAN, NAN, NAN};
    for (int k = DIR_DYN - 1; k >= 0; k--) {
        if (eval_year(f, d, year - k, r, c, nv, dv, sv, &y, err))
            goto out;
        json_t *it = json_object();
        json_object_set_new(it, "year", json_integer(year - k));
        json_object_set_new(it, "value", num_or_null(y.value));
        json_object_set_new(it, "target", num_or_null(target_of(d, year - k)));
        json_array_append_new(dyn, it);
    }
    /* the last pass was the year itself: nv, dv, sv and y are its values */
    double target = target_of(d, year);
    set_str(o, "code", d->code);
    set_str(o, "name", d->name);
    set_str(o, "section", d->section);
    set_str(o, "unit", d->unit);
    set_str(o, "level", d->school_level ? "school" : "municipality");
    set_str(o, "good", d->lower_better ? "lower" : "higher");
    set_str(o, "source", d->source);
    json_object_set_new(o, "target", num_or_null(target));
    json_object_set_new(o, "value", num_or_null(y.value));
    json_object_set_new(o, "num", num_or_null(y.num));
    json_object_set_new(o, "den", num_or_null(y.den));
    set_str(o, "status", status_of(d, y.value, target));
    json_object_set_new(o, "dynamics", dyn);
    dyn = NULL;
    if (d->school_level) {
        json_t *outside_arr = NULL;
        json_t *map = schools_json(d, r, sv, target, &outside_arr);
        json_object_set_new(o, "schools_outside", outside_arr);
        json_object_set_new(o, "schools", map);
    }
    *out = o;
    o = NULL;
    rc = 0;
out:
    json_decref(o);
    json_decref(dyn);
    free(nv), free(dv), free(sv);
    return rc;
}

static json_t *direction_json(const dir_file *f, json_t *inds)
{
    json_t *o = json_object(), *goals = json_array();
    set_str(o, "code", f->code);
    json_object_set_new(o, "n", json_integer(f->n));
    set_str(o, "name", f->title);
    set_str(o, "sections", f->sections);
    for (size_t i = 0; i < f->ngoals; i++)
        json_array_append_new(goals, json_string(muni_cite_str(f->goals[i])));
    json_object_set_new(o, "goals", goals);
    /* contract §1: no_data when no indicator has a value; below when any indicator with a
     * target is below; else on_target */
    int any_value = 0, any_below = 0;
    size_t i;
    json_t *it;
    json_array_foreach(inds, i, it)
    {
        any_value |= json_is_number(json_object_get(it, "value"));
        any_below |= !strcmp(json_string_value(json_object_get(it, "status")), "below");
    }
    set_str(o, "status", !any_value ? "no_data" : any_below ? "below" : "on_target");
    json_object_set_new(o, "indicators", inds);
    return o;
}

static int cmp_file(const void *a, const void *b)
{
    const dir_file *x = *(const dir_file *const *)a, *y = *(const dir_file *const *)b;
    return x->n != y->n ? (x->n < y->n ? -1 : 1) : strcmp(x->code, y->code);
}

/* A copy of files in the directions' order (number, then code); the caller frees it. */
static const dir_file **sorted_files(const dir_file *const *files, size_t nfiles)
{
    const dir_file **sorted = msk_calloc(nfiles ? nfiles : 1, sizeof *sorted);
    if (nfiles)
        memcpy(sorted, files, nfiles * sizeof *sorted);
    qsort(sorted, nfiles, sizeof *sorted, cmp_file);
    return sorted;
}

int dir_eval(const dir_file *const *files, size_t nfiles, int year, const dir_resolver *r,
             dir_cache *cache, json_t **out, msk_err *err)
{
    dir_cache *own = cache ? NULL : dir_cache_new();
    dir_cache *c = cache ? cache : own;
    const dir_file **sorted = sorted_files(files, nfiles);
    json_t *arr = json_array();
    int rc = -1;
    *out = NULL;
    for (size_t i = 0; i < nfiles; i++) {
        const dir_file *f = sorted[i];
        json_t *inds = json_array();
        for (size_t k = 0; k < f->nind; k++) {
            json_t *ind = NULL;
            if (eval_indicator(f, &f->ind[k], year, r, c, &ind, err)) {
                json_decref(inds);
                goto out;
            }
            json_array_append_new(inds, ind);
        }
        json_array_append_new(arr, direction_json(f, inds));
    }
    *out = arr;
    arr = NULL;
    rc = 0;
out:
    json_decref(arr);
    free(sorted);
    dir_cache_free(own);
    return rc;
}

/* ---- the same array as JSON text ---- */

/* Written with the JSON text writer (base/jsonw.h) as json_dumps writes the tree dir_eval
 * builds: compact, and indented with the array at depth base, reals with prec digits. */

static void jw_set_str(jw *w, const char *key, const char *v)
{
    jw_key(w, key);
    jw_str(w, v ? muni_cite_str(v) : "");
}

/* Both writers of dir_eval_text get every token; a writer without a buffer (no pretty text
 * wanted) none. */
#define JW2(call)                                                                                  \
    do {                                                                                           \
        for (int w_ = 0; w_ < 2; w_++) {                                                           \
            jw *w = &ws[w_];                                                                       \
            if (!w->b)                                                                             \
                continue;                                                                          \
            call;                                                                                  \
        }                                                                                          \
    } while (0)

/* One indicator as eval_indicator builds it; *value_num and *below for its direction. */
static int text_indicator(const dir_file *f, const dir_ind *d, int year, const dir_resolver *r,
                          dir_cache *c, jw *ws, int *value_num, int *below, msk_err *err)
{
    size_t n = r->nschools ? r->nschools : 1;
    double *nv = msk_calloc(n, sizeof *nv), *dv = msk_calloc(n, sizeof *dv),
           *sv = msk_calloc(n, sizeof *sv);
    year_val dyn[DIR_DYN], y = {NAN, NAN, NAN};
    int rc = -1;
    for (int k = DIR_DYN - 1; k >= 0; k--) {
        if (eval_year(f, d, year - k, r, c, nv, dv, sv, &y, err))
            goto out;
        dyn[DIR_DYN - 1 - k] = y;
    }
    double target = target_of(d, year);
    const char *status = status_of(d, y.value, target);
    *value_num = !isnan(y.value) && isfinite(y.value);
    *below = !strcmp(status, "below");
    JW2(jw_item(w); jw_open(w, '{'); jw_set_str(w, "code", d->code); jw_set_str(w, "name", d->name);
        jw_set_str(w, "section", d->section); jw_set_str(w, "unit", d->unit);
        jw_set_str(w, "level", d->school_level ? "school" : "municipality");
        jw_set_str(w, "good", d->lower_better ? "lower" : "higher");
        jw_set_str(w, "source", d->source); jw_num(w, "target", target);
        jw_num(w, "value", y.value); jw_num(w, "num", y.num); jw_num(w, "den", y.den);
        jw_set_str(w, "status", status); jw_key(w, "dynamics"); jw_open(w, '['));
    for (int k = DIR_DYN - 1; k >= 0; k--)
        JW2(jw_item(w); jw_open(w, '{'); jw_key(w, "year"); msk_buf_printf(w->b, "%d", year - k);
            jw_num(w, "value", dyn[DIR_DYN - 1 - k].value);
            jw_num(w, "target", target_of(d, year - k)); jw_close(w, '}'));
    JW2(jw_close(w, ']'));
    if (d->school_level) {
        outside *o = msk_calloc(n, sizeof *o);
        size_t no = 0;
        for (size_t s = 0; s < r->nschools; s++)
            if (!isnan(sv[s]) && !isnan(target) && !meets(d, sv[s], target))
                o[no++] = (outside){r->school(r->ctx, s), sv[s]};
        qsort(o, no, sizeof *o, d->lower_better ? cmp_high_first : cmp_low_first);
        JW2(jw_key(w, "schools_outside"); jw_open(w, '['));
        for (size_t i = 0; i < no; i++)
            JW2(jw_item(w); jw_open(w, '{'); jw_key(w, "school"); jw_str(w, o[i].school);
                jw_num(w, "value", o[i].v); jw_close(w, '}'));
        JW2(jw_close(w, ']'); jw_key(w, "schools"); jw_open(w, '{'));
        for (size_t s = 0; s < r->nschools; s++)
            if (!isnan(sv[s]))
                JW2(jw_num(w, r->school(r->ctx, s), sv[s]));
        JW2(jw_close(w, '}'));
        free(o);
    }
    JW2(jw_close(w, '}'));
    rc = 0;
out:
    free(nv), free(dv), free(sv);
    return rc;
}

/* The status of a direction as direction_json gives it: no_data when no indicator has a value;
 * below when any is below its target; else on_target. The values of the year come from the
 * cache its indicators fill (a term is resolved once), so they cost little to compute twice. */
static int direction_status(const dir_file *f, int year, const dir_resolver *r, dir_cache *c,
                            const char **status, msk_err *err)
{
    size_t n = r->nschools ? r->nschools : 1;
    double *nv = msk_calloc(n, sizeof *nv), *dv = msk_calloc(n, sizeof *dv),
           *sv = msk_calloc(n, sizeof *sv);
    int any_value = 0, any_below = 0, rc = 0;
    for (size_t k = 0; k < f->nind && !rc; k++) {
        const dir_ind *d = &f->ind[k];
        year_val y = {NAN, NAN, NAN};
        rc = eval_year(f, d, year, r, c, nv, dv, sv, &y, err);
        any_value |= isfinite(y.value);
        any_below |= !strcmp(status_of(d, y.value, target_of(d, year)), "below");
    }
    *status = !any_value ? "no_data" : any_below ? "below" : "on_target";
    free(nv), free(dv), free(sv);
    return rc;
}

/* One direction as direction_json builds it. */
static int text_direction(const dir_file *f, int year, const dir_resolver *r, dir_cache *c, jw *ws,
                          int counts[3], msk_err *err)
{
    const char *status = NULL;
    if (direction_status(f, year, r, c, &status, err))
        return -1;
    counts[!strcmp(status, "on_target") ? 0 : !strcmp(status, "below") ? 1 : 2]++;
    for (int k = 0; k < 2; k++) {
        jw *w = &ws[k];
        if (!w->b)
            continue;
        jw_item(w);
        jw_open(w, '{');
        jw_set_str(w, "code", f->code);
        jw_key(w, "n");
        msk_buf_printf(w->b, "%d", f->n);
        jw_set_str(w, "name", f->title);
        jw_set_str(w, "sections", f->sections);
        jw_key(w, "goals");
        jw_open(w, '[');
        for (size_t g = 0; g < f->ngoals; g++) {
            jw_item(w);
            jw_str(w, muni_cite_str(f->goals[g]));
        }
        jw_close(w, ']');
        jw_set_str(w, "status", status);
        jw_key(w, "indicators");
        jw_open(w, '[');
    }
    for (size_t k = 0; k < f->nind; k++) {
        int v = 0, b = 0;
        if (text_indicator(f, &f->ind[k], year, r, c, ws, &v, &b, err))
            return -1;
    }
    JW2(jw_close(w, ']'); jw_close(w, '}'));
    return 0;
}

int dir_eval_text(const dir_file *const *files, size_t nfiles, int year, const dir_resolver *r,
                  dir_cache *cache, msk_buf *compact, msk_buf *pretty, int pretty_depth,
                  int pretty_prec, int counts[3], msk_err *err)
{
    dir_cache *own = cache ? NULL : dir_cache_new();
    dir_cache *c = cache ? cache : own;
    const dir_file **sorted = sorted_files(files, nfiles);
    jw_nums *nums = jw_nums_new();
    jw ws[2];
    jw_init(&ws[0], compact, -1, 0, 0, nums, 0);
    jw_init(&ws[1], pretty, 1, pretty_depth, pretty_prec, nums, 1);
    int rc = 0;
    counts[0] = counts[1] = counts[2] = 0;
    JW2(jw_open(w, '['));
    for (size_t i = 0; i < nfiles && !rc; i++)
        rc = text_direction(sorted[i], year, r, c, ws, counts, err);
    JW2(jw_close(w, ']'));
    jw_nums_free(nums);
    free(sorted);
    dir_cache_free(own);
    return rc ? -1 : 0;
}

void dir_status_counts(const json_t *dirs, int *on_target, int *below, int *no_data)
{
    *on_target = *below = *no_data = 0;
    size_t i;
    json_t *it;
    json_array_foreach(dirs, i, it)
    {
        const char *st = json_string_value(json_object_get(it, "status"));
        if (st && !strcmp(st, "on_target"))
            (*on_target)++;
        else if (st && !strcmp(st, "below"))
            (*below)++;
        else
            (*no_data)++;
    }
}
