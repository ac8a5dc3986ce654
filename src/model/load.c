/*
 * model_load: fill a model from the store through the streaming readers of store/read.h.
 * Store ids become dense model indices (schools and procedures arrive ordered by id, so a
 * binary search over the ids maps them); the last id is cached because results arrive
 * grouped by procedure and, inside it, mostly by school. model_load itself reads the snapshot
 * when it is current (model/snapshot.c) and comes here only to build one.
 */
#include "model/model.h"

#include "base/fmt.h"
#include "base/mem.h"
#include "model/internal.h"
#include "store/read.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sorted store ids of one table and their model indices (the position in the array). */
typedef struct id_map {
    int64_t *id;
    size_t n, cap;
    int64_t last_id;
    int32_t last;
} id_map;

static void id_map_add(id_map *im, int64_t id)
{
    if (im->n == im->cap) {
        im->cap = im->cap ? im->cap * 2 : 64;
        im->id = msk_reallocarray(im->id, im->cap, sizeof *im->id);
    }
    MSK_ASSERT(im->n == 0 || im->id[im->n - 1] < id); /* readers return rows by id */
    im->id[im->n++] = id;
}

static int32_t id_map_find(id_map *im, int64_t id)
{
    size_t lo = 0, hi = im->n;
    if (im->n && im->last_id == id)
        return im->last;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (im->id[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == im->n || im->id[lo] != id)
        return -1;
    im->last_id = id;
    im->last = (int32_t)lo;
    return im->last;
}

typedef struct load_ctx {
    model *m;
    store *s;
    id_map schools, procs;
    uint64_t contest_years;        /* bit y - year_from: the year has contest rows */
    char form_el[MODEL_FORM_CODE]; /* the element of the last form value added */
    size_t form_cap;
    const int64_t *only; /* model_load_rows_in: the schools kept (ascending ids), NULL: all */
    size_t nonly;
} load_ctx;

static int id_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void on_school(void *ctx, const store_read_school *r)
{
    load_ctx *c = ctx;
    /* a school left out has no index: every row of it is dropped below (id_map_find < 0) */
    if (c->only && !bsearch(&r->id, c->only, c->nonly, sizeof *c->only, id_cmp))
        return;
    int32_t i = model_add_school(c->m, r->code, r->type, r->locality);
    snprintf(c->m->schools[i].name, sizeof c->m->schools[i].name, "%s", r->name);
    id_map_add(&c->schools, r->id);
}

static void on_proc(void *ctx, const store_read_proc *r)
{
    load_ctx *c = ctx;
    store_scale sc;
    double max = NAN, c3 = NAN, c4 = NAN, c5 = NAN;
    int min_test = -1;
    /* the year's own scale, else the default (store_scale_find does both) */
    if (store_scale_find(c->s, r->year, r->kind, r->subject, r->grade, &sc, NULL) == 0) {
        max = sc.max_primary;
        c3 = sc.mark3;
        c4 = sc.mark4;
        c5 = sc.mark5;
        min_test = sc.min_test == STORE_NONE ? -1 : sc.min_test;
    }
    model_add_proc(c->m, r->year, r->kind, r->subject, r->grade, max, c3, c4, c5, min_test);
    id_map_add(&c->procs, r->id);
}

static void on_task(void *ctx, const store_read_task *r)
{
    load_ctx *c = ctx;
    int32_t p = id_map_find(&c->procs, r->procedure_id);
    model_proc *pr;
    if (p < 0 || r->idx < 1 || r->idx > 64)
        return; /* the model keeps 64 tasks a procedure */
    pr = &c->m->procs[p];
    pr->task_max[r->idx - 1] = r->max_score == STORE_NONE ? -1 : r->max_score;
    if (r->idx > pr->ntasks)
        pr->ntasks = r->idx;
}

static void on_result(void *ctx, const store_read_result *r)
{
    load_ctx *c = ctx;
    int32_t p = id_map_find(&c->procs, r->procedure_id);
    int32_t sc = id_map_find(&c->schools, r->school_id);
    unsigned flags = (r->retake ? MODEL_RETAKE : 0u) |
                     (r->past_graduate ? MODEL_PAST_GRADUATE : 0u) | (r->ovz ? MODEL_OVZ : 0u) |
                     (r->absent ? MODEL_ABSENT : 0u);
    if (p < 0 || sc < 0)
        return;
    model_add_result(
        c->m, p, sc, model_pupil(c->m, sc, r->pupil_code), r->primary_score,
        r->mark == STORE_NONE ? 0 : r->mark, r->test_score == STORE_NONE ? -1 : r->test_score,
        r->journal_mark == STORE_NONE ? 0 : r->journal_mark, flags, r->tasks, (int)r->ntasks);
}

static int none0(int v)
{
    return v == STORE_NONE ? 0 : v;
}

static void on_aggregate(void *ctx, const store_aggregate *r)
{
    load_ctx *c = ctx;
    int32_t p = id_map_find(&c->procs, r->procedure_id);
    int32_t sc = id_map_find(&c->schools, r->school_id);
    if (p < 0 || sc < 0)
        return;
    model_add_aggregate(c->m, p, sc, none0(r->participants), none0(r->mark2), none0(r->mark3),
                        none0(r->mark4), none0(r->mark5),
                        r->below_min == STORE_NONE ? -1 : r->below_min);
}

static void on_value(void *ctx, const store_read_value *r)
{
    load_ctx *c = ctx;
    int32_t sc = id_map_find(&c->schools, r->school_id);
    if (sc >= 0)
        model_set_context(c->m, r->year, sc, r->element, r->value);
}

/* Form values arrive ordered by element, school and period: an element is added at its first
 * value in a school year of the range, so the elements come sorted by code. */
static void on_form_value(void *ctx, const store_read_form_value *r)
{
    load_ctx *c = ctx;
    model *m = c->m;
    int y = fmt_period_school_year(r->period);
    if (y < m->year_from || y > m->year_to || strlen(r->element) >= MODEL_FORM_CODE)
        return;
    int32_t sc = id_map_find(&c->schools, r->school_id);
    if (sc < 0)
        return;
    size_t ny = (size_t)(m->year_to - m->year_from + 1), ns = m->nschools;
    if (!m->nform_elements || strcmp(c->form_el, r->element) != 0) {
        if (m->nform_elements == c->form_cap) {
            c->form_cap = c->form_cap ? c->form_cap * 2 : 16;
            m->form_element =
                msk_reallocarray(m->form_element, c->form_cap, sizeof *m->form_element);
            m->form_value =
                msk_reallocarray(m->form_value, c->form_cap * ny * ns, sizeof *m->form_value);
        }
        memset(m->form_element[m->nform_elements], 0, sizeof *m->form_element);
        snprintf(m->form_element[m->nform_elements], sizeof *m->form_element, "%s", r->element);
        snprintf(c->form_el, sizeof c->form_el, "%s", r->element);
        double *v = m->form_value + m->nform_elements * ny * ns;
        for (size_t i = 0; i < ny * ns; i++)
            v[i] = NAN;
        m->nform_elements++;
    }
    double *o = &m->form_value[((m->nform_elements - 1) * ny + (size_t)(y - m->year_from)) * ns +
                               (size_t)sc];
    *o = isnan(*o) ? r->value : *o + r->value;
}

/* Contests enter the model as context: MODEL_CONTEST_* = the school's pupils who won or took a
 * prize at that level (seed 000 table 1, row 7); a year with any contest row gives every school
 * a value, 0 where it has none, so the rating tells «none» from «no data». */
static void on_contest(void *ctx, const store_read_contest *r)
{
    load_ctx *c = ctx;
    int32_t sc = id_map_find(&c->schools, r->school_id);
    char el[32];
    if (r->year - c->m->year_from >= 0 && r->year - c->m->year_from < 64)
        c->contest_years |= UINT64_C(1) << (r->year - c->m->year_from);
    if (sc < 0)
        return;
    snprintf(el, sizeof el, "%s%s", MODEL_CONTEST_PREFIX, r->level);
    model_set_context(c->m, r->year, sc, el, r->pupil_awards);
}

static void contest_zeros(load_ctx *c)
{
    static const char *const LEVELS[] = {"federal", "regional", "municipal"};
    model *m = c->m;
    for (int y = m->year_from; y <= m->year_to && y - m->year_from < 64; y++) {
        if (!(c->contest_years >> (y - m->year_from) & 1))
            continue;
        for (size_t k = 0; k < 3; k++) {
            char el[32];
            snprintf(el, sizeof el, "%s%s", MODEL_CONTEST_PREFIX, LEVELS[k]);
            for (size_t i = 0; i < m->nschools; i++)
                if (isnan(model_context(m, y, (int32_t)i, el)))
                    model_set_context(m, y, (int32_t)i, el, 0);
        }
    }
}

static void on_olympiad(void *ctx, const store_olympiad *r)
{
    load_ctx *c = ctx;
    model_olympiad o;
    memset(&o, 0, sizeof o);
    o.school = id_map_find(&c->schools, r->school_id);
    if (o.school < 0)
        return;
    o.year = r->year;
    o.grade = r->grade;
    snprintf(o.stage, sizeof o.stage, "%s", r->stage);
    snprintf(o.subject, sizeof o.subject, "%s", r->subject);
    snprintf(o.status, sizeof o.status, "%s", r->status);
    o.pupil = model_pupil(c->m, o.school, r->pupil_code);
    o.score = r->score;
    model_add_olympiad(c->m, &o);
}

static void on_team(void *ctx, const store_read_team *r)
{
    load_ctx *c = ctx;
    model_team t;
    memset(&t, 0, sizeof t);
    t.school = id_map_find(&c->schools, r->school_id);
    if (t.school < 0)
        return;
    t.year = r->year;
    t.place = r->place;
    snprintf(t.stage, sizeof t.stage, "%s", r->stage);
    model_add_team(c->m, &t);
}

static void on_graduate(void *ctx, const store_graduate *r)
{
    load_ctx *c = ctx;
    model_graduate g;
    memset(&g, 0, sizeof g);
    g.school = id_map_find(&c->schools, r->school_id);
    if (g.school < 0)
        return;
    g.year = r->year;
    g.grade = r->grade;
    g.attestat = r->attestat;
    g.medal = r->medal;
    g.pupil = model_pupil(c->m, g.school, r->pupil_code);
    snprintf(g.destination, sizeof g.destination, "%s", r->destination ? r->destination : "");
    model_add_graduate(c->m, &g);
}

int model_load_rows(model *m, store *s, int year_from, int year_to, msk_err *err)
{
    return model_load_rows_in(m, s, year_from, year_to, NULL, 0, err);
}

int model_load_rows_in(model *m, store *s, int year_from, int year_to, const int64_t *school_ids,
                       size_t nschool_ids, msk_err *err)
{
    load_ctx c;
    int rc = -1;
    memset(&c, 0, sizeof c);
    c.m = m;
    c.s = s;
    c.only = school_ids;
    c.nonly = nschool_ids;

    model_init(m, year_from, year_to);
    if (store_read_schools(s, on_school, &c, err) ||
        store_read_procedures(s, year_from, year_to, on_proc, &c, err) ||
        store_read_tasks(s, year_from, year_to, on_task, &c, err) ||
        store_read_results(s, year_from, year_to, on_result, &c, err) ||
        store_read_aggregates(s, year_from, year_to, on_aggregate, &c, err) ||
        store_read_values(s, year_from, year_to, on_value, &c, err) ||
        store_read_form_values(s, year_from, year_to, on_form_value, &c, err) ||
        store_read_olympiads(s, year_from, year_to, on_olympiad, &c, err) ||
        store_read_teams(s, year_from, year_to, on_team, &c, err) ||
        store_read_graduates(s, year_from, year_to, on_graduate, &c, err) ||
        store_read_contests(s, year_from, year_to, on_contest, &c, err))
        goto out;
    m->has_form_values = 1;
    contest_zeros(&c);
    model_canonicalize(m);
    model_finish(m);
    rc = 0;
out:
    if (rc)
        model_release(m);
    free(c.schools.id);
    free(c.procs.id);
    return rc;
}
