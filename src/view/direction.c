/*
 * The directions of the МСОКО and their management cycle (direction.h). Everything here reads
 * the finding «directions» analyze stored for the year (DIRECTIONS.md §4) — the values, targets,
 * dynamics and the schools outside the target are the engine's — and the decisions answering
 * each direction (migration 19); this file only orders, names, filters by role and counts.
 */
#include "view/direction.h"

#include "base/fmt.h"
#include "base/mem.h"
#include "base/muni.h"
#include "base/vocab.h"
#include "store/decision.h"
#include "view/decision.h"
#include "view/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- pure helpers (tests/unit/test_direction.c) ------------------------------------------- */

static const char *status_of(const json_t *o)
{
    const char *s = json_string_value(json_object_get(o, "status"));
    return s && (!strcmp(s, "on_target") || !strcmp(s, "below")) ? s : "no_data";
}

void view_dir_count(const json_t *items, view_dir_counts *out)
{
    memset(out, 0, sizeof *out);
    size_t i;
    const json_t *it;
    json_array_foreach(items, i, it)
    {
        const char *s = status_of(it);
        out->on_target += !strcmp(s, "on_target");
        out->below += !strcmp(s, "below");
        out->no_data += !strcmp(s, "no_data");
        out->total++;
    }
}

const char *view_dir_status(const json_t *indicators)
{
    int any_value = 0, below = 0;
    size_t i;
    const json_t *it;
    json_array_foreach(indicators, i, it)
    {
        any_value |= json_is_number(json_object_get(it, "value"));
        below |= json_is_number(json_object_get(it, "target")) && !strcmp(status_of(it), "below");
    }
    return !any_value ? "no_data" : below ? "below" : "on_target";
}

const char *view_dir_trend(const json_t *dynamics, const char *good)
{
    size_t n = json_array_size(dynamics);
    if (n < 2)
        return "unknown";
    const json_t *a = json_array_get(dynamics, n - 2), *b = json_array_get(dynamics, n - 1);
    const json_t *va = json_object_get(a, "value"), *vb = json_object_get(b, "value");
    if (!json_is_number(va) || !json_is_number(vb) ||
        json_integer_value(json_object_get(b, "year")) -
                json_integer_value(json_object_get(a, "year")) !=
            1)
        return "unknown";
    double d = json_number_value(vb) - json_number_value(va);
    if (fabs(d) <= 1e-9)
        return "same";
    int lower = good && !strcmp(good, "lower");
    return (d < 0) == lower ? "better" : "worse";
}

const char *view_dir_status_text(const char *status)
{
    if (status && !strcmp(status, "on_target"))
        return "цель достигнута";
    if (status && !strcmp(status, "below"))
        return "цель не достигнута";
    return "нет данных";
}

static const char *trend_text(const char *trend)
{
    return !strcmp(trend, "better")  ? "лучше, чем годом раньше"
           : !strcmp(trend, "worse") ? "хуже, чем годом раньше"
           : !strcmp(trend, "same")  ? "как годом раньше"
                                     : "сравнить не с чем";
}

static json_t *counts_json(const view_dir_counts *k)
{
    return json_pack("{s:i,s:i,s:i,s:i}", "on_target", k->on_target, "below", k->below, "no_data",
                     k->no_data, "total", k->total);
}

/* ---- the stored finding ------------------------------------------------------------------- */

/* The directions analyze stored for year: the finding's array, or its "directions" member. */
static const json_t *stored(const view_year *v, int year)
{
    const view_finding *f = vi_finding(v, year, -1, "directions");
    if (!f)
        return NULL;
    const json_t *ev = vi_ev_kept(v, f); /* one municipal finding: parsed once, kept */
    if (json_is_array(ev))
        return ev;
    const json_t *a = json_object_get(ev, "directions");
    return json_is_array(a) ? a : NULL;
}

static const json_t *stored_dir(const view_year *v, int year, const char *code)
{
    size_t i;
    const json_t *d;
    json_array_foreach(stored(v, year), i, d)
    {
        const char *c = json_string_value(json_object_get(d, "code"));
        if (c && !strcmp(c, code))
            return d;
    }
    return NULL;
}

static const json_t *stored_ind(const json_t *dir, const char *code)
{
    size_t i;
    const json_t *it;
    json_array_foreach(json_object_get(dir, "indicators"), i, it)
    {
        const char *c = json_string_value(json_object_get(it, "code"));
        if (c && !strcmp(c, code))
            return it;
    }
    return NULL;
}

static const char *jstr(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* Does c see school code's rows (the analyst every school, an operator its own)? */
static int sees_school(const view_ctx *c, const char *code)
{
    if (c->role >= VIEW_ANALYST)
        return 1;
    return c->role == VIEW_SCHOOL && c->school && !strcmp(c->school, code);
}

static json_t *school_ref(const view_year *v, const char *code)
{
    int32_t i = vi_find_school(v, code);
    return i >= 0 ? vi_school_ref_kept(v, i) : json_pack("{s:s,s:s}", "code", code, "name", code);
}

/* A count (чел., ед.) prints without decimals. */
static int whole_unit(const char *unit)
{
    return !strcmp(unit, "чел.") || !strcmp(unit, "ед.");
}

/* A value the public must not see: it rests on fewer than VIEW_MIN_CELL (pupils, teachers or
 * schools — the contract does not say which, so any count) in its numerator or denominator. */
static int small_cell(const json_t *ind)
{
    const json_t *num = json_object_get(ind, "num"), *den = json_object_get(ind, "den");
    double n = json_is_number(num) ? json_number_value(num) : NAN;
    double d = json_is_number(den) ? json_number_value(den) : NAN;
    if (isfinite(d))
        return d > 0 && d < VIEW_MIN_CELL;
    return isfinite(n) && n > 0 && n < VIEW_MIN_CELL &&
           !strcmp(jstr(ind, "unit"), "чел."); /* a count of people */
}

/* The acts a direction file cites, by the names the department gave them (issue 14 п. 5: people
 * read «Дорожная карта МСОКО г. Горячий Ключ, п. 3.8», never the project's «seed 001»): the
 * seeds' numbers become the placeholders of methods/municipality.ini, then muni_cite names them.
 * A file that already writes {mscoko_roadmap} is cited as it is. */
static void cite_into(json_t *o, const char *key)
{
    static const struct {
        const char *seed, *act;
    } SEEDS[] = {
        {"seed 001 приложение 4,", "{mscoko_roadmap},"},
        {"seed 001 приложение 4", "{mscoko_roadmap}"},
        {"seed 001 дорожная карта", "{mscoko_roadmap}"},
        {"seed 001 приложение 3,", "{mscoko},"},
        {"seed 001 приложение 3", "{mscoko}"},
        {"seed 000", "{concept}"},
        {"seed 001", "{mscoko}"},
        {"seed 002", "{program}"},
        {"seed 003", "{roadmap}"},
        {"seed 004", "{objectivity}"},
    };
    const char *text = json_string_value(json_object_get(o, key));
    if (!text || !text[0])
        return;
    msk_buf b;
    msk_buf_init(&b, 0);
    for (const char *p = text; *p;) {
        size_t k, n = sizeof SEEDS / sizeof SEEDS[0];
        for (k = 0; k < n && strncmp(p, SEEDS[k].seed, strlen(SEEDS[k].seed)); k++)
            ;
        if (k < n) {
            msk_buf_puts(&b, SEEDS[k].act);
            p += strlen(SEEDS[k].seed);
            /* «{act} п. 3.8» reads «Дорожная карта …, п. 3.8» */
            if (*p == ' ' && b.data[b.len - 1] != ',' &&
                (!strncmp(p + 1, "п.", strlen("п.")) || !strncmp(p + 1, "§", strlen("§")) ||
                 !strncmp(p + 1, "разд", strlen("разд"))))
                msk_buf_putc(&b, ',');
        } else
            msk_buf_putc(&b, *p++);
    }
    json_t *j = json_string(muni_cite_str(b.data ? b.data : ""));
    if (j)
        json_object_set_new(o, key, j);
    msk_buf_release(&b);
}

/* ---- the list ------------------------------------------------------------------------------ */

/* The distinct schools outside the target of any indicator that c sees: the year's schools
 * marked by index (a JSON object as the set was a fifth of the dashboard), a code the year
 * does not know in a set of its own. */
static int schools_outside_any(const view_year *v, const json_t *dir, const view_ctx *c)
{
    unsigned char *mark = msk_calloc(v->m.nschools ? v->m.nschools : 1, 1);
    json_t *other = NULL;
    int n = 0;
    size_t i, k;
    const json_t *ind, *so;
    json_array_foreach(json_object_get(dir, "indicators"), i, ind)
        json_array_foreach(json_object_get(ind, "schools_outside"), k, so)
    {
        const char *code = jstr(so, "school");
        if (!code[0] || !sees_school(c, code))
            continue;
        int32_t s = vi_find_school(v, code);
        if (s >= 0) {
            n += !mark[s];
            mark[s] = 1;
        } else {
            if (!other)
                other = json_object();
            json_object_set_new(other, code, json_true());
        }
    }
    n += (int)json_object_size(other);
    json_decref(other);
    free(mark);
    return n;
}

typedef struct count_ctx {
    int n;
} count_ctx;

static void on_count(void *ctx, const store_decision *d)
{
    (void)d;
    ((count_ctx *)ctx)->n++;
}

/* One item of the list: the direction's code and name, its status and counts. */
static json_t *item_of(const view_year *v, const view_ctx *c, const vocab_entry *e, int order,
                       const json_t *dir)
{
    view_dir_counts k;
    view_dir_count(json_object_get(dir, "indicators"), &k);
    const char *status = "no_data";
    if (dir) {
        const char *st = json_string_value(json_object_get(dir, "status"));
        status = st && (!strcmp(st, "on_target") || !strcmp(st, "below") || !strcmp(st, "no_data"))
                     ? st
                     : view_dir_status(json_object_get(dir, "indicators"));
    }
    char href[96];
    snprintf(href, sizeof href, "/directions/%s?year=%d", e->code, v->year);
    json_t *goals = json_object_get(dir, "goals");
    const char *name = jstr(dir, "name"); /* the direction file's own words, else ours */
    json_t *o =
        json_pack("{s:s,s:i,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:b}", "code", e->code, "order", order,
                  "name", name[0] ? name : e->label, "brief", e->brief ? e->brief : e->label,
                  "status", status, "status_text", view_dir_status_text(status), "href", href,
                  "goals", json_is_array(goals) ? json_deep_copy(goals) : json_array(), "counts",
                  counts_json(&k), "computed", dir != NULL);
    if (c->role >= VIEW_SCHOOL)
        json_object_set_new(o, "n_outside", json_integer(schools_outside_any(v, dir, c)));
    return o;
}

json_t *view_directions_glance(const view_year *v, const view_ctx *c)
{
    size_t n;
    const vocab_entry *e = vocab_entries(VOCAB_DIRECTION, &n);
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a,
                              item_of(v, c, &e[i], (int)i + 1, stored_dir(v, v->year, e[i].code)));
    return a;
}

int view_directions(store *s, const view_year *v, const view_ctx *c, json_t **out, msk_err *err)
{
    char sy[16], title[200];
    json_t *items = view_directions_glance(v, c);
    if (s && c->role >= VIEW_ANALYST) {
        size_t i;
        json_t *it;
        json_array_foreach(items, i, it)
        {
            count_ctx k = {0};
            if (store_decisions_direction(s, jstr(it, "code"), v->year - 1, v->year, on_count, &k,
                                          err)) {
                json_decref(items);
                return -1;
            }
            json_object_set_new(it, "decisions", json_integer(k.n));
        }
    }
    view_dir_counts k;
    view_dir_count(items, &k);
    fmt_school_year(v->year, sy, sizeof sy);
    int analysed = stored(v, v->year) != NULL;
    if (!analysed)
        snprintf(title, sizeof title, "Направления МСОКО за %d год: анализа направлений нет",
                 v->year);
    else
        snprintf(title, sizeof title, "Направления МСОКО за %d год: цель достигнута в %d из %d",
                 v->year, k.on_target, k.total);
    *out = json_pack("{s:i,s:s,s:b,s:s,s:o,s:o}", "year", v->year, "school_year", sy, "analysis",
                     analysed, "title", title, "counts", counts_json(&k), "items", items);
    return 0;
}

/* ---- one direction ------------------------------------------------------------------------- */

static void null_numbers(json_t *o, const char *const *keys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (json_object_get(o, keys[i]))
            json_object_set_new(o, keys[i], json_null());
}

/* One indicator as the page shows it to c. */
static json_t *indicator_of(const view_year *v, const view_ctx *c, const json_t *in)
{
    /* a copy without the per-school members (a region's thousands of values, replaced
     * below): copying them whole and deleting them was most of a school page (the
     * recommendations ask for every indicator of every direction) */
    json_t *o = json_object();
    const char *key;
    const json_t *val;
    json_object_foreach((json_t *)in, key, val)
    {
        if (strcmp(key, "schools_outside") && strcmp(key, "schools"))
            json_object_set_new(o, key, json_deep_copy(val));
    }
    const char *status = status_of(in), *good = jstr(in, "good");
    const char *trend = view_dir_trend(json_object_get(in, "dynamics"), good);
    json_object_set_new(o, "status", json_string(status));
    json_object_set_new(o, "status_text", json_string(view_dir_status_text(status)));
    json_object_set_new(
        o, "good_text",
        json_string(!strcmp(good, "lower") ? "чем меньше, тем лучше" : "чем больше, тем лучше"));
    json_object_set_new(o, "whole", json_boolean(whole_unit(jstr(in, "unit"))));
    json_object_set_new(o, "trend", json_string(trend));
    json_object_set_new(o, "trend_text", json_string(trend_text(trend)));
    json_object_set_new(o, "has_target",
                        json_boolean(json_is_number(json_object_get(in, "target"))));
    json_object_set_new(o, "school_level", json_boolean(!strcmp(jstr(in, "level"), "school")));
    cite_into(o, "section");
    cite_into(o, "source");
    const json_t *so = json_object_get(in, "schools_outside");
    json_object_set_new(o, "n_outside", json_integer((json_int_t)json_array_size(so)));
    json_t *list = json_array();
    size_t i;
    const json_t *x;
    json_array_foreach(so, i, x)
    {
        const char *code = jstr(x, "school");
        if (!code[0] || !sees_school(c, code))
            continue;
        json_array_append_new(list, json_pack("{s:o,s:O?}", "school", school_ref(v, code), "value",
                                              json_object_get(x, "value")));
    }
    json_object_set_new(o, "schools_outside", list);
    /* the values of every school (the analyst's) are the stored tree itself, shared, not a
     * copy: kept with the year (vi_ev_kept), numbers only (nothing on the way out writes
     * into them: decorate() adds to objects with "unit" or "method"), and copying a region's
     * thousands of them for each indicator was most of the analyst's direction page */
    const json_t *sch = json_object_get(in, "schools");
    if (c->role >= VIEW_ANALYST && json_is_object(sch))
        json_object_set(o, "schools", (json_t *)sch);
    else if (c->role == VIEW_SCHOOL && c->school && json_object_get(sch, c->school))
        json_object_set_new(o, "own_value", json_deep_copy(json_object_get(sch, c->school)));
    if (c->role == VIEW_PUBLIC && small_cell(in)) {
        static const char *const keys[] = {"value", "num", "den"};
        null_numbers(o, keys, 3);
        json_array_foreach(json_object_get(o, "dynamics"), i, x)
            json_object_set_new((json_t *)x, "value", json_null());
        json_object_set_new(o, "small", json_true()); /* «менее 5» on the page */
    }
    return o;
}

/* The schools outside the target of any indicator, each once with the indicators it misses,
 * the most missed first (then by code). */
static json_t *schools_outside(const json_t *inds)
{
    json_t *by = json_object(), *order = json_array();
    size_t i, k;
    const json_t *ind, *x;
    json_array_foreach(inds, i, ind)
        json_array_foreach(json_object_get(ind, "schools_outside"), k, x)
    {
        const json_t *ref = json_object_get(x, "school");
        const char *code = jstr(ref, "code");
        json_t *e = json_object_get(by, code);
        if (!e) {
            e = json_pack("{s:O,s:[]}", "school", ref, "indicators");
            json_object_set_new(by, code, e);
            json_array_append(order, e);
        }
        json_array_append_new(
            json_object_get(e, "indicators"),
            json_pack("{s:s,s:s,s:s,s:O?,s:O?,s:O?,s:s}", "code", jstr(ind, "code"), "name",
                      jstr(ind, "name"), "unit", jstr(ind, "unit"), "whole",
                      json_object_get(ind, "whole"), "value", json_object_get(x, "value"), "target",
                      json_object_get(ind, "target"), "section", jstr(ind, "section")));
    }
    json_decref(by);
    /* a stable order: more indicators missed first, then by code (insertion sort: a direction
     * names tens of schools, a region's hundreds) */
    size_t n = json_array_size(order);
    json_t **a = msk_calloc(n ? n : 1, sizeof *a);
    for (i = 0; i < n; i++)
        a[i] = json_incref(json_array_get(order, i));
    for (i = 1; i < n; i++) {
        json_t *t = a[i];
        size_t nt = json_array_size(json_object_get(t, "indicators"));
        const char *ct = jstr(json_object_get(t, "school"), "code");
        size_t j = i;
        while (j > 0) {
            size_t nj = json_array_size(json_object_get(a[j - 1], "indicators"));
            const char *cj = jstr(json_object_get(a[j - 1], "school"), "code");
            if (nj > nt || (nj == nt && strcmp(cj, ct) <= 0))
                break;
            a[j] = a[j - 1];
            j--;
        }
        a[j] = t;
    }
    json_t *out = json_array();
    for (i = 0; i < n; i++)
        json_array_append_new(out, a[i]);
    free(a);
    json_decref(order);
    return out;
}

static json_t *num_or_null(const json_t *x)
{
    return json_is_number(x) ? json_real(json_number_value(x)) : json_null();
}

static json_t *better_of(const json_t *b, const json_t *a, const char *good)
{
    if (!json_is_number(b) || !json_is_number(a))
        return json_null();
    double d = json_number_value(a) - json_number_value(b);
    return json_boolean(!strcmp(good, "lower") ? d < 0 : d > 0);
}

/* A decision of year y answering the direction: the direction's indicators in the analysis of
 * y and of y + 1 (the effect, seed 001 п. 1.18), and for each school it names the school-level
 * indicators of the school in both. */
static void decision_effect(const view_year *v, const char *code, json_t *dec)
{
    int y = (int)json_integer_value(json_object_get(dec, "year"));
    const json_t *db = stored_dir(v, y, code), *da = stored_dir(v, y + 1, code);
    json_t *inds = json_array();
    size_t i, k;
    const json_t *ib;
    json_array_foreach(json_object_get(db ? db : da, "indicators"), i, ib)
    {
        const char *ic = jstr(ib, "code");
        const json_t *b = stored_ind(db, ic), *a = stored_ind(da, ic);
        const char *good = jstr(ib, "good");
        const json_t *vb = json_object_get(b, "value"), *va = json_object_get(a, "value");
        json_array_append_new(inds, json_pack("{s:s,s:s,s:s,s:b,s:o,s:o,s:o}", "code", ic, "name",
                                              jstr(ib, "name"), "unit", jstr(ib, "unit"), "whole",
                                              whole_unit(jstr(ib, "unit")), "before",
                                              num_or_null(vb), "after", num_or_null(va), "better",
                                              better_of(vb, va, good)));
    }
    json_object_set_new(dec, "indicators", inds);
    json_t *sc;
    json_array_foreach(json_object_get(dec, "schools"), k, sc)
    {
        const char *school = jstr(sc, "code");
        json_t *ms = json_array();
        json_array_foreach(json_object_get(db ? db : da, "indicators"), i, ib)
        {
            if (strcmp(jstr(ib, "level"), "school"))
                continue;
            const char *ic = jstr(ib, "code");
            const json_t *vb =
                json_object_get(json_object_get(stored_ind(db, ic), "schools"), school);
            const json_t *va =
                json_object_get(json_object_get(stored_ind(da, ic), "schools"), school);
            if (!vb && !va)
                continue;
            json_array_append_new(ms, json_pack("{s:s,s:s,s:s,s:b,s:o,s:o,s:o}", "code", ic, "name",
                                                jstr(ib, "name"), "unit", jstr(ib, "unit"), "whole",
                                                whole_unit(jstr(ib, "unit")), "before",
                                                num_or_null(vb), "after", num_or_null(va), "better",
                                                better_of(vb, va, jstr(ib, "good"))));
        }
        json_object_set_new(sc, "direction_measures", ms);
    }
}

typedef struct dec_ctx {
    const view_year *v;
    const view_ctx *c;
    const char *code;
    json_t *prev, *cur;
} dec_ctx;

static void on_decision(void *ctx, const store_decision *d)
{
    dec_ctx *x = ctx;
    json_t *o = view_decision_json(x->v, x->c, d);
    if (x->c->role == VIEW_SCHOOL && !json_array_size(json_object_get(o, "schools"))) {
        json_decref(o); /* an operator sees the decisions naming its school only */
        return;
    }
    decision_effect(x->v, x->code, o);
    json_array_append_new(d->year < x->v->year ? x->prev : x->cur, o);
}

static json_t *neighbour(int k)
{
    size_t n;
    const vocab_entry *e = vocab_entries(VOCAB_DIRECTION, &n);
    if (k < 0 || (size_t)k >= n)
        return json_null();
    return json_pack("{s:s,s:s}", "code", e[k].code, "name", e[k].label);
}

int view_direction(store *s, const view_year *v, const view_ctx *c, const char *code, json_t **out,
                   msk_err *err)
{
    *out = NULL;
    size_t n, k;
    const vocab_entry *e = vocab_entries(VOCAB_DIRECTION, &n);
    for (k = 0; k < n && strcmp(e[k].code, code); k++)
        ;
    if (k == n) {
        msk_error(err, "направления «%s» нет: их девять, список — на странице «Направления»", code);
        return VIEW_NOT_FOUND;
    }
    const json_t *dir = stored_dir(v, v->year, code);
    json_t *o = item_of(v, c, &e[k], (int)k + 1, dir);
    json_object_set_new(o, "year", json_integer(v->year));
    char sy[16], title[400];
    fmt_school_year(v->year, sy, sizeof sy);
    json_object_set_new(o, "school_year", json_string(sy));
    json_object_set_new(o, "sections", json_string(jstr(dir, "sections")));
    cite_into(o, "sections");
    json_t *inds = json_array();
    size_t i;
    const json_t *in;
    json_array_foreach(json_object_get(dir, "indicators"), i, in)
        json_array_append_new(inds, indicator_of(v, c, in));
    view_dir_counts kc;
    view_dir_count(inds, &kc);
    if (!dir)
        snprintf(title, sizeof title, "%s: нет анализа за %d год", jstr(o, "name"), v->year);
    else if (kc.below)
        snprintf(title, sizeof title, "%s: цель не достигнута по %d %s из %d", jstr(o, "name"),
                 kc.below, fmt_plural(kc.below, "показателю", "показателям", "показателям"),
                 kc.total);
    else if (kc.on_target)
        snprintf(title, sizeof title, "%s: цель достигнута по %d %s из %d", jstr(o, "name"),
                 kc.on_target, fmt_plural(kc.on_target, "показателю", "показателям", "показателям"),
                 kc.total);
    else
        snprintf(title, sizeof title, "%s: нет данных за %d год", jstr(o, "name"), v->year);
    json_object_set_new(o, "title", json_string(title));
    json_object_set_new(o, "schools_outside",
                        c->role >= VIEW_SCHOOL ? schools_outside(inds) : json_array());
    json_object_set_new(o, "indicators", inds);
    json_object_set_new(o, "prev", neighbour((int)k - 1));
    json_object_set_new(o, "next", neighbour((int)k + 1));
    if (s && c->role >= VIEW_SCHOOL) {
        dec_ctx x = {v, c, code, json_array(), json_array()};
        if (store_decisions_direction(s, code, v->year - 1, v->year, on_decision, &x, err)) {
            json_decref(x.prev);
            json_decref(x.cur);
            json_decref(o);
            return -1;
        }
        json_object_set_new(o, "decisions",
                            json_pack("{s:o,s:o}", "previous", x.prev, "current", x.cur));
        json_object_set_new(
            o, "decisions_count",
            json_integer((json_int_t)(json_array_size(json_object_get(
                                          json_object_get(o, "decisions"), "previous")) +
                                      json_array_size(json_object_get(
                                          json_object_get(o, "decisions"), "current")))));
    }
    *out = o;
    return 0;
}

/* Is school code among the stored schools outside an indicator's target? */
static int names_school(const json_t *so, const char *code)
{
    size_t i;
    const json_t *x;
    json_array_foreach(so, i, x)
    {
        if (!strcmp(jstr(x, "school"), code))
            return 1;
    }
    return 0;
}

/* The index of the indicators each school misses (view_year.miss): one pass over every
 * indicator's schools outside the target, made once — a school page used to search each of
 * those lists for its school (hundreds of names each, a seventh of the page). */
static void misses_index(const view_year *v, const json_t *dirs)
{
    view_year *mv = (view_year *)v; /* filled once, then read only */
    if (__atomic_load_n(&mv->miss_ready, __ATOMIC_ACQUIRE))
        return;
    pthread_mutex_lock(&mv->miss_mu);
    if (!mv->miss_ready) {
        size_t ns = v->m.nschools, n = 0, cap = 0, i, k, j;
        size_t *count = msk_calloc(ns + 1, sizeof *count);
        uint32_t *pair = NULL, *at = NULL, serial = 0;
        uint32_t *mark = msk_calloc(ns ? ns : 1, sizeof *mark); /* the indicator that named it */
        int32_t *who = NULL;
        const json_t *dir, *in, *x;
        json_array_foreach(dirs, i, dir)
            json_array_foreach(json_object_get(dir, "indicators"), k, in)
        {
            serial++;
            json_array_foreach(json_object_get(in, "schools_outside"), j, x)
            {
                int32_t s = vi_find_school(v, jstr(x, "school"));
                /* a school named twice in one list counts once (names_school) */
                if (s < 0 || mark[s] == serial)
                    continue;
                mark[s] = serial;
                if (n == cap) {
                    cap = cap ? 2 * cap : 1024;
                    pair = msk_reallocarray(pair, cap, sizeof *pair);
                    who = msk_reallocarray(who, cap, sizeof *who);
                }
                pair[n] = (uint32_t)(i << 16 | k), who[n++] = s;
                count[s + 1]++;
            }
        }
        for (size_t s = 0; s < ns; s++)
            count[s + 1] += count[s];
        at = msk_reallocarray(NULL, n ? n : 1, sizeof *at);
        size_t *fill = msk_reallocarray(NULL, ns + 1, sizeof *fill);
        memcpy(fill, count, (ns + 1) * sizeof *fill);
        for (size_t q = 0; q < n; q++) /* stable: each school's in (direction, indicator) order */
            at[fill[who[q]]++] = pair[q];
        free(fill);
        free(mark);
        free(pair);
        free(who);
        mv->miss_start = count;
        mv->miss = at;
        __atomic_store_n(&mv->miss_ready, 1, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&mv->miss_mu);
}

json_t *view_direction_misses(const view_year *v, const char *school)
{
    view_ctx c = {VIEW_SCHOOL, school, NULL}; /* the school's own rows only */
    json_t *out = json_array();
    size_t i, k;
    const json_t *dir, *in, *dirs = stored(v, v->year);
    int32_t si = vi_find_school(v, school);
    size_t from = 0, to = 0;
    if (si >= 0) {
        misses_index(v, dirs);
        from = v->miss_start[si], to = v->miss_start[si + 1];
    }
    json_array_foreach(dirs, i, dir)
    {
        json_t *inds = json_array();
        if (si >= 0) { /* the school's missed indicators of direction i, from the index */
            for (; from < to && v->miss[from] >> 16 == i; from++)
                json_array_append_new(
                    inds, indicator_of(v, &c,
                                       json_array_get(json_object_get(dir, "indicators"),
                                                      v->miss[from] & 0xffff)));
        } else {
            json_array_foreach(json_object_get(dir, "indicators"), k, in)
            {
                /* only the indicators the school misses give it a row (schools_outside) */
                if (names_school(json_object_get(in, "schools_outside"), school))
                    json_array_append_new(inds, indicator_of(v, &c, in));
            }
        }
        json_t *so = schools_outside(inds);
        json_decref(inds);
        if (!json_array_size(so)) {
            json_decref(so);
            continue;
        }
        json_array_append_new(out, json_pack("{s:s,s:s,s:o}", "code", jstr(dir, "code"), "name",
                                             jstr(dir, "name"), "schools_outside", so));
    }
    return out;
}
