/*
 * A procedure's page (view.h): marks per school, the primary-score histogram with the mark
 * cut-offs, task success against the municipality (the subject deficits) and the ФИС ОКО
 * comparison of ВПР marks with journal marks (METHODS.md §2.2).
 */
#include "base/mem.h"
#include "view/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *num_or_null(double x)
{
    return isnan(x) || isinf(x) ? json_null() : json_real(x);
}

typedef struct journal_acc {
    int n, lowered, confirmed, raised, discrepant2;
} journal_acc;

static json_t *journal_json(const journal_acc *a)
{
    return json_pack("{s:i, s:i, s:i, s:i, s:i, s:o, s:o, s:o}", "n", a->n, "lowered", a->lowered,
                     "confirmed", a->confirmed, "raised", a->raised, "discrepant2", a->discrepant2,
                     "share_lowered", a->n ? json_real((double)a->lowered / a->n) : json_null(),
                     "share_confirmed", a->n ? json_real((double)a->confirmed / a->n) : json_null(),
                     "share_raised", a->n ? json_real((double)a->raised / a->n) : json_null());
}

static void journal_add(journal_acc *a, int mark, int journal)
{
    if (mark <= 0 || journal <= 0)
        return;
    a->n++;
    /* ФИС ОКО: «понизили» — the ВПР mark is below the journal mark */
    if (mark < journal)
        a->lowered++;
    else if (mark == journal)
        a->confirmed++;
    else
        a->raised++;
    if (abs(mark - journal) >= 2)
        a->discrepant2++;
}

/* The groups of procedure p hidden from c, by cell (vi_cells_of order): the marks (hid), the
 * journal comparison (jhid) and the task shares (thid) of each school. A hidden cell hides its
 * journal and tasks; each of those groups is then protected on its own counts, as the
 * municipal journal and task shares are its totals (vi_protect). */
static void hidden_groups(const view_year *v, const view_ctx *c, int32_t p, const journal_acc *j,
                          const int *t, unsigned char *hid, unsigned char *jhid,
                          unsigned char *thid)
{
    size_t from, to;
    vi_cells_of(v, p, &from, &to);
    vi_hidden_cells(v, c, p, hid);
    if (c->role >= VIEW_ANALYST || to == from)
        return;
    int *size = msk_reallocarray(NULL, to - from, sizeof *size);
    for (int g = 0; g < 2; g++) {
        unsigned char *h = g ? thid : jhid;
        for (size_t k = from; k < to; k++) {
            int32_t sc = v->m.cells[k].school;
            int known = vi_may_see(c, v, sc);
            size[k - from] = known ? -1 : g ? t[sc] : j[sc].n;
            h[k - from] = !known && hid[k - from];
        }
        vi_protect(size, h, to - from);
    }
    free(size);
}

/* The municipal histogram bars hidden from the public: under 5 pupils, and within the bars of
 * one mark (whose count is published) protected as a group (vi_protect). NULL when none. */
static unsigned char *hidden_bars(const model_proc *pr, const int *hm, size_t nh)
{
    if (!nh)
        return NULL;
    unsigned char *bar = msk_calloc(nh, 1);
    int *size = msk_reallocarray(NULL, nh, sizeof *size);
    unsigned char *h = msk_calloc(nh, 1);
    double cuts[3] = {pr->cut3, pr->cut4, pr->cut5};
    for (int band = 0; band < 4; band++) {
        size_t n = 0;
        for (size_t s = 0; s < nh; s++) {
            int b = 0;
            for (int k = 0; k < 3; k++)
                b += !isnan(cuts[k]) && (double)s >= cuts[k];
            if (b == band)
                size[n] = hm[s], h[n++] = 0;
        }
        vi_protect(size, h, n);
        for (size_t s = 0, i = 0; s < nh; s++) {
            int b = 0;
            for (int k = 0; k < 3; k++)
                b += !isnan(cuts[k]) && (double)s >= cuts[k];
            if (b == band)
                bar[s] = h[i++];
        }
    }
    free(size);
    free(h);
    return bar;
}
/* The tasks where the school lags the municipality most (issue 14: «the tasks where the school
 * lags most»): up to three with the school's share at least 5 p.p. under the municipal one,
 * most behind first; each row of tasks gets "lag": true. None when fewer than 5 of the
 * school's works carry task scores: no conclusion is drawn from 1-4 pupils. */
static json_t *tasks_lag(json_t *tasks, int works)
{
    json_t *lag = json_array();
    if (works < VIEW_MIN_CELL)
        return lag;
    for (int k = 0; k < 3; k++) {
        json_t *worst = NULL;
        double wd = -0.05;
        size_t i;
        json_t *t;
        json_array_foreach(tasks, i, t)
        {
            json_t *dj = json_object_get(t, "diff");
            if (json_is_number(dj) && !json_is_true(json_object_get(t, "lag")) &&
                json_number_value(dj) <= wd) {
                worst = t;
                wd = json_number_value(dj);
            }
        }
        if (!worst)
            break;
        json_object_set_new(worst, "lag", json_true());
        json_array_append_new(lag,
                              json_pack("{s:O,s:O,s:s}", "label", json_object_get(worst, "label"),
                                        "diff", json_object_get(worst, "diff"), "sep", ""));
    }
    for (size_t i = 0; i + 1 < json_array_size(lag); i++) /* «7 (−22,4 п. п.), 12 (…)» */
        json_object_set_new(json_array_get(lag, i), "sep", json_string(", "));
    return lag;
}

/* Long: the procedure's page in passes that share the counters they fill — marks, then the
 * per-pupil passes (histogram, tasks, journal) for the municipality, each school and the one
 * school, then what this viewer may not see (hidden groups, the public's small bars). */
int view_procedure(const view_year *v, const view_ctx *c, const char *key, const char *school,
                   json_t **out, msk_err *err)
{
    const model *m = &v->m;
    int32_t p = vi_find_proc_key(v, v->year, key);
    int32_t only = -1;
    *out = NULL;
    if (p < 0) {
        msk_error(err, "процедуры «%s» в %d году нет", key, v->year);
        return VIEW_NOT_FOUND;
    }
    if (school && *school) {
        only = vi_find_school(v, school);
        if (only < 0) {
            msk_error(err, "школа с кодом «%s» не найдена", school);
            return VIEW_NOT_FOUND;
        }
        if (c->role == VIEW_SCHOOL && !vi_may_see(c, v, only)) {
            msk_error(err, "данные школы %s доступны её оператору, аналитику и администратору",
                      school);
            return VIEW_FORBIDDEN;
        }
    }
    const model_proc *pr = &m->procs[p];
    json_t *d = json_object();
    json_object_set_new(d, "year", json_integer(v->year));
    json_object_set_new(d, "proc", vi_proc_ref(v, p));
    json_object_set_new(d, "scale",
                        json_pack("{s:o, s:o, s:o, s:o, s:o}", "max", num_or_null(pr->max_primary),
                                  "cut3", num_or_null(pr->cut3), "cut4", num_or_null(pr->cut4),
                                  "cut5", num_or_null(pr->cut5), "min_test",
                                  pr->min_test >= 0 ? json_integer(pr->min_test) : json_null()));
    model_cell mc;
    vi_muni_cell(v, p, &mc);
    json_t *mmk = vi_marks(pr, &mc);
    vi_add_test(v, c, p, -1, mmk);
    json_object_set_new(d, "municipality", mmk);
    /* ЕГЭ as ФИС ОКО shows it: by test score, the histogram of test scores with the minimum */
    json_object_set_new(d, "by_test", json_boolean(vi_by_test(v, p)));
    json_object_set_new(d, "has_test", json_boolean(vi_by_test(v, p)));
    json_object_set_new(d, "test_only", json_boolean(vi_by_test(v, p)));
    vi_bench_proc(v, p, d); /* region and RF beside, the scale's year and source */

    /* per-pupil passes: histogram, tasks, journal — municipal, per school and the one school */
    size_t nschools = m->nschools ? m->nschools : 1;
    size_t nh = v->hist_n[p];
    const int *hm = v->hist_muni[p];
    const int *hs = only >= 0 && nh ? v->hist_school[p] + (size_t)only * nh : NULL;
    int ntasks = pr->ntasks > 64 ? 64 : pr->ntasks;
    double tm_sum[64] = {0}, ts_sum[64] = {0};
    int tm_n = 0, ts_n = 0;
    journal_acc jm = {0}, js = {0};
    journal_acc *jper = msk_calloc(nschools, sizeof *jper);
    int *tper = msk_calloc(nschools, sizeof *tper); /* works with task scores per school */
    for (size_t k = v->proc_start[p]; k < v->proc_start[p + 1]; k++) {
        size_t r = v->proc_rows[k];
        if (!vi_counted(m, r))
            continue;
        int32_t sc = m->res.school[r];
        int mine = sc == only;
        int nt = m->res.ntask[r] < ntasks ? m->res.ntask[r] : ntasks;
        if (nt > 0) {
            const uint8_t *t = m->res.tasks + m->res.task_off[r];
            tm_n++;
            ts_n += mine;
            tper[sc]++;
            for (int j = 0; j < nt; j++) {
                int mx = pr->task_max[j] > 0 ? pr->task_max[j] : 1;
                double share = t[j] == MODEL_TASK_X ? 0.0 : (double)t[j] / mx;
                tm_sum[j] += share;
                if (mine)
                    ts_sum[j] += share;
            }
        }
        journal_add(&jm, m->res.mark[r], m->res.journal_mark[r]);
        journal_add(&jper[sc], m->res.mark[r], m->res.journal_mark[r]);
        if (mine)
            journal_add(&js, m->res.mark[r], m->res.journal_mark[r]);
    }
    int public = c->role == VIEW_PUBLIC;
    /* which cells, journals and task shares the viewer may not see: hidden_groups */
    size_t from, to;
    vi_cells_of(v, p, &from, &to);
    unsigned char *hid = msk_calloc(to - from + 1, 1), *jhid = msk_calloc(to - from + 1, 1),
                  *thid = msk_calloc(to - from + 1, 1);
    hidden_groups(v, c, p, jper, tper, hid, jhid, thid);
    int only_jhid = 0, only_thid = 0;
    for (size_t k = from; k < to && only >= 0; k++)
        if (m->cells[k].school == only)
            only_jhid = jhid[k - from], only_thid = thid[k - from];
    unsigned char *bar = public ? hidden_bars(pr, hm, nh) : NULL;
    /* the public sees the municipal histogram without small bars, and no school's: one
     * school's bars are nearly all under 5 pupils and add up to its published count */
    json_t *scores = json_array(), *hmj = json_array(),
           *hsj = only >= 0 && !public ? json_array() : NULL;
    for (size_t s = 0; s < nh; s++) {
        json_array_append_new(scores, json_integer((json_int_t)s));
        json_array_append_new(hmj, bar && bar[s] ? json_null() : json_integer(hm[s]));
        if (hsj && hs)
            json_array_append_new(hsj, json_integer(hs[s]));
    }
    free(bar);
    json_object_set_new(d, "histogram",
                        json_pack("{s:o, s:o, s:o}", "scores", scores, "municipality", hmj,
                                  "school", hsj ? hsj : json_null()));
    json_t *tasks = json_array();
    if (public && tm_n < VIEW_MIN_CELL)
        tm_n = 0; /* municipal task shares over fewer than 5 works stay hidden */
    if (only_thid)
        ts_n = 0; /* so do a school's, and those the municipal ones would give back */
    for (int j = 0; j < ntasks && tm_n; j++) {
        char label[16];
        if (v->labels[p][j][0])
            snprintf(label, sizeof label, "%s", v->labels[p][j]);
        else
            snprintf(label, sizeof label, "%d", j + 1);
        json_array_append_new(
            tasks, json_pack("{s:s, s:o, s:o, s:o, s:o}", "label", label, "max",
                             pr->task_max[j] > 0 ? json_integer(pr->task_max[j]) : json_null(),
                             "municipality", json_real(tm_sum[j] / tm_n), "school",
                             ts_n ? json_real(ts_sum[j] / ts_n) : json_null(), "diff",
                             ts_n ? json_real(ts_sum[j] / ts_n - tm_sum[j] / tm_n) : json_null()));
    }
    json_object_set_new(d, "tasks", tasks);
    json_object_set_new(d, "tasks_lag", tasks_lag(tasks, ts_n));
    json_object_set_new(d, "tasks_n",
                        json_pack("{s:o, s:o}", "municipality",
                                  public && !tm_n ? json_null() : json_integer(tm_n), "school",
                                  only_thid ? json_null() : json_integer(ts_n)));

    json_t *rows = json_array();
    for (size_t k = from; k < to; k++) {
        const model_cell *cell = &m->cells[k];
        if (!cell->participants)
            continue;
        json_t *marks = vi_marks(pr, cell), *jj = journal_json(&jper[cell->school]);
        vi_add_test(v, c, p, cell->school, marks);
        if (hid[k - from])
            vi_hide(marks);
        if (jhid[k - from])
            vi_hide(jj);
        json_t *row = json_pack("{s:o, s:o, s:o}", "school", vi_school_ref_kept(v, cell->school),
                                "marks", marks, "journal", jj);
        /* other schools' cells follow the public rule for anyone who may not see them */
        if (!vi_may_see(c, v, cell->school))
            view_suppress(row);
        json_array_append_new(rows, row);
    }
    json_object_set_new(d, "schools", rows);
    json_t *jsj = only >= 0 ? journal_json(&js) : json_null();
    if (only_jhid)
        vi_hide(jsj);
    json_t *journal = json_pack("{s:o, s:o}", "municipality", journal_json(&jm), "school", jsj);
    json_object_set_new(d, "journal", journal);
    if (only >= 0)
        json_object_set_new(d, "school", vi_school_ref(v, only));
    vi_proc_extra(v, c, p, only, d); /* participation, ОВЗ, зачёт (view/procs.c) */
    vi_gia_proc(v, c, p, only, d);   /* a trial exam against the real one (view/gia.c) */
    if (public || only_jhid)
        view_suppress(d);
    free(jper);
    free(tper);
    free(hid);
    free(jhid);
    free(thid);
    *out = d;
    return 0;
}
