/*
 * What the procedure and school pages and the справка add about participation, pupils with
 * ОВЗ and pass/fail procedures (issue 19 п. 4): participation per procedure × school — the
 * first table of a справка (seed 000 roadmap 1.1–1.5; seed 004 п. 5.1; seed 003 п. 1.5–1.6)
 * and a classic objectivity signal shown as an indicator beside the lists (the objectivity
 * listing rule is not changed); results of pupils with ОВЗ against the others (seed 003 п. 1.3;
 * seed 000 п. 1.11–1.12; seed 001 п. 2.11); итоговое сочинение (изложение) and собеседование
 * as «зачёт/незачёт», the admission to ГИА (seed 003 п. 2.1).
 */
#include "base/mem.h"
#include "view/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Participation below this share marks a school × procedure on the pages and in the справка.
 * The acts set no number (seed 004 п. 5.1 asks for «обязательного участия»): msoko's choice,
 * said so wherever it is shown. */
#define LOW_PARTICIPATION 0.9

int vi_pass_fail(const model_proc *pr)
{
    return strcmp(pr->kind, "ESSAY") == 0 || strcmp(pr->kind, "INTERVIEW") == 0;
}

/* First, main-period rows of each procedure of the year per school: written and absent,
 * counted once at load (a page asks for them per school and procedure: the procedure page for
 * each of its schools, the school page for each of its procedures). part[p] holds wrote, absent
 * of school s at 2 s, 2 s + 1 and of every school at 2 nschools, 2 nschools + 1; NULL for a
 * procedure without rows (an earlier year's: its rows are not loaded). */
void vi_procs_prepare(view_year *v)
{
    const model *m = &v->m;
    size_t ns = m->nschools;
    v->part = msk_calloc(m->nprocs ? m->nprocs : 1, sizeof *v->part);
    for (size_t p = 0; p < m->nprocs; p++) {
        if (v->proc_start[p + 1] == v->proc_start[p])
            continue;
        int *n = v->part[p] = msk_calloc(2 * (ns + 1), sizeof *n);
        for (size_t k = v->proc_start[p]; k < v->proc_start[p + 1]; k++) {
            size_t r = v->proc_rows[k];
            if (m->res.flags[r] & (MODEL_RETAKE | MODEL_PAST_GRADUATE))
                continue;
            int a = (m->res.flags[r] & MODEL_ABSENT) != 0;
            int32_t sc = m->res.school[r];
            if (sc >= 0 && (size_t)sc < ns)
                n[2 * (size_t)sc + (size_t)a]++;
            n[2 * ns + (size_t)a]++;
        }
    }
}

void vi_procs_free(view_year *v)
{
    for (size_t p = 0; v->part && p < v->m.nprocs; p++)
        free(v->part[p]);
    free(v->part);
}

static void count_participation(const view_year *v, int32_t p, int32_t school, int *wrote,
                                int *absent)
{
    size_t ns = v->m.nschools;
    const int *n = p >= 0 && (size_t)p < v->m.nprocs ? v->part[p] : NULL;
    size_t i = school >= 0 ? (size_t)school : ns;
    *wrote = *absent = 0;
    if (!n || i > ns)
        return;
    *wrote = n[2 * i];
    *absent = n[2 * i + 1];
}

json_t *vi_participation(const view_year *v, const view_ctx *c, int32_t p, int32_t school)
{
    int wrote, absent;
    count_participation(v, p, school, &wrote, &absent);
    int all = wrote + absent;
    json_t *o = json_object();
    json_object_set_new(o, "participants", json_integer(wrote));
    json_object_set_new(o, "absent", json_integer(absent));
    json_object_set_new(o, "enrolled", json_integer(all));
    double share = all ? (double)wrote / all : NAN;
    json_object_set_new(o, "share", all ? json_real(share) : json_null());
    json_object_set_new(o, "low", json_boolean(all && share < LOW_PARTICIPATION));
    /* the public: 1–4 absent pupils are a small group, and the share would give them back */
    if (c->role == VIEW_PUBLIC && absent > 0 && absent < VIEW_MIN_CELL) {
        json_object_set_new(o, "absent", json_null());
        json_object_set_new(o, "share", json_null());
        json_object_set_new(o, "low", json_null());
        json_object_set_new(o, "enrolled", json_null());
    }
    return o;
}

/* The marks of the counted rows of p at school (-1: all), out[1] of those with ОВЗ and out[0]
 * of the others, in one pass over the rows (each group's sums in the rows' order). */
static void ovz_cells(const view_year *v, int32_t p, int32_t school, model_cell out[2])
{
    const model *m = &v->m;
    const model_proc *pr = &m->procs[p];
    double sp[2] = {0, 0}, st[2] = {0, 0};
    int np[2] = {0, 0}, nt[2] = {0, 0};
    memset(out, 0, 2 * sizeof *out);
    for (int g = 0; g < 2; g++)
        out[g].proc = p, out[g].school = school;
    for (size_t k = v->proc_start[p]; k < v->proc_start[p + 1]; k++) {
        size_t r = v->proc_rows[k];
        if (!vi_counted(m, r) || (school >= 0 && m->res.school[r] != school))
            continue;
        int g = (m->res.flags[r] & MODEL_OVZ) != 0;
        model_cell *o = &out[g];
        o->participants++;
        int mk = m->res.mark[r];
        if (mk >= 2 && mk <= 5)
            o->marks[mk]++;
        int below =
            pr->min_test >= 0 && m->res.test_score[r] >= 0 && m->res.test_score[r] < pr->min_test;
        o->below_min += pr->min_test >= 0 ? below : mk == 2;
        o->failed += pr->min_test >= 0 ? below : mk == 2;
        if (!isnan(m->res.primary[r]))
            sp[g] += m->res.primary[r], np[g]++;
        if (m->res.test_score[r] >= 0)
            st[g] += m->res.test_score[r], nt[g]++;
    }
    for (int g = 0; g < 2; g++) {
        out[g].mean_primary = np[g] ? sp[g] / np[g] : NAN;
        out[g].mean_test = nt[g] ? st[g] / nt[g] : NAN;
    }
}

json_t *vi_ovz(const view_year *v, int32_t p, int32_t school)
{
    const model_proc *pr = &v->m.procs[p];
    model_cell g[2];
    ovz_cells(v, p, school, g);
    model_cell with = g[1], without = g[0];
    if (!with.participants)
        return json_null();
    json_t *w = vi_marks(pr, &with), *wo = vi_marks(pr, &without);
    /* health data: a group under 5 is hidden from every role, and so is the other group,
     * which the published total minus it would give back */
    if (with.participants < VIEW_MIN_CELL || without.participants < VIEW_MIN_CELL) {
        vi_hide(w);
        vi_hide(wo);
        view_suppress(w);
        view_suppress(wo);
        json_object_set_new(w, "participants", json_null());
        json_object_set_new(wo, "participants", json_null());
    }
    return json_pack("{s:o, s:o}", "ovz", w, "others", wo);
}

/* Pass/fail procedures: «зачёт» count and share instead of marks. */
static json_t *pass_of(const model_cell *cell)
{
    int n = cell ? cell->participants : 0;
    int pass = cell ? cell->marks[5] : 0, fail = cell ? cell->marks[2] : 0;
    return json_pack("{s:i, s:i, s:i, s:o}", "participants", n, "pass", pass, "fail", fail,
                     "share_pass", n ? json_real((double)pass / n) : json_null());
}

void vi_proc_extra(const view_year *v, const view_ctx *c, int32_t p, int32_t only, json_t *page)
{
    const model *m = &v->m;
    const model_proc *pr = &m->procs[p];
    int pf = vi_pass_fail(pr);
    json_t *part = json_object(), *rows = json_array();
    json_object_set_new(part, "municipality", vi_participation(v, c, p, -1));
    size_t from, to;
    vi_cells_of(v, p, &from, &to);
    size_t nlow = 0;
    for (size_t k = from; k < to; k++) {
        int32_t sc = m->cells[k].school;
        json_t *o = vi_participation(v, c, p, sc);
        if (json_integer_value(json_object_get(o, "enrolled")) == 0 &&
            !json_is_null(json_object_get(o, "enrolled"))) {
            json_decref(o);
            continue;
        }
        nlow += json_is_true(json_object_get(o, "low"));
        json_t *row =
            json_pack("{s:o, s:o}", "school", vi_school_ref_kept(v, sc), "participation", o);
        if (pf) {
            json_t *ps = pass_of(&m->cells[k]);
            if (vi_cell_hidden(v, c, k)) /* the marks' rule: small and complementary cells */
                vi_hide(ps), view_suppress(ps);
            json_object_set_new(row, "pass", ps);
        }
        if (!vi_may_see(c, v, sc))
            view_suppress(row);
        json_array_append_new(rows, row);
    }
    json_object_set_new(part, "schools", rows);
    json_object_set_new(part, "low_schools", json_integer((json_int_t)nlow));
    json_object_set_new(part, "threshold", json_real(LOW_PARTICIPATION));
    if (only >= 0)
        json_object_set_new(part, "school", vi_participation(v, c, p, only));
    json_object_set_new(page, "participation", part);
    json_object_set_new(page, "ovz",
                        json_pack("{s:o, s:o}", "municipality", vi_ovz(v, p, -1), "school",
                                  only >= 0 ? vi_ovz(v, p, only) : json_null()));
    json_object_set_new(page, "pass_fail", json_boolean(pf));
    if (pf) {
        model_cell mc;
        vi_muni_cell(v, p, &mc);
        json_object_set_new(page, "pass", pass_of(&mc));
    }
}

void vi_school_extra(const view_year *v, const view_ctx *c, int32_t p, int32_t school,
                     json_t *entry)
{
    const model_cell *cell = model_cell_of(&v->m, p, school);
    json_object_set_new(entry, "participation", vi_participation(v, c, p, school));
    json_object_set_new(entry, "pass_fail", json_boolean(vi_pass_fail(&v->m.procs[p])));
    if (vi_pass_fail(&v->m.procs[p])) {
        json_t *ps = pass_of(cell);
        if (cell && vi_cell_hidden(v, c, (size_t)(cell - v->m.cells)))
            vi_hide(ps), view_suppress(ps);
        json_object_set_new(entry, "pass", ps);
    }
}

/* The year's participation of every procedure: the first table of the справка. */
int view_participation(const view_year *v, const view_ctx *c, json_t **out, msk_err *err)
{
    (void)err;
    const model *m = &v->m;
    json_t *procs = json_array(), *low = json_array();
    for (size_t p = 0; p < m->nprocs; p++) {
        if (m->procs[p].year != v->year || v->proc_start[p] == v->proc_start[p + 1])
            continue;
        json_t *e = json_pack("{s:o, s:o}", "proc", vi_proc_ref(v, (int32_t)p), "municipality",
                              vi_participation(v, c, (int32_t)p, -1));
        vi_proc_extra(v, c, (int32_t)p, -1, e);
        json_t *part = json_object_get(e, "participation");
        size_t i;
        json_t *row;
        json_array_foreach(json_object_get(part, "schools"), i, row)
        {
            if (json_is_true(json_object_get(json_object_get(row, "participation"), "low")))
                json_array_append_new(
                    low, json_pack("{s:O, s:O, s:O}", "proc", json_object_get(e, "proc"), "school",
                                   json_object_get(row, "school"), "participation",
                                   json_object_get(row, "participation")));
        }
        json_array_append_new(procs, e);
    }
    *out = json_pack("{s:i, s:o, s:o, s:f}", "year", v->year, "procedures", procs, "low", low,
                     "threshold", LOW_PARTICIPATION);
    return 0;
}
