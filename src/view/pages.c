/*
 * The dashboard, the schools list, a school's page and the lists (view.h).
 */
#include "base/fmt.h"
#include "base/mem.h"
#include "view/card.h"
#include "view/direction.h"
#include "view/internal.h"
#include "method/peers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Municipal indicators stored by analyze (seed 002 пп. 2.3.1, 3.3.3; the objectivity index of
 * seed 004): key, Russian name, unit ("share" = fraction, "index" = 0..100). */
static const struct {
    const char *key, *name, *unit;
} INDICATORS[] = {
    {"shnor_positive_dynamics_math",
     "Доля ШНОР с положительной динамикой результатов ГИА по математике", "share"},
    {"shnor_positive_dynamics_rus",
     "Доля ШНОР с положительной динамикой результатов ГИА по русскому языку", "share"},
    {"vpr_fail_share_fell_4_to_5_math",
     "Доля школ, где доля «2» по ВПР снизилась от 4 к 5 классу (математика)", "share"},
    {"vpr_fail_share_fell_4_to_5_rus",
     "Доля школ, где доля «2» по ВПР снизилась от 4 к 5 классу (русский язык)", "share"},
    {"schools_without_fail_oge_rus",
     "Доля школ без неудовлетворительных результатов ОГЭ по русскому языку", "share"},
    {"schools_without_fail_oge_math",
     "Доля школ без неудовлетворительных результатов ОГЭ по математике", "share"},
    {"objectivity_index",
     "Индекс объективности муниципалитета (100 − доля школ с признаками необъективности)", "index"},
    {"objectivity_index_one_sign",
     "Индекс объективности по правилу Рособрнадзора (100 − доля школ хотя бы с одним признаком)",
     "index"},
};

const char *view_indicator_name(const char *key, const char **unit)
{
    for (size_t i = 0; i < sizeof INDICATORS / sizeof INDICATORS[0]; i++)
        if (strcmp(INDICATORS[i].key, key) == 0) {
            if (unit)
                *unit = INDICATORS[i].unit;
            return INDICATORS[i].name;
        }
    return NULL;
}

static const char *const LIST_NAMES[][2] = {
    {"shnor", "ШНОР"},
    {"risk", "Зона риска"},
    {"objectivity", "ОО с признаками необъективности"},
    {"rating", "Рейтинг ОО"},
};

static int list_index(const char *list)
{
    for (size_t i = 0; i < sizeof LIST_NAMES / sizeof LIST_NAMES[0]; i++)
        if (strcmp(LIST_NAMES[i][0], list) == 0)
            return (int)i;
    return -1;
}

/* The latest analysis of the year: null when none; else when it ran («run_at_text»,
 * дд.мм.гггг чч:мм), the newest data change it saw («data_at_text», null when none was
 * recorded), whether data changed since («stale», «changes», «changed_at_text») and whether the
 * reader may run it again («can_analyze»). */
static json_t *analysis_of(const view_year *v, const view_ctx *c, int year)
{
    int k = v->year - year;
    if (k != 0 || !v->has_run)
        return json_null();
    const store_freshness *f = &v->fresh;
    char run[40], data[40], changed[40];
    json_t *a =
        json_pack("{s:s, s:s, s:s, s:b, s:I, s:b}", "run_at", f->run_at, "methods", v->methods[k],
                  "run_at_text", fmt_datetime(f->run_at, run, sizeof run), "stale", f->changes > 0,
                  "changes", (json_int_t)f->changes, "can_analyze", c->role >= VIEW_ANALYST);
    json_object_set_new(a, "data_at_text",
                        f->data_at[0] ? json_string(fmt_datetime(f->data_at, data, sizeof data))
                                      : json_null());
    json_object_set_new(a, "changed_at_text",
                        f->changed_at[0]
                            ? json_string(fmt_datetime(f->changed_at, changed, sizeof changed))
                            : json_null());
    return a;
}

/* A page built from the year's analysis: "analysis" (analysis_of) and "can_analyze", also
 * where there is no analysis yet. */
static void set_analysis(json_t *d, const view_year *v, const view_ctx *c)
{
    json_object_set_new(d, "analysis", analysis_of(v, c, v->year));
    json_object_set_new(d, "can_analyze", json_boolean(c->role >= VIEW_ANALYST));
}

/* The first sentence of a finding: why the school is on the list. */
static json_t *why_of(const view_year *v, const view_finding *f)
{
    json_t *ev = vi_ev(v, f), *t = vi_texts(ev);
    json_decref(ev);
    json_t *first =
        json_array_size(t) ? json_incref(json_array_get(t, 0)) : json_string(f->verdict);
    json_decref(t);
    return first;
}

static int rank_of(const view_year *v, int public_form, int year, int32_t i, double *points);

/* «В прошлом году»: the rank and total of the school in the previous year, null when it had
 * none (seed 000 publishes the rating yearly; the table shows both years side by side). */
static void set_previous(json_t *it, const view_year *v, int public_form, int year, int32_t i)
{
    double pts = NAN;
    int rank = rank_of(v, public_form, year - 1, i, &pts);
    json_object_set_new(it, "prev_rank", rank ? json_integer(rank) : json_null());
    json_object_set_new(it, "prev_points", rank && !isnan(pts) ? json_real(pts) : json_null());
}

/* Issue 16 beside a rating row: the rank range and the value added («прирост») in brief. The
 * value added never changes the act's rank; the public gets it only over 5 pupils or more. */
static void add_rating_extras(json_t *it, const json_t *ev, int public_role)
{
    json_object_set(it, "rank_range", json_object_get(ev, "rank_range"));
    json_object_set(it, "rank_range_text", json_object_get(ev, "rank_range_text"));
    const json_t *va = json_object_get(ev, "value_added");
    if (!json_is_object(va) ||
        (public_role && json_integer_value(json_object_get(va, "n")) < VIEW_MIN_CELL)) {
        json_object_set_new(it, "value_added", json_null());
        return;
    }
    json_object_set_new(
        it, "value_added",
        json_pack("{s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?}", "method",
                  json_object_get(va, "method"), "method_name", json_object_get(va, "method_name"),
                  "value", json_object_get(va, "value"), "ci", json_object_get(va, "ci"), "shrunk",
                  json_object_get(va, "shrunk"), "rank", json_object_get(va, "rank"), "rank_range",
                  json_object_get(va, "rank_range"), "text", json_object_get(va, "text")));
}

/* «Надёжность вывода» of a listed school (ШНОР, risk): the reliability object analyze stored,
 * or null for a finding stored before it existed. */
static json_t *reliability_of(const json_t *ev)
{
    json_t *r = json_object_get(ev, "reliability");
    return r ? json_incref(r) : json_null();
}

json_t *vi_coefficient(const view_year *v, int year, int32_t i)
{
    const view_finding *f = vi_finding(v, year, -1, "indicators");
    const json_t *all = f ? json_object_get(vi_ev_kept(v, f), "objectivity_coefficient") : NULL;
    if (!json_is_object(all) || i < 0)
        return json_null();
    const json_t *c = json_object_get(json_object_get(all, "schools"), v->m.schools[i].code);
    if (!json_is_object(c))
        return json_pack("{s:b, s:s}", "none", 1, "text", "нет перепроверенных работ");
    json_t *out = json_deep_copy(c);
    const json_t *ci = json_object_get(c, "ci");
    char lo[32], hi[32];
    json_object_set_new(
        out, "ci_text",
        json_array_size(ci) == 2
            ? json_sprintf("%s–%s",
                           fmt_num(json_number_value(json_array_get(ci, 0)), 2, lo, sizeof lo),
                           fmt_num(json_number_value(json_array_get(ci, 1)), 2, hi, sizeof hi))
            : json_null());
    size_t k;
    json_t *row;
    json_array_foreach(json_object_get(out, "procedures"), k, row)
    {
        int32_t p = model_find_proc(&v->m, year, json_string_value(json_object_get(row, "kind")),
                                    json_string_value(json_object_get(row, "subject")),
                                    (int)json_integer_value(json_object_get(row, "grade")));
        json_t *ref = p >= 0 ? vi_proc_ref(v, p) : NULL;
        json_object_set(row, "title",
                        ref ? json_object_get(ref, "title") : json_object_get(row, "proc"));
        json_decref(ref);
    }
    return out;
}

/* The schools whose works were re-checked in year, each with its coefficient (the objectivity
 * list shows them all: listed and control schools alike), by school code; null when the
 * year's analysis computed no coefficients. */
static json_t *coefficients_of(const view_year *v, int year)
{
    const view_finding *f = vi_finding(v, year, -1, "indicators");
    const json_t *all =
        f ? json_object_get(json_object_get(vi_ev_kept(v, f), "objectivity_coefficient"), "schools")
          : NULL;
    if (!json_is_object(all)) /* no analysis, or one made before the coefficient existed */
        return json_null();
    json_t *out = json_array();
    const char *code;
    json_t *c;
    json_object_foreach((json_t *)all, code, c)
    {
        int32_t i = vi_find_school(v, code);
        if (i < 0)
            continue;
        json_t *row = vi_coefficient(v, year, i);
        json_object_set_new(row, "school", vi_school_ref(v, i));
        json_object_set_new(row, "listed", json_boolean(vi_has_finding(v, year, i, "objectivity")));
        json_array_append_new(out, row);
    }
    return out;
}

static json_t *list_items(const view_year *v, const view_ctx *c, const char *method, int year,
                          int short_form, size_t limit, size_t *total)
{
    json_t *items = json_array();
    *total = 0;
    for (size_t k = 0; k < v->nfindings; k++) {
        const view_finding *f = &v->findings[k];
        if (f->year != year || strcmp(f->method, method) != 0 || f->school < 0)
            continue;
        (*total)++;
        /* rating is public (seed 000 publishes it); other lists name schools with findings,
         * which a school operator sees only for its own school */
        if ((strcmp(method, "rating") != 0 && !vi_may_see(c, v, f->school)) ||
            json_array_size(items) >= limit)
            continue;
        json_t *it = json_object(), *ev = vi_ev(v, f);
        json_object_set_new(it, "school", vi_school_ref_kept(v, f->school));
        json_object_set_new(it, "verdict", json_string(f->verdict));
        json_object_set_new(it, "verdict_label", vi_verdict_label(method, f->verdict));
        int rating = strcmp(method, "rating") == 0;
        if (rating && !vi_may_see(c, v, f->school)) {
            /* the public, and a school operator for every school but its own, get the act's
             * table (points per criterion, total, rank), not the counts behind it: a
             * criterion of fewer than 5 pupils and the total go (UI.md; seed 000 publishes
             * the rating, not the pupils behind it) */
            int small;
            json_object_set_new(it, "criteria", vi_rating_criteria(ev, &small));
            json_object_set(it, "rank", json_object_get(ev, "rank"));
            json_object_set(it, "points", small ? json_null() : json_object_get(ev, "points"));
            set_previous(it, v, 1, year, f->school);
            add_rating_extras(it, ev, 1);
            json_array_append_new(items, it);
            json_decref(ev);
            continue;
        }
        if (short_form) {
            json_object_set_new(it, "why", why_of(v, f));
        } else {
            json_object_set(it, "evidence", ev);
            json_object_set_new(it, "text", vi_texts(ev));
        }
        if (rating) {
            json_object_set(it, "rank", json_object_get(ev, "rank"));
            json_object_set(it, "points", json_object_get(ev, "points"));
            if (!short_form) {
                json_t *cr = json_object_get(ev, "criteria");
                json_object_set_new(it, "criteria",
                                    json_is_object(cr) ? json_deep_copy(cr) : json_object());
                set_previous(it, v, 0, year, f->school);
            }
            add_rating_extras(it, ev, 0);
        } else {
            json_object_set_new(it, "reliability", reliability_of(ev));
        }
        if (!strcmp(method, "objectivity"))
            json_object_set_new(it, "coefficient", vi_coefficient(v, year, f->school));
        json_array_append_new(items, it);
        json_decref(ev);
    }
    return items;
}

static json_t *indicators_of(const view_year *v, int year)
{
    json_t *out = json_array();
    const view_finding *f = vi_finding(v, year, -1, "indicators");
    if (!f)
        return out;
    const json_t *ev = vi_ev_kept(v, f);
    for (size_t i = 0; i < sizeof INDICATORS / sizeof INDICATORS[0]; i++) {
        json_t *val = json_object_get(ev, INDICATORS[i].key);
        json_t *det = json_object_get(json_object_get(ev, "details"), INDICATORS[i].key);
        json_array_append_new(out,
                              json_pack("{s:s, s:s, s:O?, s:s, s:O?}", "key", INDICATORS[i].key,
                                        "name", INDICATORS[i].name, "value", val, "unit",
                                        INDICATORS[i].unit, "text", json_object_get(det, "text")));
    }
    return out;
}

/* The dashboard's chart of the ШНОР measure (issue 14 item 9): each school's largest share of
 * «2» (ЕГЭ: below the minimum — the cell's "failed", what the ШНОР rule counts) among the year's
 * procedures with at least VIEW_MIN_CELL participants, the procedure it comes from and whether
 * the school is on the ШНОР list; the threshold is the one the cards compare with. */
static json_t *schools_share2(const view_year *v)
{
    const model *m = &v->m;
    double *best = msk_calloc(m->nschools + 1, sizeof *best);
    int32_t *from = msk_calloc(m->nschools + 1, sizeof *from);
    for (size_t i = 0; i < m->nschools; i++)
        best[i] = -1, from[i] = -1;
    for (size_t p = 0; p < m->nprocs; p++) {
        if (m->procs[p].year != v->year)
            continue;
        size_t a, b;
        vi_cells_of(v, (int32_t)p, &a, &b);
        for (size_t k = a; k < b; k++) {
            const model_cell *x = &m->cells[k];
            if (x->participants < VIEW_MIN_CELL || x->school < 0)
                continue;
            double sh = (double)x->failed / x->participants;
            if (sh > best[x->school])
                best[x->school] = sh, from[x->school] = (int32_t)p;
        }
    }
    json_t *items = json_array();
    json_t **title = msk_calloc(m->nprocs + 1, sizeof *title); /* each procedure's, once */
    for (size_t i = 0; i < m->nschools; i++) {
        if (from[i] < 0)
            continue;
        if (!title[from[i]]) {
            json_t *ref = vi_proc_ref(v, from[i]);
            title[from[i]] = json_incref(json_object_get(ref, "title"));
            json_decref(ref);
        }
        json_array_append_new(
            items, json_pack("{s:o, s:f, s:O, s:b}", "school", vi_school_ref_kept(v, (int32_t)i),
                             "share", best[i], "proc", title[from[i]], "shnor",
                             vi_finding(v, v->year, (int32_t)i, "shnor") != NULL));
    }
    for (size_t p = 0; p < m->nprocs; p++)
        json_decref(title[p]);
    free(title);
    free(best);
    free(from);
    /* the threshold the year's ШНОР analysis used (its evidence), the act's default without one */
    double thr = view_card_threshold("shnor");
    for (size_t k = 0; k < v->nfindings; k++)
        if (v->findings[k].year == v->year && !strcmp(v->findings[k].method, "shnor")) {
            json_t *ev = vi_ev(v, &v->findings[k]);
            json_t *t = json_object_get(json_array_get(json_object_get(ev, "low"), 0), "threshold");
            if (json_is_number(t))
                thr = json_number_value(t);
            json_decref(ev);
            break;
        }
    return json_pack("{s:f, s:o}", "threshold", thr, "schools", items);
}

int view_dashboard(const view_year *v, const view_ctx *c, json_t **out, msk_err *err)
{
    const model *m = &v->m;
    char sy[16];
    long long participants = 0;
    size_t nprocs = 0;
    int has_test = 0;
    json_t *procs = json_array();
    for (size_t p = 0; p < m->nprocs; p++) {
        if (m->procs[p].year != v->year)
            continue;
        model_cell mc;
        vi_muni_cell(v, (int32_t)p, &mc);
        if (mc.participants == 0)
            continue;
        nprocs++;
        participants += mc.participants;
        json_t *mk = vi_marks(&m->procs[p], &mc);
        vi_add_test(v, c, (int32_t)p, -1, mk);
        has_test |= vi_by_test(v, (int32_t)p);
        json_array_append_new(
            procs, json_pack("{s:o, s:o}", "proc", vi_proc_ref(v, (int32_t)p), "marks", mk));
    }
    json_t *d = json_object();
    json_object_set_new(d, "year", json_integer(v->year));
    json_object_set_new(d, "school_year", json_string(fmt_school_year(v->year, sy, sizeof sy)));
    json_object_set_new(d, "has_test", json_boolean(has_test));
    set_analysis(d, v, c);
    json_object_set_new(d, "counts",
                        json_pack("{s:I, s:I, s:I}", "schools", (json_int_t)m->nschools,
                                  "participants", (json_int_t)participants, "procedures",
                                  (json_int_t)nprocs));
    json_t *lists = json_object();
    for (int i = 0; i < 3; i++) {
        size_t total;
        json_t *items = list_items(v, c, LIST_NAMES[i][0], v->year, 1, VIEW_DASHBOARD_LIST, &total);
        if (c->role == VIEW_PUBLIC) { /* the public sees how many, never which */
            json_decref(items);
            items = json_array();
        }
        json_object_set_new(lists, LIST_NAMES[i][0],
                            json_pack("{s:s, s:I, s:o}", "title", LIST_NAMES[i][1], "count",
                                      (json_int_t)total, "schools", items));
    }
    json_object_set_new(d, "lists", lists);
    /* the rating's top and bottom five, in the stored (rank) order */
    size_t total = 0;
    json_t *top = json_array(), *bottom = json_array();
    for (size_t k = 0; k < v->nfindings; k++)
        total += v->findings[k].year == v->year && strcmp(v->findings[k].method, "rating") == 0 &&
                 v->findings[k].school >= 0;
    for (size_t k = 0, i = 0; k < v->nfindings; k++) {
        const view_finding *f = &v->findings[k];
        if (f->year != v->year || strcmp(f->method, "rating") != 0 || f->school < 0)
            continue;
        const vi_rank *rk = vi_rank_of(v, f);
        int small = c->role == VIEW_PUBLIC && rk->small;
        if (i < 5 || (i >= 5 && i + 5 >= total))
            json_array_append_new(i < 5 ? top : bottom,
                                  json_pack("{s:o, s:O?, s:O?}", "school",
                                            vi_school_ref(v, f->school), "rank", rk->rank, "points",
                                            small ? NULL : rk->points));
        i++;
    }
    json_object_set_new(
        d, "rating",
        json_pack("{s:o, s:o, s:I}", "top", top, "bottom", bottom, "count", (json_int_t)total));
    json_object_set_new(d, "indicators", indicators_of(v, v->year));
    /* the nine directions at a glance (issue 15 item 5, view/direction.h) */
    json_object_set_new(d, "directions", json_pack("{s:o}", "items", view_directions_glance(v, c)));
    json_object_set_new(d, "procedures", procs);
    if (c->role >= VIEW_ANALYST) /* names schools with their results: staff only */
        json_object_set_new(d, "schools_share2", schools_share2(v));
    if (c->role == VIEW_PUBLIC)
        view_suppress(d);
    *out = d;
    (void)err;
    return 0;
}

/* The rank of school i; *points its total, NAN when hidden from c (vi_rating_criteria). */
/* The rank of school i in year (0: none) and its total into *points; public_form: the total
 * is NAN when a criterion rests on fewer than 5 pupils (vi_rating_criteria). */
static int rank_of(const view_year *v, int public_form, int year, int32_t i, double *points)
{
    const view_finding *f = vi_finding(v, year, i, "rating");
    if (!f)
        return 0;
    const vi_rank *rk = vi_rank_of(v, f);
    if (points)
        *points = public_form && rk->small ? NAN : json_number_value(rk->points);
    return (int)json_integer_value(rk->rank);
}

static int contains_ci(const char *hay, const char *needle)
{
    return !needle || !*needle || strcasestr(hay, needle) != NULL;
}

int view_schools(const view_year *v, const view_ctx *c, const view_filter *f, json_t **out,
                 msk_err *err)
{
    const model *m = &v->m;
    json_t *list = json_array();
    int *part = msk_calloc(m->nschools ? m->nschools : 1, sizeof *part);
    /* a school's total counts the cells the viewer is shown: the total minus the shown cells
     * must not give a hidden one back */
    unsigned char *hid = c->role < VIEW_ANALYST ? msk_calloc(m->ncells ? m->ncells : 1, 1) : NULL;
    for (size_t p = 0; hid && p < m->nprocs; p++)
        if (m->procs[p].year == v->year) {
            size_t from, to;
            vi_cells_of(v, (int32_t)p, &from, &to);
            vi_hidden_cells(v, c, (int32_t)p, hid + from);
        }
    for (size_t k = 0; k < m->ncells; k++)
        if (m->procs[m->cells[k].proc].year == v->year &&
            (!hid || !hid[k] || vi_may_see(c, v, m->cells[k].school)))
            part[m->cells[k].school] += m->cells[k].participants;
    free(hid);
    for (size_t i = 0; i < m->nschools; i++) {
        const model_school *sc = &m->schools[i];
        if (f && f->type && *f->type && strcmp(f->type, sc->type) != 0)
            continue;
        if (f && f->locality && *f->locality && strcmp(f->locality, sc->locality) != 0)
            continue;
        if (f && f->q && !contains_ci(sc->code, f->q) && !contains_ci(sc->name, f->q))
            continue;
        int see = vi_may_see(c, v, (int32_t)i);
        if (f && f->list && *f->list && (!see || !vi_has_finding(v, v->year, (int32_t)i, f->list)))
            continue;
        /* the kept reference's members (its strings shared), then the row's own */
        json_t *row = json_copy(v->refs[i]);
        json_object_set_new(row, "badges", see ? vi_badges(v, v->year, (int32_t)i) : json_array());
        int rank = rank_of(v, !vi_may_see(c, v, (int32_t)i), v->year, (int32_t)i, NULL);
        json_object_set_new(row, "rank", rank ? json_integer(rank) : json_null());
        json_object_set_new(row, "participants", json_integer(part[i]));
        json_array_append_new(list, row);
    }
    free(part);
    *out = json_pack("{s:i, s:o, s:I}", "year", v->year, "schools", list, "count",
                     (json_int_t)json_array_size(list));
    return 0;
}

const json_t *view_school_at(const view_year *v, size_t i)
{
    return i < v->m.nschools ? v->refs[i] : NULL;
}

static json_t *context_of(const view_year *v, int32_t i)
{
    const model *m = &v->m;
    json_t *ctx = json_array();
    for (size_t e = 0; e < m->nelements; e++) {
        double x = model_context(m, v->year, i, m->element[e]);
        /* the contests' counts are the loader's, not data elements: the rating shows them */
        if (isnan(x) || !strncmp(m->element[e], MODEL_CONTEST_PREFIX, strlen(MODEL_CONTEST_PREFIX)))
            continue;
        json_t *o = json_pack("{s:s, s:s, s:f, s:s}", "code", m->element[e], "name",
                              vi_name(v, "element", m->element[e]), "value", x, "unit",
                              vi_unit(v, m->element[e]));
        /* a yes/no element is read as «да»/«нет», never «1» or «1,0» (issue 14, «Smaller») */
        if (!strcmp(vi_type(v, m->element[e]), "bool"))
            json_object_set_new(o, "yes_no", json_string(x != 0 ? "да" : "нет"));
        json_array_append_new(ctx, o);
    }
    return ctx;
}

/* The measures a dynamics point carries: participants, success, quality, share of «2», means
 * (the full mark distribution of each year is on that year's pages). */
static json_t *brief_marks(const model_proc *pr, const model_cell *c)
{
    int n = c->participants;
    int marks = !isnan(pr->cut3) || c->marks[2] + c->marks[3] + c->marks[4] + c->marks[5];
    return json_pack("{s:i, s:o, s:o, s:o, s:o, s:o}", "participants", n, "success",
                     n ? json_real(1.0 - (double)c->failed / n) : json_null(), "quality",
                     marks && n ? json_real((double)(c->marks[4] + c->marks[5]) / n) : json_null(),
                     "share2", marks && n ? json_real((double)c->marks[2] / n) : json_null(),
                     "mean_primary",
                     isnan(c->mean_primary) ? json_null() : json_real(c->mean_primary), "mean_test",
                     isnan(c->mean_test) ? json_null() : json_real(c->mean_test));
}

/* Dynamics: the same procedure (kind, subject, grade) over the years of the view. */
static json_t *dynamics_of(const view_year *v, const view_ctx *c, int32_t i, int32_t p)
{
    const model *m = &v->m;
    json_t *points = json_array();
    for (int y = v->year - VIEW_DEPTH + 1; y <= v->year; y++) {
        int32_t q = v->family[(size_t)p * VIEW_DEPTH + (size_t)(y - (v->year - VIEW_DEPTH + 1))];
        if (q < 0)
            continue;
        const model_cell *sc = model_cell_of(m, q, i);
        model_cell mc;
        vi_muni_cell(v, q, &mc);
        if (!sc || !sc->participants)
            continue;
        json_t *brief = brief_marks(&m->procs[q], sc);
        if (vi_cell_hidden(v, c, (size_t)(sc - m->cells))) /* as on that year's page */
            vi_hide(brief);
        json_array_append_new(points, json_pack("{s:i, s:o, s:o}", "year", y, "school", brief,
                                                "municipality", brief_marks(&m->procs[q], &mc)));
    }
    if (json_array_size(points) < 2) {
        json_decref(points);
        return NULL;
    }
    json_t *ref = vi_proc_ref(v, p);
    json_t *d = json_pack("{s:O, s:O, s:o, s:s}", "key", json_object_get(ref, "key"), "title",
                          json_object_get(ref, "title"), "points", points, "measure", "success");
    json_decref(ref);
    return d;
}

static double get_num(const json_t *o, const char *k)
{
    const json_t *x = json_object_get(o, k);
    return json_is_number(x) ? json_number_value(x) : NAN;
}

/* Issue 16, peer groups: the school's group (method/peers.h) and, on each procedure row, the
 * marks of the other schools of the group («peers») beside the municipality's. Cells hidden
 * from the reader are left out of the peers' total, so it gives no hidden cell back. */
static void peers_of(const view_year *v, const view_ctx *c, int32_t i, json_t *d)
{
    const model *m = &v->m;
    const peers *pg = v->groups; /* built at load: the same for every page */
    int32_t g = pg->group[i];
    json_object_set_new(
        d, "peers",
        json_pack("{s:s, s:I}", "label", pg->label[g], "schools", (json_int_t)pg->size[g]));
    size_t k;
    json_t *row;
    json_array_foreach(json_object_get(d, "procedures"), k, row)
    {
        int32_t p = vi_find_proc_key(
            v, v->year, json_string_value(json_object_get(json_object_get(row, "proc"), "key")));
        if (p < 0)
            continue;
        size_t from, to;
        vi_cells_of(v, p, &from, &to);
        model_cell pc;
        memset(&pc, 0, sizeof pc);
        pc.proc = p;
        pc.school = -1;
        double wp = 0, sp = 0, wt = 0, st = 0;
        int n = 0;
        for (size_t q = from; q < to; q++) {
            const model_cell *x = &m->cells[q];
            if (x->school == i || pg->group[x->school] != g ||
                (c->role < VIEW_ANALYST && vi_cell_hidden(v, c, q)))
                continue;
            n++;
            pc.participants += x->participants;
            for (int e = 2; e <= 5; e++)
                pc.marks[e] += x->marks[e];
            pc.below_min += x->below_min;
            pc.failed += x->failed;
            if (!isnan(x->mean_primary)) {
                wp += x->participants;
                sp += x->mean_primary * x->participants;
            }
            if (!isnan(x->mean_test)) {
                wt += x->participants;
                st += x->mean_test * x->participants;
            }
        }
        pc.mean_primary = wp > 0 ? sp / wp : NAN;
        pc.mean_test = wt > 0 ? st / wt : NAN;
        /* fewer than two other schools: their total would be one school's cell */
        if (n < 2 || pc.participants < VIEW_MIN_CELL) {
            json_object_set_new(row, "peers", json_null());
            continue;
        }
        json_t *pm = vi_marks(&m->procs[p], &pc);
        double dq = get_num(json_object_get(row, "school"), "quality") - get_num(pm, "quality");
        json_object_set_new(row, "peers", pm);
        json_object_set_new(row, "peers_schools", json_integer(n));
        json_object_set_new(row, "diff_quality_peers", isnan(dq) ? json_null() : json_real(dq));
    }
}

int view_school(const view_year *v, const view_ctx *c, const char *code, json_t **out, msk_err *err)
{
    const model *m = &v->m;
    int32_t i = vi_find_school(v, code);
    *out = NULL;
    if (i < 0) {
        msk_error(err, "школа с кодом «%s» не найдена", code);
        return VIEW_NOT_FOUND;
    }
    if (c->role == VIEW_SCHOOL && !vi_may_see(c, v, i)) {
        msk_error(err, "страница школы %s доступна её оператору, аналитику и администратору", code);
        return VIEW_FORBIDDEN;
    }
    int see = vi_may_see(c, v, i);
    int has_test = 0;
    json_t *d = json_object();
    json_object_set_new(d, "year", json_integer(v->year));
    json_object_set_new(d, "school", vi_school_ref(v, i));
    json_object_set_new(d, "badges", see ? vi_badges(v, v->year, i) : json_array());
    json_object_set_new(d, "context", see ? context_of(v, i) : json_array());
    json_t *procs = json_array(), *dyn = json_array();
    for (size_t p = 0; p < m->nprocs; p++) {
        if (m->procs[p].year != v->year)
            continue;
        const model_cell *sc = model_cell_of(m, (int32_t)p, i);
        if (!sc || !sc->participants)
            continue;
        model_cell mc;
        vi_muni_cell(v, (int32_t)p, &mc);
        json_t *smk = vi_marks(&m->procs[p], sc), *mmk = vi_marks(&m->procs[p], &mc);
        vi_add_test(v, c, (int32_t)p, i, smk);
        vi_add_test(v, c, (int32_t)p, -1, mmk);
        has_test |= vi_by_test(v, (int32_t)p);
        double dq = get_num(smk, "quality") - get_num(mmk, "quality");
        double ds = get_num(smk, "success") - get_num(mmk, "success");
        json_t *row = json_pack("{s:o, s:o, s:o, s:o, s:o}", "proc", vi_proc_ref(v, (int32_t)p),
                                "school", smk, "municipality", mmk, "diff_quality",
                                isnan(dq) ? json_null() : json_real(dq), "diff_success",
                                isnan(ds) ? json_null() : json_real(ds));
        /* a hidden cell takes its differences with it: municipality + difference = the cell */
        if (!see && vi_cell_hidden(v, c, (size_t)(sc - m->cells))) {
            vi_hide(row);
            vi_hide(smk);
        }
        vi_bench_school(v, (int32_t)p, row);       /* region and RF beside (view/bench.c) */
        vi_school_extra(v, c, (int32_t)p, i, row); /* participation, зачёт (view/procs.c) */
        json_array_append_new(procs, row);
        json_t *dy = dynamics_of(v, c, i, (int32_t)p);
        if (dy)
            json_array_append_new(dyn, dy);
    }
    json_object_set_new(d, "procedures", procs);
    json_object_set_new(d, "has_test", json_boolean(has_test));
    json_object_set_new(d, "dynamics", dyn);
    /* ГВЭ, trial exams, admission, honours, repeaters, diagnostics (view/gia.c) */
    json_object_set_new(d, "gia", vi_gia(v, c, i));
    json_t *findings = json_array();
    if (see)
        for (size_t k = 0; k < v->nfindings; k++) {
            const view_finding *f = &v->findings[k];
            if (f->school != i || f->year != v->year || strcmp(f->method, "rating") == 0)
                continue;
            /* card_href: each reason links to the evidence card's chart (issue 14 п. 7) */
            json_t *ev = vi_ev(v, f);
            json_array_append_new(findings,
                                  json_pack("{s:s, s:s, s:o, s:O, s:o, s:o, s:o}", "method",
                                            f->method, "verdict", f->verdict, "verdict_label",
                                            vi_verdict_label(f->method, f->verdict), "evidence", ev,
                                            "text", vi_texts(ev), "card_href",
                                            view_card_href(code, f->method, v->year), "reliability",
                                            reliability_of(ev)));
            json_decref(ev);
        }
    json_object_set_new(d, "findings", findings);
    /* issue 16 item 4: raw and corrected results side by side, for those who see the findings */
    json_object_set_new(d, "coefficient", see ? vi_coefficient(v, v->year, i) : json_null());
    set_analysis(d, v, c);
    double pts = 0;
    int rank = rank_of(v, !see, v->year, i, &pts);
    size_t of = 0;
    for (size_t k = 0; k < v->nfindings; k++)
        of += v->findings[k].year == v->year && strcmp(v->findings[k].method, "rating") == 0;
    json_t *rt = rank ? json_pack("{s:i, s:I, s:o}", "rank", rank, "of", (json_int_t)of, "points",
                                  isnan(pts) ? json_null() : json_real(pts))
                      : json_null();
    const view_finding *rf = rank ? vi_finding(v, v->year, i, "rating") : NULL;
    if (rf) {
        json_t *ev = vi_ev(v, rf);
        add_rating_extras(rt, ev, !see);
        json_decref(ev);
    }
    json_object_set_new(d, "rating", rt);
    peers_of(v, c, i, d);
    if (!see)
        view_suppress(d);
    *out = d;
    return 0;
}

int view_list_allowed(const view_ctx *c, const char *list)
{
    /* seed 000 publishes the rating; the other lists name schools with findings, which only
     * the municipality's staff see whole (an operator sees its own findings on its page) */
    return c->role >= VIEW_ANALYST || (list && !strcmp(list, "rating"));
}

int view_list(const view_year *v, const view_ctx *c, const char *list, json_t **out, msk_err *err)
{
    int li = list_index(list);
    char title[256];
    size_t total;
    *out = NULL;
    if (li < 0) {
        msk_error(err, "нет списка «%s»: есть shnor, risk, objectivity, rating", list);
        return VIEW_NOT_FOUND;
    }
    if (!view_list_allowed(c, list)) {
        msk_error(err,
                  "список «%s» доступен аналитику и администратору; оператору школы и гостю "
                  "открыт рейтинг ОО, а признаки своей школы оператор видит на её странице",
                  LIST_NAMES[li][1]);
        return VIEW_FORBIDDEN;
    }
    json_t *items = list_items(v, c, list, v->year, 0, (size_t)-1, &total);
    if (li == 3)
        snprintf(title, sizeof title, "Рейтинг ОО за %d год: %zu %s", v->year, total,
                 fmt_plural((long long)total, "школа", "школы", "школ"));
    else
        snprintf(title, sizeof title, "%s за %d год: %zu %s", LIST_NAMES[li][1], v->year, total,
                 fmt_plural((long long)total, "школа", "школы", "школ"));
    json_t *d =
        json_pack("{s:i, s:s, s:s, s:s, s:I, s:o}", "year", v->year, "list", list, "name",
                  LIST_NAMES[li][1], "title", title, "count", (json_int_t)total, "items", items);
    set_analysis(d, v, c);
    if (li == 2) {
        const view_finding *f = vi_finding(v, v->year, -1, "indicators");
        const json_t *ev = f ? vi_ev_kept(v, f) : NULL;
        json_object_set(d, "index", json_object_get(ev, "objectivity_index"));
        if (!json_object_get(d, "index"))
            json_object_set_new(d, "index", json_null());
        /* comparable with the regional and federal indices (one sign is enough) */
        json_object_set(d, "index_one_sign", json_object_get(ev, "objectivity_index_one_sign"));
        if (!json_object_get(d, "index_one_sign"))
            json_object_set_new(d, "index_one_sign", json_null());
        json_object_set_new(d, "coefficients", coefficients_of(v, v->year));
    }
    *out = d;
    return 0;
}
