/*
 * The objectivity coefficient from re-checked works (obj_coef.h; INVALSI, METHODS.md §2).
 */
#include "method/obj_coef.h"

#include "base/buf.h"
#include "base/fmt.h"
#include "base/mem.h"
#include "method/shnor.h"
#include "method/stat.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Decimal comma (UI.md): 0.8312 → "0,83". */
static void num2(double x, char *out, size_t outsz)
{
    snprintf(out, outsz, "%.2f", x);
    char *p = strchr(out, '.');
    if (p)
        *p = ',';
}

static json_t *real_or_null(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

static int mark_by_cuts(const model_proc *p, double primary)
{
    return primary >= p->cut5 ? 5 : primary >= p->cut4 ? 4 : primary >= p->cut3 ? 3 : 2;
}

/* Mean primary score, share of «4»–«5» and share of «2» of the school's first-attempt present
 * participants of procedure q, every score × k (k = 1: the raw results). */
static json_t *results_of(const model *m, int32_t q, int32_t school, double k, int *participants)
{
    const model_proc *p = &m->procs[q];
    int cuts = isfinite(p->cut3) && isfinite(p->cut4) && isfinite(p->cut5);
    double sum = 0;
    int n = 0, hi = 0, two = 0;
    for (size_t i = 0; i < m->res.n; i++) {
        if (m->res.proc[i] != q || m->res.school[i] != school ||
            (m->res.flags[i] & (MODEL_ABSENT | MODEL_RETAKE | MODEL_PAST_GRADUATE)) ||
            isnan(m->res.primary[i]))
            continue;
        double x = (double)m->res.primary[i] * k;
        sum += x;
        n++;
        if (cuts) {
            int mk = mark_by_cuts(p, x);
            hi += mk >= 4;
            two += mk == 2;
        }
    }
    *participants = n;
    return json_pack("{s:o, s:o, s:o}", "mean_primary", n ? json_real(sum / n) : json_null(),
                     "share45", n && cuts ? json_real((double)hi / n) : json_null(), "share2",
                     n && cuts ? json_real((double)two / n) : json_null());
}

typedef struct coef {
    int works, scored, same;
    double sp, se_sum, ratio, se, weight, k, lo, hi;
} coef;

/* The coefficient of works w[0..n) of one school (obj_coef.h). */
static void coef_of(const obj_coef_work *w, size_t n, double n0, coef *c)
{
    memset(c, 0, sizeof *c);
    c->ratio = c->se = c->k = c->lo = c->hi = NAN;
    for (size_t i = 0; i < n; i++) {
        c->works++;
        if (w[i].school_mark && w[i].expert_mark) {
            c->scored++;
            c->same += w[i].school_mark == w[i].expert_mark;
        }
        if (isnan(w[i].school_primary) || isnan(w[i].expert_primary))
            continue;
        c->sp += w[i].school_primary;
        c->se_sum += w[i].expert_primary;
    }
    int np = 0;
    for (size_t i = 0; i < n; i++)
        np += !isnan(w[i].school_primary) && !isnan(w[i].expert_primary);
    if (np == 0 || c->sp <= 0)
        return;
    c->ratio = c->se_sum / c->sp;
    c->weight = np / (np + n0);
    c->k = 1 + c->weight * (c->ratio - 1);
    if (np < 2)
        return;
    double ss = 0, mean_p = c->sp / np;
    for (size_t i = 0; i < n; i++) {
        if (isnan(w[i].school_primary) || isnan(w[i].expert_primary))
            continue;
        double d = w[i].expert_primary - c->ratio * w[i].school_primary;
        ss += d * d;
    }
    c->se = sqrt(ss / (np - 1) / np) / mean_p;
    double t = stat_t975(np - 1);
    c->lo = 1 + c->weight * (c->ratio - t * c->se - 1);
    c->hi = 1 + c->weight * (c->ratio + t * c->se - 1);
    if (c->lo < 0)
        c->lo = 0;
}

static json_t *coef_text(const coef *c, int np)
{
    char k[16], lo[16], hi[16], inf[16];
    if (!isfinite(c->k))
        return json_string("перепроверены работы, но баллы школы по ним — нули или не известны: "
                           "коэффициент не вычисляется");
    num2(c->k, k, sizeof k);
    shnor_pct(fabs(1 - c->ratio), inf, sizeof inf);
    msk_buf b;
    msk_buf_init(&b, 0);
    msk_buf_printf(&b, "Коэффициент объективности %s", k);
    if (isfinite(c->lo)) {
        num2(c->lo, lo, sizeof lo);
        num2(c->hi, hi, sizeof hi);
        msk_buf_printf(&b, " (95 %% интервал %s–%s)", lo, hi);
    }
    char wt[16], conf[16];
    num2(c->weight, wt, sizeof wt);
    shnor_pct(c->ratio, conf, sizeof conf);
    msk_buf_printf(&b,
                   ": эксперты подтвердили %s %% баллов школы по %d %s (%s %s %%); коэффициент "
                   "сдвинут к 1 по числу работ (вес %s)",
                   conf, np,
                   fmt_plural(np, "перепроверенной работе", "перепроверенным работам",
                              "перепроверенным работам"),
                   c->ratio <= 1 ? "завышение" : "занижение", inf, wt);
    if (c->scored)
        msk_buf_printf(&b, "; отметка не изменилась у %d из %d", c->same, c->scored);
    json_t *j = json_string(b.data);
    msk_buf_release(&b);
    return j;
}

/* The corrected results of each procedure re-checked at the school: w[0..n) sorted by
 * procedure. */
static json_t *procs_of(const model *m, int year, int32_t school, const obj_coef_work *w, size_t n,
                        double k)
{
    json_t *out = json_array();
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && !strcmp(w[j].kind, w[i].kind) && !strcmp(w[j].subject, w[i].subject) &&
               w[j].grade == w[i].grade)
            j++;
        int32_t q = model_find_proc(m, year, w[i].kind, w[i].subject, w[i].grade);
        char key[64];
        snprintf(key, sizeof key, "%s:%s:%d", w[i].kind, w[i].subject, w[i].grade);
        if (q >= 0 && school >= 0) {
            int np = 0, nc = 0;
            json_t *raw = results_of(m, q, school, 1.0, &np);
            json_t *cor = isfinite(k) ? results_of(m, q, school, k, &nc) : json_null();
            json_array_append_new(out, json_pack("{s:s, s:s, s:i, s:s, s:i, s:i, s:o, s:o}", "kind",
                                                 w[i].kind, "subject", w[i].subject, "grade",
                                                 w[i].grade, "proc", key, "works", (int)(j - i),
                                                 "participants", np, "raw", raw, "corrected", cor));
        }
        i = j;
    }
    return out;
}

static int cmp_work(const void *a, const void *b)
{
    const obj_coef_work *x = a, *y = b;
    int c = strcmp(x->school, y->school);
    if (!c)
        c = strcmp(x->kind, y->kind);
    if (!c)
        c = strcmp(x->subject, y->subject);
    return c ? c : (x->grade > y->grade) - (x->grade < y->grade);
}

int obj_coef_run(const model *m, int year, const meth_file *f, const obj_coef_work *works, size_t n,
                 json_t **out, msk_err *err)
{
    static const char *const known[] = {"prior_works"};
    double n0 = 10;
    *out = NULL;
    if (meth_check_keys(f, "coefficient", known, 1, err) ||
        meth_num(f, "coefficient", "prior_works", 10, &n0, err))
        return -1;
    if (!(n0 >= 0) || n0 > 1000) {
        msk_error_at(err, meth_name(f), 0, 0, "[coefficient] prior_works: от 0 до 1000 работ");
        return -1;
    }
    /* by school, then procedure: each school's works and each procedure's are one run */
    obj_coef_work *w = msk_malloc((n ? n : 1) * sizeof *w);
    if (n)
        memcpy(w, works, n * sizeof *w);
    qsort(w, n, sizeof *w, cmp_work);
    json_t *schools = json_object();
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && !strcmp(w[j].school, w[i].school))
            j++;
        coef c;
        coef_of(w + i, j - i, n0, &c);
        int np = 0;
        for (size_t x = i; x < j; x++)
            np += !isnan(w[x].school_primary) && !isnan(w[x].expert_primary);
        if (np > 0) {
            int32_t s = model_find_school(m, w[i].school);
            json_t *o = json_pack(
                "{s:i, s:i, s:i, s:i, s:f, s:f, s:o, s:o, s:o, s:f, s:o, s:o, s:o, s:o}", "works",
                c.works, "works_primary", np, "works_scored", c.scored, "marks_same", c.same,
                "school_points", c.sp, "expert_points", c.se_sum, "ratio", real_or_null(c.ratio),
                "inflation", real_or_null(1 - c.ratio), "se", real_or_null(c.se), "weight",
                c.weight, "coefficient", real_or_null(c.k), "ci",
                isfinite(c.lo) ? json_pack("[f, f]", c.lo, c.hi) : json_null(), "text",
                coef_text(&c, np), "procedures", procs_of(m, year, s, w + i, j - i, c.k));
            json_object_set_new(schools, w[i].school, o);
        }
        i = j;
    }
    free(w);
    *out = json_pack("{s:f, s:s, s:b, s:o}", "prior_works", n0, "calibration", "recheck",
                     "observers", 0, "schools", schools);
    return 0;
}
