/*
 * Sign 6 of non-objective results: the difficulty profile turned over. Rosobrnadzor's 2019
 * methodology of objectivity reads a class that solves the tasks hard for everyone as well as
 * (or better than) the easy ones as a sign that the work was not written on its own. Measure:
 * Spearman's r_s between the municipal solve rates of the tasks (share of the maximum, X = 0)
 * and the school's; an honest school follows the municipal profile (r_s near the
 * municipality's typical value, 0.8–0.9 on the demo), an inverted one has r_s below zero.
 * The sign: r_s < threshold, or r_s at least max_drop below the median r_s of the schools of
 * the procedure (the municipality's typical value). Not a Tukey fence: on the demo the r_s of
 * honest schools lie within a few hundredths of each other, so Q1 − 3·IQR sat at 0.85–0.9 and
 * flagged schools whose profile was plainly the municipal one (r_s = 0.86). The model carries no
 * classes: a group is the school's participants of one procedure (all classes of the grade).
 */
#include "base/mem.h"
#include "base/fmt.h"
#include "method/obj_common.h"
#include "method/objectivity.h"
#include "method/shnor.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PROF_NT = 64, PROF_EXTREME = 3 };

typedef struct prof_cfg {
    long min_participants, min_tasks;
    double threshold, max_drop;
} prof_cfg;

static int prof_read_cfg(const meth_file *f, prof_cfg *c, msk_err *err)
{
    static const char *known[] = {"procedures", "min_participants", "min_tasks", "threshold",
                                  "max_drop"};
    const char *sec = "profile_inversion";
    c->min_participants = 10;
    c->min_tasks = 8;
    c->threshold = 0;
    c->max_drop = 0.5;
    if (!f)
        return 0;
    if (meth_check_keys(f, sec, known, sizeof known / sizeof known[0], err) ||
        meth_int(f, sec, "min_participants", 10, &c->min_participants, err) ||
        meth_int(f, sec, "min_tasks", 8, &c->min_tasks, err) ||
        meth_num(f, sec, "threshold", 0, &c->threshold, err) ||
        meth_num(f, sec, "max_drop", 0.5, &c->max_drop, err))
        return -1;
    if (c->min_participants < 2 || c->min_tasks < 3 || !(c->threshold >= -1 && c->threshold <= 1) ||
        !(c->max_drop > 0 && c->max_drop <= 2))
        return msk_error_at(err, obj_fname(f), 0, 0,
                            "[profile_inversion] min_participants не меньше 2, min_tasks не "
                            "меньше 3, threshold от −1 до 1, max_drop больше 0 и не больше 2");
    return 0;
}

/* Solve rates of the tasks with a known maximum over rows[0..n): out[k] for the k-th such task. */
static void prof_rates(const model *m, const size_t *rows, size_t n, const int *tmax, int nt,
                       double *out)
{
    /* row by row, each row's task bytes in one run (a task at a time strode over the rows);
     * the sums are of integers, exact in int64 and in double alike, so the rates are the same */
    int64_t sum[PROF_NT] = {0};
    for (size_t i = 0; i < n; i++) {
        const uint8_t *v = m->res.tasks + m->res.task_off[rows[i]];
        for (int t = 0; t < nt; t++)
            sum[t] += v[t] == MODEL_TASK_X ? 0 : v[t];
    }
    int k = 0;
    for (int t = 0; t < nt; t++)
        if (tmax[t] > 0)
            out[k++] = (double)sum[t] / ((double)n * tmax[t]);
}

typedef struct prof_school {
    int32_t school;
    int n;
    double rs;
    double q[PROF_NT];
} prof_school;

/* Mean of the school's and the municipality's rates over the PROF_EXTREME hardest (hard = 1)
 * or easiest tasks by the municipal rate. */
static void prof_extreme(const double *P, const double *Q, int nt, int hard, double *ps, double *qs)
{
    int used[PROF_NT] = {0}, take = nt < PROF_EXTREME ? nt : PROF_EXTREME;
    *ps = *qs = 0;
    for (int j = 0; j < take; j++) {
        int best = -1;
        for (int t = 0; t < nt; t++)
            if (!used[t] && (best < 0 || (hard ? P[t] < P[best] : P[t] > P[best])))
                best = t;
        used[best] = 1;
        *ps += P[best] / take;
        *qs += Q[best] / take;
    }
}

static json_t *prof_sign(const model_proc *p, const prof_school *ps, const double *P, int nt,
                         double median, double bound, const prof_cfg *c)
{
    char r[32], md[32], bd[32], hq[32], hp[32], eq[32], ep[32], text[1400];
    double hps, hqs, eps, eqs;
    prof_extreme(P, ps->q, nt, 1, &hps, &hqs);
    prof_extreme(P, ps->q, nt, 0, &eps, &eqs);
    obj_num_ru(ps->rs, 2, r, sizeof r);
    obj_num_ru(median, 2, md, sizeof md);
    obj_num_ru(bound, 2, bd, sizeof bd);
    shnor_pct(hqs, hq, sizeof hq);
    shnor_pct(hps, hp, sizeof hp);
    shnor_pct(eqs, eq, sizeof eq);
    shnor_pct(eps, ep, sizeof ep);
    snprintf(text, sizeof text,
             "%s, %s, %d класс, %d: школа (%d %s) выполнила задания не в том порядке "
             "трудности, что муниципалитет: ранговая корреляция долей выполнения %d заданий "
             "школой и муниципалитетом r = %s при обычной для школ муниципалитета %s (медиана) "
             "и границе %s. Три самых трудных для муниципалитета задания школа выполнила в "
             "среднем на %s %% (муниципалитет — на %s %%), три самых лёгких — на %s %% "
             "(муниципалитет — на %s %%). Трудные для всех задания решены лучше, чем можно "
             "ждать по лёгким, — признак возможного списывания или подсказок (методика "
             "Рособрнадзора)",
             shnor_kind_ru(p->kind), shnor_subject_ru(p->subject), p->grade, p->year, ps->n,
             fmt_plural(ps->n, "участник", "участника", "участников"), nt, r, md, bd, hq, hp, eq,
             ep);
    return json_pack("{s:s, s:s, s:s, s:i, s:f, s:f, s:s, s:i, s:i, s:f, s:f, s:f, s:f, s:f, s:f}",
                     "sign", "profile_inversion", "kind", p->kind, "subject", p->subject, "grade",
                     p->grade, "value", shnor_round4(ps->rs), "threshold", shnor_round4(bound),
                     "text", text, "participants", ps->n, "tasks", nt, "median",
                     shnor_round4(median), "set_threshold", c->threshold, "hard_school",
                     shnor_round4(hqs), "hard_municipality", shnor_round4(hps), "easy_school",
                     shnor_round4(eqs), "easy_municipality", shnor_round4(eps));
}

/* One procedure: rows[0..n) are its rows sorted by school. */
static int prof_proc(const model *m, int32_t p, const size_t *rows, size_t n, const prof_cfg *c,
                     prof_school *sch, double *rs, json_t *signs)
{
    int tmax[PROF_NT], nt = 0;
    double P[PROF_NT];
    if (m->procs[p].ntasks > PROF_NT)
        return 0;
    obj_task_max(m, p, rows, n, tmax);
    for (int t = 0; t < m->procs[p].ntasks; t++)
        nt += tmax[t] > 0;
    if (nt < c->min_tasks)
        return 0; /* too few tasks to rank */
    prof_rates(m, rows, n, tmax, m->procs[p].ntasks, P);
    size_t idx[PROF_NT], ns = 0;
    double rx[PROF_NT], ry[PROF_NT];
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && m->res.school[rows[j]] == m->res.school[rows[i]])
            j++;
        if (j - i >= (size_t)c->min_participants) {
            prof_school *ps = &sch[ns];
            ps->school = m->res.school[rows[i]];
            ps->n = (int)(j - i);
            prof_rates(m, rows + i, j - i, tmax, m->procs[p].ntasks, ps->q);
            ps->rs = obj_spearman(P, ps->q, (size_t)nt, idx, rx, ry);
            if (!isnan(ps->rs))
                rs[ns++] = ps->rs;
        }
        i = j;
    }
    if (ns == 0)
        return 0;
    /* rs[] is in school order; sort a copy for the quartiles */
    double *sorted = msk_malloc(ns * sizeof *sorted);
    memcpy(sorted, rs, ns * sizeof *sorted);
    qsort(sorted, ns, sizeof *sorted, obj_cmp_double);
    double median = obj_quantile(sorted, ns, 0.5), bound = c->threshold;
    if (median - c->max_drop > bound)
        bound = median - c->max_drop;
    free(sorted);
    for (size_t k = 0; k < ns; k++) {
        if (!(sch[k].rs < bound))
            continue;
        json_t *o = prof_sign(&m->procs[p], &sch[k], P, nt, median, bound, c);
        if (obj_add_sign(signs, m->schools[sch[k].school].code, o))
            return -1;
    }
    return 0;
}

int obj_profile_inversion(const model *m, int year, const meth_file *f, json_t *signs, msk_err *err)
{
    static const char *dflt[] = {"VPR:*:*"};
    prof_cfg c;
    int rc = -1;
    char *sel = msk_calloc(m->nprocs + 1, 1);
    size_t *rows = msk_malloc((m->res.n + 1) * sizeof *rows);
    prof_school *sch = msk_malloc((m->nschools + 1) * sizeof *sch);
    double *rs = msk_malloc((m->nschools + 1) * sizeof *rs);
    if (prof_read_cfg(f, &c, err) ||
        obj_section_procs(m, year, f, "profile_inversion", dflt, 1, sel, err))
        goto out;
    size_t n = obj_task_rows(m, sel, rows);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && m->res.proc[rows[j]] == m->res.proc[rows[i]])
            j++;
        if (prof_proc(m, m->res.proc[rows[i]], rows + i, j - i, &c, sch, rs, signs)) {
            msk_error(err, "не хватает памяти");
            goto out;
        }
        i = j;
    }
    rc = 0;
out:
    free(sel);
    free(rows);
    free(sch);
    free(rs);
    return rc;
}
