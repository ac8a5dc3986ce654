/*
 * Sign 7 of non-objective results: identical works. Pupils of one school whose whole task
 * vector (the score of every task, X distinct from 0) coincides with another pupil's of the
 * same school, more often than the municipal distribution of vectors gives — answers copied or
 * dictated. Works with 0 or the maximum on every task coincide by themselves and are left out.
 * Expected coincidences: two works can coincide only if their totals are equal, and pupils of
 * one school are alike in ability, so the null is taken given the total: for pupil i of the
 * school with vector v_i and total T_i, the other n_T − 1 pupils of the school with total T_i
 * are taken as drawn from the works of total T_i outside the school, matching i with
 * probability f(v_i) = (works v_i outside the school) / (works of total T_i outside it). The
 * expected number of coinciding pairs is λ = ½ Σ_i (n_T − 1)·f(v_i), and the observed pairs
 * Σ_v C(c_v, 2) are compared with Poisson(λ). Without the condition on the total (f over all
 * works outside the school) the demo's large schools of like pupils got 2–4 times the
 * expected pairs with nothing copied: 13 schools of 295 marked. The sign: P(X ≥ observed) < alpha,
 * at least min_pupils pupils in coinciding works and their share ≥ min_share. The model carries no
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

typedef struct copy_cfg {
    long min_participants, min_pupils;
    double min_share, alpha;
} copy_cfg;

static int copy_read_cfg(const meth_file *f, copy_cfg *c, msk_err *err)
{
    /* alone_procedures is read by objectivity.c (the list's rule), not by the sign */
    static const char *known[] = {"procedures", "min_participants", "min_pupils", "min_share",
                                  "alpha",      "alone_procedures"};
    const char *sec = "identical_tasks";
    c->min_participants = 10;
    c->min_pupils = 4;
    c->min_share = 0.15;
    c->alpha = 0.001;
    if (!f)
        return 0;
    if (meth_check_keys(f, sec, known, sizeof known / sizeof known[0], err) ||
        meth_int(f, sec, "min_participants", 10, &c->min_participants, err) ||
        meth_int(f, sec, "min_pupils", 4, &c->min_pupils, err) ||
        meth_num(f, sec, "min_share", 0.15, &c->min_share, err) ||
        meth_num(f, sec, "alpha", 0.001, &c->alpha, err))
        return -1;
    if (c->min_participants < 2 || c->min_pupils < 2 || !(c->min_share >= 0 && c->min_share <= 1) ||
        !(c->alpha > 0 && c->alpha <= 1))
        return msk_error_at(err, obj_fname(f), 0, 0,
                            "[identical_tasks] min_participants и min_pupils не меньше 2, "
                            "min_share от 0 до 1, alpha больше 0 и не больше 1");
    return 0;
}

/* P(X ≥ k) for X ~ Poisson(lambda), summed upwards from k (no cancellation for small tails). */
static double copy_poisson_tail(int k, double lambda)
{
    if (k <= 0)
        return 1;
    if (!(lambda > 0))
        return 0;
    int sign;
    double term = exp(-lambda + k * log(lambda) - lgamma_r(k + 1.0, &sign)), sum = 0;
    for (int j = k; j < k + 100000; j++) {
        sum += term;
        term *= lambda / (j + 1);
        if (term == 0) /* underflown: every term after it is 0 too, the sum is final */
            break;
        if (j > lambda && term < sum * 1e-17)
            break;
    }
    return sum > 1 ? 1 : sum;
}

typedef struct copy_ctx {
    const model *m;
    int nt;
} copy_ctx;

static const uint8_t *copy_vec(const model *m, size_t row)
{
    return m->res.tasks + m->res.task_off[row];
}

/* A vector every pupil can share without copying: nothing scored, or everything at maximum. */
static int copy_trivial(const uint8_t *v, const int *tmax, int nt)
{
    int zero = 1, full = 1;
    for (int t = 0; t < nt; t++) {
        int s = v[t] == MODEL_TASK_X ? 0 : v[t];
        zero &= s == 0;
        full &= tmax[t] > 0 && s >= tmax[t];
    }
    return zero || full;
}

typedef struct copy_acc {
    int n, pupils;
    long pairs;
    double expected;
} copy_acc;

static json_t *copy_sign(const model_proc *p, const copy_acc *a, double pv, const copy_cfg *c)
{
    char sh[32], ex[32], pvs[48], al[32], text[1200];
    shnor_pct((double)a->pupils / a->n, sh, sizeof sh);
    obj_num_ru(a->expected, 2, ex, sizeof ex);
    if (pv < 0.0001)
        snprintf(pvs, sizeof pvs, "меньше 0,0001");
    else
        obj_num_ru(pv, 4, pvs, sizeof pvs);
    obj_num_ru(c->alpha, 4, al, sizeof al);
    snprintf(text, sizeof text,
             "%s, %s, %d класс, %d: у %d из %d %s (%s %%) работа балл в балл по всем %d "
             "заданиям совпадает с работой другого участника школы — %ld %s. Если "
             "бы участники писали независимо, с тем же разнообразием работ, что в "
             "муниципалитете, ожидалось бы %s пары; вероятность получить столько совпадений "
             "случайно — %s (порог %s). Работы без единого балла и работы на максимум не "
             "учитываются. Совпадающие работы — признак возможного списывания или подсказок",
             shnor_kind_ru(p->kind), shnor_subject_ru(p->subject), p->grade, p->year, a->pupils,
             a->n, fmt_plural(a->n, "участника", "участников", "участников"), sh, p->ntasks,
             a->pairs,
             fmt_plural(a->pairs, "совпадающая пара", "совпадающие пары", "совпадающих пар"), ex,
             pvs, al);
    return json_pack("{s:s, s:s, s:s, s:i, s:f, s:f, s:s, s:i, s:i, s:I, s:f, s:f, s:i}", "sign",
                     "identical_tasks", "kind", p->kind, "subject", p->subject, "grade", p->grade,
                     "value", shnor_round4((double)a->pupils / a->n), "threshold", c->min_share,
                     "text", text, "participants", a->n, "pupils", a->pupils, "pairs",
                     (json_int_t)a->pairs, "expected", shnor_round4(a->expected), "p_value", pv,
                     "tasks", p->ntasks);
}

static int copy_total(const model *m, size_t row, int nt)
{
    const uint8_t *v = copy_vec(m, row);
    int sum = 0;
    for (int t = 0; t < nt; t++)
        sum += v[t] == MODEL_TASK_X ? 0 : v[t];
    return sum;
}

/* A row of the procedure with its sort keys computed once (the comparisons then touch no task
 * bytes but those after the first sixteen, and only when those sixteen agree). */
typedef struct copy_key {
    uint64_t head[2]; /* task bytes 0–7 and 8–15, big-endian: compare as memcmp does */
    int32_t school;
    int32_t same;    /* pupils of the row's school with the row's total */
    uint32_t row;    /* 32 bytes a key: the sort moves them, fewer bytes are faster */
    int16_t total;   /* at most 64 tasks × 255 */
    uint8_t trivial; /* copy_trivial of the row's vector (known while its bytes are at hand) */
} copy_key;

/* The order the count needs: (vector, school, row) — the order of memcmp over the whole
 * vector, then the school. It is total (the row decides last), so any correct sort of any
 * permutation of the keys gives the same order. */
static int copy_key_cmp(const copy_key *x, const copy_key *y, const copy_ctx *c)
{
    for (int h = 0; h < 2; h++)
        if (x->head[h] != y->head[h])
            return x->head[h] < y->head[h] ? -1 : 1;
    if (c->nt > 16) {
        int d =
            memcmp(copy_vec(c->m, x->row) + 16, copy_vec(c->m, y->row) + 16, (size_t)c->nt - 16);
        if (d)
            return d;
    }
    if (x->school != y->school)
        return x->school < y->school ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

/* Merge sort of keys[0..n) (tmp: room for n), runs of 16 by insertion first: the comparison is
 * inlined and the keys move as structs, which qsort_r does neither of. */
static void copy_key_sort(copy_key *keys, copy_key *tmp, size_t n, const copy_ctx *c)
{
    enum { RUN = 16 };
    for (size_t lo = 0; lo < n; lo += RUN) {
        size_t hi = lo + RUN < n ? lo + RUN : n;
        for (size_t i = lo + 1; i < hi; i++) {
            copy_key k = keys[i];
            size_t j = i;
            for (; j > lo && copy_key_cmp(&k, &keys[j - 1], c) < 0; j--)
                keys[j] = keys[j - 1];
            keys[j] = k;
        }
    }
    copy_key *src = keys, *dst = tmp;
    for (size_t w = RUN; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                dst[k++] = copy_key_cmp(&src[j], &src[i], c) < 0 ? src[j++] : src[i++];
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        copy_key *t = src;
        src = dst;
        dst = t;
    }
    if (src != keys)
        memcpy(keys, src, n * sizeof *keys);
}

/* Counts of one procedure: rows[0..n) (reordered) become the accumulators acc[school].
 * Scratch: by_total[0..max_total] — pupils of the municipality with each total, and
 * in_school[0..max_total] (zero on entry and on return); keys[n], tmp[n]; start[nschools + 2]. */
static void copy_count(const model *m, int32_t p, size_t *rows, size_t n, copy_acc *acc,
                       int *by_total, int *in_school, int max_total, copy_key *keys, copy_key *tmp,
                       size_t *start)
{
    int tmax[64];
    copy_ctx cx = {m, m->procs[p].ntasks};
    obj_task_max(m, p, rows, n, tmax);
    for (int t = 0; t <= max_total; t++)
        by_total[t] = 0;
    for (size_t k = 0; k < n; k++) {
        const uint8_t *v = copy_vec(m, rows[k]);
        copy_key *y = &keys[k];
        y->head[0] = y->head[1] = 0;
        for (int t = 0; t < 16; t++)
            y->head[t / 8] = y->head[t / 8] << 8 | (t < cx.nt ? v[t] : 0);
        y->school = m->res.school[rows[k]];
        y->total = (int16_t)copy_total(m, rows[k], cx.nt);
        y->row = (uint32_t)rows[k];
        y->same = 0;
        y->trivial = (uint8_t)copy_trivial(v, tmax, cx.nt);
        acc[keys[k].school].n++;
        by_total[keys[k].total]++;
    }
    /* pupils of the same school and total, carried by each row's key: the keys bucketed by
     * school (a counting sort into tmp), then each school's totals counted — no sort needed,
     * and the order by vector below is total, so the bucket order does not change it */
    size_t ns = m->nschools + 1;
    start[0] = 0;
    for (size_t s = 0; s < ns; s++)
        start[s + 1] = start[s] + (size_t)acc[s].n;
    for (size_t k = 0; k < n; k++)
        tmp[start[keys[k].school]++] = keys[k];
    for (size_t a = 0; a < n;) {
        size_t b = a;
        while (b < n && tmp[b].school == tmp[a].school)
            in_school[tmp[b++].total]++;
        for (size_t k = a; k < b; k++)
            tmp[k].same = in_school[tmp[k].total];
        for (size_t k = a; k < b; k++)
            in_school[tmp[k].total] = 0;
        a = b;
    }
    copy_key *t = keys;
    keys = tmp;
    tmp = t;
    copy_key_sort(keys, tmp, n, &cx);
    for (size_t k = 0; k < n; k++)
        rows[k] = keys[k].row;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && keys[j].head[0] == keys[i].head[0] && keys[j].head[1] == keys[i].head[1] &&
               (cx.nt <= 16 ||
                !memcmp(copy_vec(m, rows[i]) + 16, copy_vec(m, rows[j]) + 16, (size_t)cx.nt - 16)))
            j++;
        /* rows[i..j): one vector (so one total), sorted by school */
        int total = keys[i].total;
        if (!keys[i].trivial) {
            for (size_t a = i; a < j;) {
                size_t b = a;
                int32_t s = keys[a].school;
                while (b < j && keys[b].school == s)
                    b++;
                long cs = (long)(b - a), cv = (long)(j - i);
                int same = keys[a].same;
                copy_acc *x = &acc[s];
                /* a total nobody outside the school has: no evidence either way, every pupil
                 * of that total is taken to match (f = 1) */
                double outside = (double)by_total[total] - same;
                double fv = outside > 0 ? (double)(cv - cs) / outside : 1;
                x->expected += 0.5 * (double)cs * (same - 1) * fv;
                if (cs >= 2) {
                    x->pairs += cs * (cs - 1) / 2;
                    x->pupils += (int)cs;
                }
                a = b;
            }
        }
        i = j;
    }
}

int obj_identical_tasks(const model *m, int year, const meth_file *f, json_t *signs, msk_err *err)
{
    static const char *dflt[] = {"VPR:*:*"};
    copy_cfg c;
    int rc = -1;
    char *sel = msk_calloc(m->nprocs + 1, 1);
    size_t *rows = msk_malloc((m->res.n + 1) * sizeof *rows);
    copy_acc *acc = msk_malloc((m->nschools + 1) * sizeof *acc);
    int *by_total = msk_malloc((64 * 255 + 1) * sizeof *by_total);
    int *in_school = msk_calloc(64 * 255 + 1, sizeof *in_school);
    size_t *start = msk_malloc((m->nschools + 2) * sizeof *start);
    copy_key *keys = NULL, *tmp = NULL;
    if (copy_read_cfg(f, &c, err) ||
        obj_section_procs(m, year, f, "identical_tasks", dflt, 1, sel, err))
        goto out;
    size_t n = obj_task_rows(m, sel, rows), most = 1;
    for (size_t i = 0, j = 0; i < n; i = j) { /* the keys of the largest procedure */
        while (j < n && m->res.proc[rows[j]] == m->res.proc[rows[i]])
            j++;
        most = j - i > most ? j - i : most;
    }
    keys = msk_reallocarray(NULL, most, sizeof *keys);
    tmp = msk_reallocarray(NULL, most, sizeof *tmp);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        int32_t p = m->res.proc[rows[i]];
        while (j < n && m->res.proc[rows[j]] == p)
            j++;
        memset(acc, 0, (m->nschools + 1) * sizeof *acc);
        if (m->procs[p].ntasks <= 64 && m->res.n <= UINT32_MAX)
            copy_count(m, p, rows + i, j - i, acc, by_total, in_school, 64 * 255, keys, tmp, start);
        for (size_t s = 0; s < m->nschools; s++) {
            const copy_acc *a = &acc[s];
            if (a->n < c.min_participants || a->pupils < c.min_pupils ||
                (double)a->pupils < c.min_share * a->n)
                continue;
            double pv = copy_poisson_tail((int)a->pairs, a->expected);
            if (!(pv < c.alpha))
                continue;
            if (obj_add_sign(signs, m->schools[s].code, copy_sign(&m->procs[p], a, pv, &c))) {
                msk_error(err, "не хватает памяти");
                goto out;
            }
        }
        i = j;
    }
    rc = 0;
out:
    free(sel);
    free(rows);
    free(acc);
    free(by_total);
    free(in_school);
    free(start);
    free(keys);
    free(tmp);
    return rc;
}
