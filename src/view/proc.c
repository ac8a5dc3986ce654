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
        only = model_find_school(m, school);
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
    json_object_set_new(d, "municipality", vi_marks(pr, &mc));
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
    json_t *scores = json_array(), *hmj = json_array(), *hsj = only >= 0 ? json_array() : NULL;
    for (size_t s = 0; s < nh; s++) {
        json_array_append_new(scores, json_integer((json_int_t)s));
        /* the public never sees a bar of fewer than 5 pupils (UI.md) */
        json_array_append_new(
            hmj, public && hm[s] > 0 && hm[s] < VIEW_MIN_CELL ? json_null() : json_integer(hm[s]));
        if (hsj && hs)
            json_array_append_new(hsj, public && hs[s] > 0 && hs[s] < VIEW_MIN_CELL
                                           ? json_null()
                                           : json_integer(hs[s]));
    }
    json_object_set_new(d, "histogram",
                        json_pack("{s:o, s:o, s:o}", "scores", scores, "municipality", hmj,
                                  "school", hsj ? hsj : json_null()));
    json_t *tasks = json_array();
    if (public && ts_n < VIEW_MIN_CELL)
        ts_n = 0; /* a school's task shares over fewer than 5 works stay hidden */
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
    json_object_set_new(d, "tasks_n",
                        json_pack("{s:i, s:i}", "municipality", tm_n, "school", ts_n));

    json_t *rows = json_array();
    size_t from, to;
    vi_cells_of(v, p, &from, &to);
    for (size_t k = from; k < to; k++) {
        const model_cell *cell = &m->cells[k];
        if (!cell->participants)
            continue;
        json_t *row =
            json_pack("{s:o, s:o, s:o}", "school", vi_school_ref(v, cell->school), "marks",
                      vi_marks(pr, cell), "journal", journal_json(&jper[cell->school]));
        /* other schools' cells follow the public rule for anyone who may not see them */
        if (!vi_may_see(c, v, cell->school))
            view_suppress(row);
        json_array_append_new(rows, row);
    }
    json_object_set_new(d, "schools", rows);
    json_t *journal = json_pack("{s:o, s:o}", "municipality", journal_json(&jm), "school",
                                only >= 0 ? journal_json(&js) : json_null());
    json_object_set_new(d, "journal", journal);
    if (only >= 0)
        json_object_set_new(d, "school", vi_school_ref(v, only));
    if (public)
        view_suppress(d);
    free(jper);
    *out = d;
    return 0;
}
