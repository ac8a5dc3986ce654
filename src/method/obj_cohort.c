/*
 * Sign 3 of non-objective results (METHODS.md §2.3): a sharp rise or fall of one cohort from
 * ВПР grade N (year Y−1) to grade N+1 (year Y). K = S(N, Y−1) / S(N+1, Y), S the school's mean
 * percent of the maximum primary score; Tukey fences Q1 − k·IQR, Q3 + k·IQR over all schools
 * (quartiles by linear interpolation, Hyndman–Fan type 7, R's default). K above the upper fence:
 * the cohort fell sharply (its 4th-grade result of Y−1 is suspect); below the lower fence: it
 * rose sharply (its 5th-grade result of Y is suspect). METHODS.md §2.3 puts "suspicious
 * 4th-grade result" next to the rise: a slip — a cohort that rises from 4 to 5 had a low, not
 * an inflated, 4th-grade result; these labels follow the ratio.
 */
#include "base/mem.h"
#include "method/obj_common.h"
#include "method/objectivity.h"
#include "method/shnor.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { COHORT_MAX_SUBJECTS = 16 };

typedef struct cohort_cfg {
    char subjects[COHORT_MAX_SUBJECTS][16];
    size_t nsubjects;
    long grade;            /* N: the cohort's first grade (default 4 → 5) */
    long min_participants; /* in each of the two cells */
    double iqr_factor;     /* k of the fences (Rosobrnadzor 2019: 3) */
} cohort_cfg;

typedef struct cohort_rec {
    int32_t school;
    double s_prev, s_cur, k;
} cohort_rec;

static int cohort_read_cfg(const meth_file *f, cohort_cfg *c, msk_err *err)
{
    static const char *known[] = {"subjects", "grade", "min_participants", "iqr_factor"};
    const char *sec = "cohort_jump";
    memset(c, 0, sizeof *c);
    c->grade = 4;
    c->min_participants = 5;
    c->iqr_factor = 3.0;
    if (!f) {
        snprintf(c->subjects[0], sizeof c->subjects[0], "math");
        snprintf(c->subjects[1], sizeof c->subjects[1], "rus");
        c->nsubjects = 2;
        return 0;
    }
    if (meth_check_keys(f, sec, known, sizeof known / sizeof known[0], err))
        return -1;
    if (meth_get(f, sec, "subjects")) {
        const char *items[COHORT_MAX_SUBJECTS + 1];
        size_t n = meth_list(f, sec, "subjects", items, COHORT_MAX_SUBJECTS + 1);
        if (n == 0 || n > COHORT_MAX_SUBJECTS)
            return msk_error_at(err, obj_fname(f), 0, 0,
                                "[cohort_jump] subjects: нужен список от 1 до %d предметов, "
                                "например math, rus",
                                COHORT_MAX_SUBJECTS);
        for (size_t i = 0; i < n; i++) {
            if (!items[i][0] || strlen(items[i]) >= sizeof c->subjects[i])
                return msk_error_at(err, obj_fname(f), 0, 0,
                                    "[cohort_jump] subjects: «%s» — не код предмета", items[i]);
            snprintf(c->subjects[i], sizeof c->subjects[i], "%s", items[i]);
        }
        c->nsubjects = n;
    } else {
        snprintf(c->subjects[0], sizeof c->subjects[0], "math");
        snprintf(c->subjects[1], sizeof c->subjects[1], "rus");
        c->nsubjects = 2;
    }
    if (meth_int(f, sec, "grade", 4, &c->grade, err) ||
        meth_int(f, sec, "min_participants", 5, &c->min_participants, err) ||
        meth_num(f, sec, "iqr_factor", 3.0, &c->iqr_factor, err))
        return -1;
    if (c->grade < 1 || c->grade > 11)
        return msk_error_at(err, obj_fname(f), 0, 0,
                            "[cohort_jump] grade: класс от 1 до 11 (поток сравнивается со "
                            "следующим классом)");
    if (c->min_participants < 1)
        return msk_error_at(err, obj_fname(f), 0, 0,
                            "[cohort_jump] min_participants не может быть меньше 1");
    if (!(c->iqr_factor > 0))
        return msk_error_at(err, obj_fname(f), 0, 0,
                            "[cohort_jump] iqr_factor должен быть больше 0 (по методике — 3)");
    return 0;
}

static int cohort_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Quantile of sorted x[0..n), n ≥ 1, by linear interpolation between order statistics
 * (Hyndman & Fan 1996 type 7, R's and NumPy's default): h = (n−1)·q. */
static double cohort_quantile(const double *x, size_t n, double q)
{
    double h = (double)(n - 1) * q;
    size_t lo = (size_t)floor(h);
    if (lo + 1 >= n)
        return x[n - 1];
    return x[lo] + (h - (double)lo) * (x[lo + 1] - x[lo]);
}

/* S of one cell: mean percent of max as a share, or NAN when not usable. */
static double cohort_s(const model *m, int32_t proc, int32_t school, long min_participants)
{
    const model_cell *c = model_cell_of(m, proc, school);
    double max = m->procs[proc].max_primary;
    if (!c || c->participants < min_participants || isnan(c->mean_primary) || !(max > 0))
        return NAN;
    return c->mean_primary / max;
}

static json_t *cohort_sign(const model *m, int year, const cohort_cfg *c, const char *subject,
                           const cohort_rec *r, double q1, double q3, double fence, int fall)
{
    char sp[32], sc[32], k[32], fe[32];
    char text[800];
    shnor_pct(r->s_prev, sp, sizeof sp);
    shnor_pct(r->s_cur, sc, sizeof sc);
    obj_num_ru(r->k, 2, k, sizeof k);
    obj_num_ru(fence, 2, fe, sizeof fe);
    snprintf(text, sizeof text,
             "ВПР, %s: в %d году %ld класс выполнил работу в среднем на %s %% от максимального "
             "балла, тот же поток в %ld классе в %d году — на %s %%; отношение K = %s %s "
             "границы %s (%s по всем ОО муниципалитета) — резкое %s результатов при переходе "
             "в %ld класс: %s",
             shnor_subject_ru(subject), year - 1, c->grade, sp, c->grade + 1, year, sc, k,
             fall ? "выше верхней" : "ниже нижней", fe, fall ? "Q3 + k·IQR" : "Q1 − k·IQR",
             fall ? "падение" : "повышение", c->grade + 1,
             fall ? "возможно, завышен результат прошлого года, в младшем классе"
                  : "возможно, завышен результат этого года, в старшем классе");
    return json_pack("{s:s, s:s, s:s, s:i, s:f, s:f, s:s, s:s, s:f, s:f, s:f, s:f, s:f, s:i}",
                     "sign", "cohort_jump", "kind", "VPR", "subject", subject, "grade",
                     (int)c->grade + 1, "value", shnor_round4(r->k), "threshold",
                     shnor_round4(fence), "text", text, "direction", fall ? "fall" : "rise",
                     "s_prev", shnor_round4(r->s_prev), "s_cur", shnor_round4(r->s_cur), "q1",
                     shnor_round4(q1), "q3", shnor_round4(q3), "iqr", shnor_round4(q3 - q1),
                     "year_prev", year - 1);
}

int obj_cohort_jump(const model *m, int year, const meth_file *f, json_t *signs, msk_err *err)
{
    cohort_cfg c;
    int rc = -1;
    cohort_rec *rec = NULL;
    double *ks = NULL;
    if (cohort_read_cfg(f, &c, err))
        goto out;
    rec = msk_malloc((m->nschools + 1) * sizeof *rec);
    ks = msk_malloc((m->nschools + 1) * sizeof *ks);
    for (size_t si = 0; si < c.nsubjects; si++) {
        const char *subj = c.subjects[si];
        int32_t pp = model_find_proc(m, year - 1, "VPR", subj, (int)c.grade);
        int32_t pc = model_find_proc(m, year, "VPR", subj, (int)c.grade + 1);
        if (pp < 0 || pc < 0)
            continue;
        size_t n = 0;
        for (size_t s = 0; s < m->nschools; s++) {
            double a = cohort_s(m, pp, (int32_t)s, c.min_participants);
            double b = cohort_s(m, pc, (int32_t)s, c.min_participants);
            if (isnan(a) || isnan(b) || !(b > 0))
                continue; /* K undefined when the later result is zero */
            rec[n] = (cohort_rec){(int32_t)s, a, b, a / b};
            ks[n] = rec[n].k;
            n++;
        }
        if (n < 4)
            continue; /* quartiles of fewer than 4 schools say nothing about the spread */
        qsort(ks, n, sizeof *ks, cohort_cmp_double);
        double q1 = cohort_quantile(ks, n, 0.25), q3 = cohort_quantile(ks, n, 0.75);
        double iqr = q3 - q1;
        double hi = q3 + c.iqr_factor * iqr, lo = q1 - c.iqr_factor * iqr;
        for (size_t i = 0; i < n; i++) {
            int fall = rec[i].k > hi, rise = rec[i].k < lo;
            if (!fall && !rise)
                continue;
            json_t *o = cohort_sign(m, year, &c, subj, &rec[i], q1, q3, fall ? hi : lo, fall);
            if (obj_add_sign(signs, m->schools[rec[i].school].code, o)) {
                msk_error(err, "не хватает памяти");
                goto out;
            }
        }
    }
    rc = 0;
out:
    free(rec);
    free(ks);
    return rc;
}
