/*
 * The ГИА side of the справка and of the school page (issue 19 п. 5): ЕГЭ against ГВЭ per
 * school and subject (seed 003 п. 1.10), trial exams against the real exam of the same year
 * (seed 000 §2.2; seed 003 п. 1.7, 5.2), the admission to ГИА from the итоговое сочинение and
 * собеседование (seed 003 п. 2.1), 9th graders with honours against their ОГЭ marks (seed 003
 * п. 1.8), repeaters and retention in the senior school (seed 003 п. 1.1; seed 001 п. 2.11), and
 * the levels of the diagnostics (НИКО, метапредметные, готовность к школе, читательская
 * грамотность: seed 000 §1.3, §2.2; seed 001 п. 2.7, 2.11; seed 003 п. 5.5).
 */
#include "base/mem.h"
#include "view/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int kind_is(const model_proc *pr, const char *k)
{
    return strcmp(pr->kind, k) == 0;
}

/* Procedure of the year with kind, subject and grade, or -1. */
static int32_t find_of_year(const view_year *v, const char *kind, const char *subject, int grade)
{
    return model_find_proc(&v->m, v->year, kind, subject, grade);
}

/* The small numbers of one cell as the comparisons use them: participants, the mean (test
 * score of ЕГЭ, the mean mark otherwise) and the share of «2» (ЕГЭ: below the minimum). */
static json_t *brief(const view_year *v, const view_ctx *c, int32_t p, const model_cell *cell)
{
    if (!cell || !cell->participants)
        return json_null();
    int n = cell->participants, nm = 0;
    double sm = 0;
    for (int k = 2; k <= 5; k++)
        nm += cell->marks[k], sm += k * cell->marks[k];
    int test = vi_by_test(v, p);
    double mean = test ? cell->mean_test : nm ? sm / nm : NAN;
    json_t *o = json_pack("{s:i, s:o, s:s, s:f, s:o}", "participants", n, "mean",
                          isnan(mean) ? json_null() : json_real(mean), "mean_of",
                          test ? "test" : "mark", "share2", (double)cell->failed / n, "quality",
                          nm && !test ? json_real((double)(cell->marks[4] + cell->marks[5]) / n)
                                      : json_null());
    if (c->role == VIEW_PUBLIC && n < VIEW_MIN_CELL) {
        vi_hide(o);
        view_suppress(o);
    }
    return o;
}

static double jreal(const json_t *o, const char *k)
{
    const json_t *x = json_object_get(o, k);
    return json_is_number(x) ? json_number_value(x) : NAN;
}

static json_t *diff_or_null(double a, double b)
{
    return isnan(a) || isnan(b) ? json_null() : json_real(a - b);
}

static json_t *school_or_muni(const view_year *v, int32_t s)
{
    return s >= 0 ? vi_school_ref(v, s) : json_null();
}

/* The cell of p at school s, or the municipal total when s < 0 (into *tmp). */
static const model_cell *cell_at(const view_year *v, int32_t p, int32_t s, model_cell *tmp)
{
    if (p < 0)
        return NULL;
    if (s >= 0)
        return model_cell_of(&v->m, p, s);
    vi_muni_cell(v, p, tmp);
    return tmp;
}

/* ---- ЕГЭ vs ГВЭ (seed 003 п. 1.10), ОГЭ vs ГВЭ-9 alike -------------------------------- */

static void ege_gve(const view_year *v, const view_ctx *c, int32_t only, json_t *out)
{
    const model *m = &v->m;
    for (size_t g = 0; g < m->nprocs; g++) {
        const model_proc *pg = &m->procs[g];
        if (pg->year != v->year || !(kind_is(pg, "GVE11") || kind_is(pg, "GVE9")))
            continue;
        const char *exam = kind_is(pg, "GVE11") ? "EGE" : "OGE";
        int32_t e = find_of_year(v, exam, pg->subject, pg->grade);
        if (e < 0 && strcmp(pg->subject, "math") == 0 && pg->grade == 11)
            e = find_of_year(v, exam, "math_base", 11); /* ГВЭ-11 math against base ЕГЭ */
        for (int32_t s = only >= 0 ? only : -1; s < (only >= 0 ? only + 1 : (int32_t)m->nschools);
             s++) {
            model_cell te, tg;
            const model_cell *ce = cell_at(v, e, s, &te), *cg = cell_at(v, (int32_t)g, s, &tg);
            if (s >= 0 && !(cg && cg->participants))
                continue; /* the schools whose pupils wrote the ГВЭ */
            json_t *row = json_pack(
                "{s:o, s:i, s:s, s:s, s:s, s:o, s:o}", "school", school_or_muni(v, s), "grade",
                pg->grade, "subject", pg->subject, "subject_name",
                vi_name(v, "subject", pg->subject), "exam_kind", exam, "exam",
                e >= 0 ? brief(v, c, e, ce) : json_null(), "gve", brief(v, c, (int32_t)g, cg));
            if (s >= 0 && !vi_may_see(c, v, s))
                view_suppress(row);
            json_array_append_new(out, row);
        }
    }
}

/* ---- trial vs real (seed 003 п. 1.7, 5.2) ---------------------------------------------- */

static void trials(const view_year *v, const view_ctx *c, int32_t only, int32_t proc, json_t *out)
{
    const model *m = &v->m;
    for (size_t t = 0; t < m->nprocs; t++) {
        const model_proc *pt = &m->procs[t];
        if ((proc >= 0 && (int32_t)t != proc) || pt->year != v->year ||
            !(kind_is(pt, "OGE_T") || kind_is(pt, "EGE_T")))
            continue;
        const char *exam = pt->kind[0] == 'O' ? "OGE" : "EGE";
        int32_t r = find_of_year(v, exam, pt->subject, pt->grade);
        for (int32_t s = only >= 0 ? only : -1; s < (only >= 0 ? only + 1 : (int32_t)m->nschools);
             s++) {
            model_cell tt, tr;
            const model_cell *ct = cell_at(v, (int32_t)t, s, &tt), *cr = cell_at(v, r, s, &tr);
            if (s >= 0 && !(ct && ct->participants))
                continue;
            json_t *a = brief(v, c, (int32_t)t, ct), *b = r >= 0 ? brief(v, c, r, cr) : json_null();
            json_t *row =
                json_pack("{s:o, s:i, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "school",
                          school_or_muni(v, s), "grade", pt->grade, "subject", pt->subject,
                          "subject_name", vi_name(v, "subject", pt->subject), "exam_kind", exam,
                          "exam_name", vi_name(v, "kind", exam), "trial", a, "real", b, "diff_mean",
                          diff_or_null(jreal(b, "mean"), jreal(a, "mean")), "diff_share2",
                          diff_or_null(jreal(b, "share2"), jreal(a, "share2")));
            if (s >= 0 && !vi_may_see(c, v, s))
                view_suppress(row);
            json_array_append_new(out, row);
        }
    }
}

/* ---- admission to ГИА (seed 003 п. 2.1) -------------------------------------------------- */

/* Pupils of the pass/fail procedure p per school (n[school], ok[school]; the municipality at
 * index nschools) and those with «зачёт» in any period (a retake that passes admits too);
 * past-year graduates are not this year's pupils. One pass over the procedure's rows. */
static void admitted(const view_year *v, int32_t p, int *n, int *ok)
{
    const model *m = &v->m;
    unsigned char *seen = msk_calloc(m->npupils + 1, 1); /* 1 seen, 2 passed */
    size_t ns = m->nschools;
    for (size_t k = v->proc_start[p]; k < v->proc_start[p + 1]; k++) {
        size_t r = v->proc_rows[k];
        int32_t pu = m->res.pupil[r], s = m->res.school[r];
        if ((m->res.flags[r] & MODEL_PAST_GRADUATE) || s < 0 || (size_t)s >= ns || pu < 0 ||
            (size_t)pu >= m->npupils)
            continue;
        if (!seen[pu])
            seen[pu] = 1, n[s]++, n[ns]++;
        if (m->res.mark[r] == 5 && seen[pu] == 1)
            seen[pu] = 2, ok[s]++, ok[ns]++;
    }
    free(seen);
}

static void admission(const view_year *v, const view_ctx *c, int32_t only, json_t *out)
{
    const model *m = &v->m;
    size_t ns = m->nschools;
    for (size_t p = 0; p < m->nprocs; p++) {
        const model_proc *pr = &m->procs[p];
        if (pr->year != v->year || !vi_pass_fail(pr))
            continue;
        const int *n = v->admit[p], *ok = n + ns + 1; /* counted at load (vi_gia_prepare) */
        for (int32_t s = only >= 0 ? only : -1; s < (only >= 0 ? only + 1 : (int32_t)ns); s++) {
            size_t i = s >= 0 ? (size_t)s : ns;
            if (!n[i] && s >= 0)
                continue;
            json_t *row = json_pack("{s:o, s:o, s:i, s:i, s:i, s:o}", "school",
                                    school_or_muni(v, s), "proc", vi_proc_ref(v, (int32_t)p),
                                    "grade", pr->grade, "pupils", n[i], "admitted", ok[i], "share",
                                    n[i] ? json_real((double)ok[i] / n[i]) : json_null());
            if (c->role == VIEW_PUBLIC && n[i] - ok[i] > 0 && n[i] - ok[i] < VIEW_MIN_CELL) {
                vi_hide(row); /* 1–4 pupils not admitted are a small group */
                json_object_set_new(row, "admitted", json_null());
                json_object_set_new(row, "share", json_null());
            }
            if (s >= 0 && !vi_may_see(c, v, s))
                view_suppress(row);
            json_array_append_new(out, row);
        }
    }
}

/* ---- honours vs ОГЭ (seed 003 п. 1.8) ---------------------------------------------------- */

/* worst[pupil]: the lowest ОГЭ mark of the year (0: no ОГЭ), counted rows only; per school
 * its 9th-grade medalists, those with an ОГЭ, those with a mark below 5 and those with a 3 or
 * less, into v->honours[4 * school + 0..3]. */
static void count_honours(view_year *v)
{
    const model *m = &v->m;
    signed char *worst = msk_calloc(m->npupils + 1, 1);
    int *h = v->honours = msk_calloc(4 * (m->nschools + 1), sizeof *v->honours);
    for (size_t r = 0; r < m->res.n; r++) {
        const model_proc *pr = &m->procs[m->res.proc[r]];
        int32_t pu = m->res.pupil[r];
        int mk = m->res.mark[r];
        if (pr->year != v->year || !kind_is(pr, "OGE") || !vi_counted(m, r) || pu < 0 ||
            (size_t)pu >= m->npupils || mk < 2 || mk > 5)
            continue;
        if (!worst[pu] || mk < worst[pu])
            worst[pu] = (signed char)mk;
    }
    for (size_t g = 0; g < m->ngrads; g++) {
        const model_graduate *gr = &m->grads[g];
        if (gr->year != v->year || gr->grade != 9 || gr->medal != 1 || gr->school < 0)
            continue;
        int w = gr->pupil >= 0 && (size_t)gr->pupil < m->npupils ? worst[gr->pupil] : 0;
        int *x = &h[4 * (size_t)gr->school];
        x[0]++;
        x[1] += w > 0;
        x[2] += w > 0 && w < 5;
        x[3] += w > 0 && w <= 3;
    }
    free(worst);
}

static void honours(const view_year *v, const view_ctx *c, int32_t only, json_t *out)
{
    const model *m = &v->m;
    if (c->role == VIEW_PUBLIC)
        return; /* a handful of pupils per school: not for the public */
    int th = 0, tw = 0, tb = 0, t3 = 0;
    for (size_t s = 0; s < m->nschools; s++) {
        const int *x = &v->honours[4 * s]; /* honours, with ОГЭ, below 5, three */
        th += x[0], tw += x[1], tb += x[2], t3 += x[3];
        if (!x[0] || (only >= 0 && (int32_t)s != only))
            continue;
        if (!vi_may_see(c, v, (int32_t)s)) /* a few pupils: another school's are not shown */
            continue;
        json_array_append_new(out,
                              json_pack("{s:o, s:i, s:i, s:i, s:i, s:b}", "school",
                                        vi_school_ref(v, (int32_t)s), "honours", x[0], "with_oge",
                                        x[1], "below5", x[2], "three", x[3], "signal", x[3] > 0));
    }
    /* the total minus its own gives an operator the other schools' few pupils back */
    if (only < 0 && th && c->role != VIEW_SCHOOL)
        json_array_append_new(out, json_pack("{s:n, s:i, s:i, s:i, s:i, s:b}", "school", "honours",
                                             th, "with_oge", tw, "below5", tb, "three", t3,
                                             "signal", t3 > 0));
}

/* What the ГИА tables count over the year's rows whoever asks, counted once at load: the
 * admission of each pass/fail procedure (v->admit[p]: pupils per school and in all, then the
 * admitted alike) and the medalists against their ОГЭ (v->honours). */
void vi_gia_prepare(view_year *v)
{
    const model *m = &v->m;
    size_t ns = m->nschools;
    v->admit = msk_calloc(m->nprocs ? m->nprocs : 1, sizeof *v->admit);
    for (size_t p = 0; p < m->nprocs; p++) {
        if (m->procs[p].year != v->year || !vi_pass_fail(&m->procs[p]))
            continue;
        v->admit[p] = msk_calloc(2 * (ns + 1), sizeof **v->admit);
        admitted(v, (int32_t)p, v->admit[p], v->admit[p] + ns + 1);
    }
    count_honours(v);
}

void vi_gia_free(view_year *v)
{
    for (size_t p = 0; v->admit && p < v->m.nprocs; p++)
        free(v->admit[p]);
    free(v->admit);
    free(v->honours);
}

/* ---- repeaters and retention (seed 003 п. 1.1; seed 001 п. 2.11) ------------------------- */

static json_t *num_or_null(double x)
{
    return isnan(x) ? json_null() : json_real(x);
}

static void contingent(const view_year *v, const view_ctx *c, int32_t only, json_t *out)
{
    const model *m = &v->m;
    double tr = 0, tt = 0, t10 = 0, t11 = 0;
    int any = 0;
    for (size_t s = 0; s < m->nschools; s++) {
        double rep = model_context(m, v->year, (int32_t)s, "pupils_repeaters");
        double tot = model_context(m, v->year, (int32_t)s, "pupils_total");
        double g10 = model_context(m, v->year - 1, (int32_t)s, "pupils_grade10");
        double g11 = model_context(m, v->year, (int32_t)s, "pupils_grade11");
        if (isnan(rep) && (isnan(g10) || isnan(g11)))
            continue;
        if (!isnan(rep) && !isnan(tot) && tot > 0)
            tr += rep, tt += tot;
        if (!isnan(g10) && !isnan(g11) && g10 > 0)
            t10 += g10, t11 += g11;
        any = 1;
        if (only >= 0 && (int32_t)s != only)
            continue;
        json_t *row = json_pack(
            "{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "school", vi_school_ref(v, (int32_t)s),
            "repeaters", num_or_null(rep), "pupils_total", num_or_null(tot), "repeaters_share",
            !isnan(rep) && !isnan(tot) && tot > 0 ? json_real(rep / tot) : json_null(),
            "grade10_prev", num_or_null(g10), "grade11", num_or_null(g11), "retention",
            !isnan(g10) && !isnan(g11) && g10 > 0 ? json_real(g11 / g10) : json_null());
        if (!vi_may_see(c, v, (int32_t)s))
            view_suppress(row);
        json_array_append_new(out, row);
    }
    if (only < 0 && any)
        json_array_append_new(out, json_pack("{s:n, s:f, s:f, s:o, s:f, s:f, s:o}", "school",
                                             "repeaters", tr, "pupils_total", tt, "repeaters_share",
                                             tt > 0 ? json_real(tr / tt) : json_null(),
                                             "grade10_prev", t10, "grade11", t11, "retention",
                                             t10 > 0 ? json_real(t11 / t10) : json_null()));
}

/* ---- diagnostics with levels -------------------------------------------------------------- */

int vi_diagnostic(const model_proc *pr)
{
    static const char *const K[] = {"NIKO", "DIAG", "META", "READY", "RKR", "MKR"};
    for (size_t i = 0; i < sizeof K / sizeof K[0]; i++)
        if (strcmp(pr->kind, K[i]) == 0)
            return 1;
    return 0;
}

static void diagnostics(const view_year *v, const view_ctx *c, int32_t only, json_t *out)
{
    const model *m = &v->m;
    for (size_t p = 0; p < m->nprocs; p++) {
        const model_proc *pr = &m->procs[p];
        /* aggregates count too (РКР and МКР often come as school totals): no cell, no row */
        if (pr->year != v->year || !vi_diagnostic(pr))
            continue;
        model_cell tmp;
        const model_cell *cell = cell_at(v, (int32_t)p, only, &tmp);
        if (!cell || !cell->participants)
            continue;
        json_t *lv = vi_marks(pr, cell);
        if (only >= 0 && vi_cell_hidden(v, c, (size_t)(cell - m->cells)))
            vi_hide(lv), view_suppress(lv);
        json_array_append_new(
            out, json_pack("{s:o, s:o, s:o}", "proc", vi_proc_ref(v, (int32_t)p), "participation",
                           vi_participation(v, c, (int32_t)p, only), "levels", lv));
    }
}

json_t *vi_gia(const view_year *v, const view_ctx *c, int32_t only)
{
    json_t *eg = json_array(), *tr = json_array(), *ad = json_array(), *ho = json_array(),
           *co = json_array(), *di = json_array();
    ege_gve(v, c, only, eg);
    trials(v, c, only, -1, tr);
    admission(v, c, only, ad);
    honours(v, c, only, ho);
    contingent(v, c, only, co);
    diagnostics(v, c, only, di);
    return json_pack("{s:i, s:o, s:o, s:o, s:o, s:o, s:o}", "year", v->year, "ege_gve", eg, "trial",
                     tr, "admission", ad, "honours", ho, "contingent", co, "diagnostics", di);
}

void vi_gia_proc(const view_year *v, const view_ctx *c, int32_t p, int32_t only, json_t *page)
{
    const model_proc *pr = &v->m.procs[p];
    if (!kind_is(pr, "OGE_T") && !kind_is(pr, "EGE_T"))
        return;
    json_t *tr = json_array();
    trials(v, c, only, p, tr);
    json_object_set_new(page, "trial", tr);
}

int view_gia(const view_year *v, const view_ctx *c, const char *school, json_t **out, msk_err *err)
{
    int32_t i = -1;
    if (school && (i = vi_find_school(v, school)) < 0)
        return msk_error(err, "школа «%s» не найдена", school);
    *out = vi_gia(v, c, i);
    return 0;
}
