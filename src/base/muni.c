/*
 * The department and its acts (muni.h): the defaults, the reader of municipality.ini (inih)
 * and the citation of an act. One process-wide copy, written by main before threads start;
 * the cache of muni_cite_str is the only thing written later, under its mutex.
 */
#include "base/muni.h"

#include "base/mem.h"

#include <ctype.h>
#include <ini.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MUNI_TEXT = 512, MUNI_SHORT = 64, MUNI_MAX_ACTS = 16 };

typedef struct muni_act {
    char name[MUNI_SHORT];
    char title[MUNI_TEXT], order[MUNI_TEXT], number[MUNI_SHORT], date[MUNI_SHORT];
} muni_act;

typedef struct muni_settings {
    char department[MUNI_TEXT], place[MUNI_TEXT];
    muni_act acts[MUNI_MAX_ACTS];
    size_t nacts;
} muni_settings;

/* The acts the presets were written from (domain/seeds), worded as pages cited them before
 * the department could name its own: no number, no date. */
static const struct {
    const char *name, *title;
} DEFAULT_ACTS[] = {
    {"concept", "Концепция МСОКО г. Владикавказа"},             /* seed 000 */
    {"mscoko", "Положение о МСОКО г. Горячий Ключ"},            /* seed 001, прил. 3 */
    {"mscoko_roadmap", "Дорожная карта МСОКО г. Горячий Ключ"}, /* seed 001, прил. 4 */
    {"program", "Программа повышения качества образования в школах г. Норильска"}, /* 002 */
    {"roadmap", "Дорожная карта МСОКО г. Кизляра"},                                /* seed 003 */
    {"objectivity", "План по обеспечению объективности процедур оценки качества образования"},
    /* seed 004 */
};

static struct {
    muni_settings cur;
    int loaded; /* cur holds a file's settings; else the defaults are built on first use */
    pthread_mutex_t lock;
    struct {
        char *in, *out;
    } * cache;
    size_t ncache, capcache;
} M = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void defaults(muni_settings *s)
{
    memset(s, 0, sizeof *s);
    snprintf(s->department, sizeof s->department, "Муниципальный орган управления образованием");
    snprintf(s->place, sizeof s->place, "Муниципальное образование");
    for (size_t i = 0; i < sizeof DEFAULT_ACTS / sizeof DEFAULT_ACTS[0]; i++) {
        muni_act *a = &s->acts[s->nacts++];
        snprintf(a->name, sizeof a->name, "%s", DEFAULT_ACTS[i].name);
        snprintf(a->title, sizeof a->title, "%s", DEFAULT_ACTS[i].title);
        snprintf(a->order, sizeof a->order, "приказ");
    }
}

static pthread_once_t defaults_once = PTHREAD_ONCE_INIT;

static void fill_defaults(void)
{
    if (!M.loaded) {
        defaults(&M.cur);
        M.loaded = 1;
    }
}

static const muni_settings *cur(void)
{
    /* a process without municipality.ini gets the defaults on first use, which may be in any
     * of the server's threads: once, under pthread_once */
    pthread_once(&defaults_once, fill_defaults);
    return &M.cur;
}

typedef struct parse_ctx {
    const char *file;
    muni_settings s;
    msk_err *err;
    int failed;
} parse_ctx;

static muni_act *act_named(muni_settings *s, const char *name)
{
    for (size_t i = 0; i < s->nacts; i++)
        if (!strcmp(s->acts[i].name, name))
            return &s->acts[i];
    return NULL;
}

/* дд.мм.гггг, or гггг-мм-дд written as дд.мм.гггг; 0 ok. */
static int norm_date(const char *v, char *out, size_t outsz)
{
    int d, m, y;
    char tail;
    if (sscanf(v, "%2d.%2d.%4d%c", &d, &m, &y, &tail) == 3 ||
        (sscanf(v, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3)) {
        if (d >= 1 && d <= 31 && m >= 1 && m <= 12 && y >= 1900 && y <= 2999) {
            snprintf(out, outsz, "%02d.%02d.%04d", d, m, y);
            return 0;
        }
    }
    return -1;
}

static int fail(parse_ctx *c, const char *fmt, const char *a, const char *b)
{
    if (!c->failed)
        msk_error(c->err, fmt, c->file, a, b);
    c->failed = 1;
    return 0;
}

static int set(char *dst, size_t dstsz, const char *v)
{
    if (strlen(v) >= dstsz)
        return -1;
    snprintf(dst, dstsz, "%s", v);
    return 0;
}

static int on_act(parse_ctx *c, const char *section, const char *key, const char *value)
{
    const char *name = section + 4;
    while (*name == ' ')
        name++;
    for (const char *p = name; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_'))
            return fail(c, "%s: [%s]: имя акта — латинские буквы, цифры и «_»%s", section, "");
    muni_act *a = *name ? act_named(&c->s, name) : NULL;
    if (!*name)
        return fail(c, "%s: [%s]: после «act» нужно имя акта, например [act program]%s", section,
                    "");
    if (!a) {
        if (c->s.nacts == MUNI_MAX_ACTS)
            return fail(c, "%s: [%s]: слишком много актов%s", section, "");
        a = &c->s.acts[c->s.nacts++];
        memset(a, 0, sizeof *a);
        snprintf(a->name, sizeof a->name, "%s", name);
        snprintf(a->order, sizeof a->order, "приказ");
    }
    int bad = 0;
    if (!strcmp(key, "title"))
        bad = set(a->title, sizeof a->title, value);
    else if (!strcmp(key, "order"))
        bad = set(a->order, sizeof a->order, value);
    else if (!strcmp(key, "number"))
        bad = set(a->number, sizeof a->number, value);
    else if (!strcmp(key, "date")) {
        if (*value && norm_date(value, a->date, sizeof a->date))
            return fail(c, "%s: [%s]: дата «%s» — нужно дд.мм.гггг", section, value);
        if (!*value)
            a->date[0] = '\0';
    } else
        return fail(c, "%s: [%s]: неизвестный ключ «%s»; допустимы title, order, number, date",
                    section, key);
    if (bad)
        return fail(c, "%s: [%s]: значение ключа «%s» слишком длинное", section, key);
    return 1;
}

static int handler(void *user, const char *section, const char *key, const char *value)
{
    parse_ctx *c = user;
    if (c->failed)
        return 0;
    if (!strcmp(section, "department")) {
        int bad = 0;
        if (!strcmp(key, "name"))
            bad = set(c->s.department, sizeof c->s.department, value);
        else if (!strcmp(key, "place"))
            bad = set(c->s.place, sizeof c->s.place, value);
        else
            return fail(c, "%s: [%s]: неизвестный ключ «%s»; допустимы name, place", section, key);
        if (bad)
            return fail(c, "%s: [%s]: значение ключа «%s» слишком длинное", section, key);
        return 1;
    }
    if (!strncmp(section, "act", 3) && (section[3] == ' ' || section[3] == '\0'))
        return on_act(c, section, key, value);
    return fail(c, "%s: неизвестный раздел [%s]%s; допустимы [department] и [act ИМЯ]", section,
                "");
}

int muni_load_text(const char *name, const char *text, msk_err *err)
{
    parse_ctx *c = msk_calloc(1, sizeof *c);
    c->file = name ? name : "municipality.ini";
    c->err = err;
    defaults(&c->s);
    int r = ini_parse_string(text ? text : "", handler, c);
    int rc = -1;
    if (c->failed)
        goto out;
    if (r > 0) {
        msk_error(err, "%s, строка %d: ожидается «ключ = значение» или [раздел]", c->file, r);
        goto out;
    }
    for (size_t i = 0; i < c->s.nacts; i++)
        if (!c->s.acts[i].title[0]) {
            msk_error(err, "%s: [act %s]: нужен ключ title — название акта", c->file,
                      c->s.acts[i].name);
            goto out;
        }
    if (!c->s.department[0] || !c->s.place[0]) {
        msk_error(err, "%s: [department]: name и place не могут быть пустыми", c->file);
        goto out;
    }
    pthread_once(&defaults_once, fill_defaults); /* so that it cannot overwrite the file later */
    pthread_mutex_lock(&M.lock);
    M.cur = c->s;
    M.loaded = 1;
    for (size_t i = 0; i < M.ncache; i++) { /* citations of the old settings */
        free(M.cache[i].in);
        free(M.cache[i].out);
    }
    M.ncache = 0;
    pthread_mutex_unlock(&M.lock);
    rc = 0;
out:
    free(c);
    return rc;
}

void muni_reset(void)
{
    msk_err e;
    muni_load_text(NULL, "", &e);
}

const char *muni_department(void)
{
    return cur()->department;
}

const char *muni_place(void)
{
    return cur()->place;
}

static void cite_act(msk_buf *out, const muni_act *a)
{
    msk_buf_puts(out, a->title);
    if (!a->date[0] && !a->number[0])
        return;
    msk_buf_printf(out, " (%s", a->order[0] ? a->order : "приказ");
    if (a->date[0])
        msk_buf_printf(out, " от %s", a->date);
    if (a->number[0])
        msk_buf_printf(out, " № %s", a->number);
    msk_buf_putc(out, ')');
}

void muni_cite(msk_buf *out, const char *text)
{
    if (!text)
        return;
    const muni_settings *s = cur();
    for (const char *p = text; *p;) {
        const char *o = strchr(p, '{');
        const char *e = o ? strchr(o, '}') : NULL;
        if (!o || !e) {
            msk_buf_puts(out, p);
            return;
        }
        msk_buf_add(out, p, (size_t)(o - p));
        const muni_act *a = NULL;
        size_t n = (size_t)(e - o - 1);
        for (size_t i = 0; i < s->nacts && !a; i++)
            if (strlen(s->acts[i].name) == n && !memcmp(s->acts[i].name, o + 1, n))
                a = &s->acts[i];
        if (a)
            cite_act(out, a);
        else
            msk_buf_add(out, o, (size_t)(e - o + 1));
        p = e + 1;
    }
}

const char *muni_cite_str(const char *text)
{
    if (!text || !strchr(text, '{'))
        return text;
    cur();
    const char *r = NULL;
    pthread_mutex_lock(&M.lock);
    for (size_t i = 0; i < M.ncache && !r; i++)
        if (!strcmp(M.cache[i].in, text))
            r = M.cache[i].out;
    if (!r) {
        if (M.ncache == M.capcache) {
            M.capcache = M.capcache ? 2 * M.capcache : 16;
            M.cache = msk_reallocarray(M.cache, M.capcache, sizeof *M.cache);
        }
        msk_buf b;
        msk_buf_init(&b, 0);
        muni_cite(&b, text);
        M.cache[M.ncache].in = msk_strdup(text);
        M.cache[M.ncache].out = msk_buf_detach(&b, NULL);
        msk_buf_release(&b);
        r = M.cache[M.ncache++].out;
    }
    pthread_mutex_unlock(&M.lock);
    return r;
}
