/*
 * Helpers shared by the objectivity signs (obj_*.c) and the list that runs them
 * (objectivity.c): both call down into this file, so the signs never call back into the list.
 */
#include "method/obj_common.h"

#include "base/mem.h"
#include "method/shnor.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OBJ_MAX_PROCS = 64 };

const char *obj_fname(const meth_file *f)
{
    return f ? meth_name(f) : "(встроенная методика)";
}

/* The first main-period result of a present participant (METHODS.md §2: retakes, past-year
 * graduates and absentees are not the school's own assessment of this year). */
int obj_counted(const model *m, size_t i)
{
    return !(m->res.flags[i] & (MODEL_ABSENT | MODEL_RETAKE | MODEL_PAST_GRADUATE));
}

/* sel[p] = 1 for the procedures of `year` named in [objectivity] procedures. */
int obj_select_procs(const model *m, int year, const meth_file *f, char *sel, msk_err *err)
{
    static const char *dflt[] = {"VPR:math:4", "VPR:math:5", "VPR:rus:4",
                                 "VPR:rus:5",  "OGE:math:9", "OGE:rus:9"};
    const char *items[OBJ_MAX_PROCS + 1];
    shnor_proc_key keys[OBJ_MAX_PROCS];
    size_t n;
    if (f && meth_get(f, "objectivity", "procedures")) {
        n = meth_list(f, "objectivity", "procedures", items, OBJ_MAX_PROCS + 1);
        if (n == 0 || n > OBJ_MAX_PROCS)
            return msk_error_at(err, obj_fname(f), 0, 0,
                                "[objectivity] procedures: список пуст или длиннее %d",
                                OBJ_MAX_PROCS);
    } else {
        n = sizeof dflt / sizeof dflt[0];
        memcpy(items, dflt, sizeof dflt);
    }
    for (size_t k = 0; k < n; k++)
        if (shnor_parse_proc(items[k], &keys[k]))
            return msk_error_at(err, obj_fname(f), 0, 0,
                                "[objectivity] procedures: «%s» не понято — пишите "
                                "ВИД:предмет:класс, например VPR:math:5",
                                items[k]);
    for (size_t p = 0; p < m->nprocs; p++) {
        sel[p] = 0;
        for (size_t k = 0; k < n && m->procs[p].year == year && !sel[p]; k++)
            sel[p] = (char)shnor_proc_matches(&keys[k], &m->procs[p]);
    }
    return 0;
}

void obj_num_ru(double v, int dec, char *out, size_t outsz)
{
    snprintf(out, outsz, "%.*f", dec, v);
    for (char *s = out; *s; s++)
        if (*s == '.')
            *s = ',';
}

/* Append sign o to signs[code], creating the array; steals o. */
int obj_add_sign(json_t *signs, const char *code, json_t *o)
{
    json_t *a = json_object_get(signs, code);
    if (!o)
        return -1;
    if (!a) {
        a = json_array();
        if (!a || json_object_set_new(signs, code, a)) {
            json_decref(o);
            return -1;
        }
    }
    return json_array_append_new(a, o);
}

static int cmp_dbl(const void *a, const void *b, void *ctx)
{
    const double *v = ctx;
    double x = v[*(const size_t *)a], y = v[*(const size_t *)b];
    return (x > y) - (x < y);
}

/* Ranks 1..n of v[0..n) with ties given their average rank; idx is scratch of n. */
static void rank_avg(const double *v, size_t n, size_t *idx, double *rank)
{
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    qsort_r(idx, n, sizeof *idx, cmp_dbl, (void *)v);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && v[idx[j]] == v[idx[i]])
            j++;
        double r = (double)(i + 1 + j) / 2.0; /* mean of ranks i+1 … j */
        for (size_t k = i; k < j; k++)
            rank[idx[k]] = r;
        i = j;
    }
}

/* Spearman's r_s of x, y (n ≥ 2) as the Pearson correlation of the average ranks. With ties
 * the textbook 1 − 6Σd²/(n(n²−1)) is not the correlation of the ranks it assigns; METHODS.md
 * asks for ties ranked by average, and the Pearson form is the one that stays exact then.
 * Returns NAN when either side is all tied (zero variance: r_s undefined). */
double obj_spearman(const double *x, const double *y, size_t n, size_t *idx, double *rx, double *ry)
{
    rank_avg(x, n, idx, rx);
    rank_avg(y, n, idx, ry);
    double mean = (double)(n + 1) / 2.0, sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < n; i++) {
        double a = rx[i] - mean, b = ry[i] - mean;
        sxy += a * b;
        sxx += a * a;
        syy += b * b;
    }
    if (sxx <= 0 || syy <= 0)
        return NAN;
    return sxy / sqrt(sxx * syy);
}

/* sel[p] = 1 for the procedures of `year` named in [sec] procedures, else in dflt. */
int obj_section_procs(const model *m, int year, const meth_file *f, const char *sec,
                      const char *const *dflt, size_t ndflt, char *sel, msk_err *err)
{
    const char *items[OBJ_MAX_PROCS + 1];
    shnor_proc_key keys[OBJ_MAX_PROCS];
    size_t n = ndflt;
    if (f && meth_get(f, sec, "procedures")) {
        n = meth_list(f, sec, "procedures", items, OBJ_MAX_PROCS + 1);
        if (n == 0 || n > OBJ_MAX_PROCS)
            return msk_error_at(err, obj_fname(f), 0, 0,
                                "[%s] procedures: список пуст или длиннее %d", sec, OBJ_MAX_PROCS);
    } else {
        memcpy(items, dflt, ndflt * sizeof *dflt);
    }
    for (size_t k = 0; k < n; k++)
        if (shnor_parse_proc(items[k], &keys[k]))
            return msk_error_at(err, obj_fname(f), 0, 0,
                                "[%s] procedures: «%s» не понято — пишите ВИД:предмет:класс, "
                                "например VPR:math:5 или VPR:*:*",
                                sec, items[k]);
    for (size_t p = 0; p < m->nprocs; p++) {
        sel[p] = 0;
        for (size_t k = 0; k < n && m->procs[p].year == year && !sel[p]; k++)
            sel[p] = (char)shnor_proc_matches(&keys[k], &m->procs[p]);
    }
    return 0;
}

int obj_cmp_proc_school(const void *a, const void *b, void *ctx)
{
    const model *m = ctx;
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    if (m->res.proc[i] != m->res.proc[j])
        return m->res.proc[i] < m->res.proc[j] ? -1 : 1;
    if (m->res.school[i] != m->res.school[j])
        return m->res.school[i] < m->res.school[j] ? -1 : 1;
    return (i > j) - (i < j);
}

void obj_sort_proc_school(const model *m, size_t *rows, size_t n)
{
    int ascending = 1;
    for (size_t k = 0; k < n && ascending; k++) {
        size_t r = rows[k];
        ascending = (k == 0 || rows[k - 1] < r) && m->res.proc[r] >= 0 &&
                    (size_t)m->res.proc[r] < m->nprocs && m->res.school[r] >= 0 &&
                    (size_t)m->res.school[r] < m->nschools;
    }
    if (!ascending || n < 64) {
        qsort_r(rows, n, sizeof *rows, obj_cmp_proc_school, (void *)m);
        return;
    }
    size_t *tmp = msk_reallocarray(NULL, n, sizeof *tmp);
    size_t nb = (m->nschools > m->nprocs ? m->nschools : m->nprocs) + 1;
    size_t *at = msk_malloc(nb * sizeof *at);
    /* stable by school, then stable by procedure: ascending rows end (procedure, school, row) */
    for (int pass = 0; pass < 2; pass++) {
        const int32_t *key = pass ? m->res.proc : m->res.school;
        size_t nk = pass ? m->nprocs : m->nschools;
        const size_t *src = pass ? tmp : rows;
        size_t *dst = pass ? rows : tmp;
        memset(at, 0, (nk + 1) * sizeof *at);
        for (size_t k = 0; k < n; k++)
            at[key[src[k]] + 1]++;
        for (size_t b = 1; b <= nk; b++)
            at[b] += at[b - 1];
        for (size_t k = 0; k < n; k++)
            dst[at[key[src[k]]]++] = src[k];
    }
    free(at);
    free(tmp);
}

/* Rows with the whole task vector: counted, of a selected procedure with tasks, and carrying
 * as many task bytes as the procedure has tasks (a model loaded without task bytes has none). */
size_t obj_task_rows(const model *m, const char *sel, size_t *rows)
{
    size_t n = 0;
    for (size_t i = 0; i < m->res.n; i++) {
        int32_t p = m->res.proc[i];
        if (sel[p] && obj_counted(m, i) && m->procs[p].ntasks > 0 &&
            m->res.ntask[i] == m->procs[p].ntasks)
            rows[n++] = i;
    }
    obj_sort_proc_school(m, rows, n);
    return n;
}

/* A task's maximum: the scale's, else the highest score any row of the procedure got. */
void obj_task_max(const model *m, int32_t p, const size_t *rows, size_t n, int *tmax)
{
    int nt = m->procs[p].ntasks;
    for (int t = 0; t < nt; t++)
        tmax[t] = m->procs[p].task_max[t];
    for (int t = 0; t < nt; t++) {
        if (tmax[t] > 0)
            continue;
        tmax[t] = 0;
        for (size_t k = 0; k < n; k++) {
            uint8_t v = m->res.tasks[m->res.task_off[rows[k]] + (size_t)t];
            if (v != MODEL_TASK_X && v > tmax[t])
                tmax[t] = v;
        }
    }
}

/* Quantile of sorted x[0..n), n ≥ 1, Hyndman–Fan type 7 (R's default): h = (n − 1)·q. */
double obj_quantile(const double *x, size_t n, double q)
{
    double h = (double)(n - 1) * q;
    size_t lo = (size_t)floor(h);
    if (lo + 1 >= n)
        return x[n - 1];
    return x[lo] + (h - (double)lo) * (x[lo + 1] - x[lo]);
}

int obj_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}
