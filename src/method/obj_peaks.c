/*
 * Sign 4 of non-objective results (METHODS.md §2.4): peaks at mark boundaries, after the
 * bunching estimator of Dee, Dobbie, Jacob & Rockoff (2019). For each procedure and cut-off c
 * (lowest primary score of «3», «4»):
 *  - the municipal histogram h(x) of primary scores (integer bins 0..max, main-period
 *    participants only) is fitted by least squares with a polynomial of degree d (default 3)
 *    on bins within c ± R (default 6) EXCLUDING the window [c − w_below, c + w_above]
 *    (default [c − 2, c]: the scores a marker "pulls up" from and the cut-off itself). The fit
 *    is the counterfactual smooth shape without manipulation; fewer than d + 2 bins outside
 *    the window → the cut-off is skipped (the curve would interpolate, not smooth);
 *  - p = f(c) / N is the fitted share of pupils at exactly c; a school with n pupils expects
 *    n·p there. Its count at c, X, is a sum of n independent pupils each landing on c with
 *    probability p under "no manipulation", so X ~ Binomial(n, p) and the one-sided p-value is
 *    P(X ≥ observed), summed over the pmf in log space (lgamma) so large n cannot underflow.
 * A sign needs the excess share (observed − n·p)/n ≥ min_excess, p-value < alpha and
 * n ≥ min_participants: significance alone flags big schools for tiny excesses, size alone
 * flags small schools by chance.
 */
#include "method/obj_common.h"
#include "method/objectivity.h"
#include "method/shnor.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PEAKS_MAX_PROCS = 32, PEAKS_MAX_DEGREE = 5, PEAKS_MAX_SCORE = 1000 };

typedef struct peaks_cfg {
    shnor_proc_key procs[PEAKS_MAX_PROCS];
    size_t nprocs;
    int marks[2]; /* which cut-offs: 3 → cut3, 4 → cut4 */
    size_t nmarks;
    long w_below, w_above, range, degree, min_participants;
    double min_excess, alpha;
} peaks_cfg;

static int peaks_read_cfg(const meth_file *f, peaks_cfg *c, msk_err *err)
{
    static const char *known[] = {"procedures",   "marks",     "window_below",
                                  "window_above", "fit_range", "degree",
                                  "min_excess",   "alpha",     "min_participants"};
    static const char *dflt[] = {"VPR:math:4", "VPR:math:5", "VPR:rus:4", "VPR:rus:5"};
    const char *sec = "boundary_peaks";
    const char *items[PEAKS_MAX_PROCS + 1];
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < sizeof dflt / sizeof dflt[0]; i++)
        shnor_parse_proc(dflt[i], &c->procs[i]);
    c->nprocs = sizeof dflt / sizeof dflt[0];
    c->marks[0] = 3;
    c->marks[1] = 4;
    c->nmarks = 2;
    c->w_below = 2;
    c->w_above = 0;
    c->range = 6;
    c->degree = 3;
    c->min_participants = 15;
    c->min_excess = 0.05;
    c->alpha = 0.01;
    if (!f)
        return 0;
    if (meth_check_keys(f, sec, known, sizeof known / sizeof known[0], err))
        return -1;
    if (meth_get(f, sec, "procedures")) {
        size_t n = meth_list(f, sec, "procedures", items, PEAKS_MAX_PROCS + 1);
        if (n == 0 || n > PEAKS_MAX_PROCS)
            return msk_error_at(err, obj_fname(f), 0, 0,
                                "[boundary_peaks] procedures: нужен список от 1 до %d процедур",
                                PEAKS_MAX_PROCS);
        for (size_t i = 0; i < n; i++)
            if (shnor_parse_proc(items[i], &c->procs[i]))
                return msk_error_at(err, obj_fname(f), 0, 0,
                                    "[boundary_peaks] procedures: «%s» не понято — пишите "
                                    "ВИД:предмет:класс, например VPR:math:4",
                                    items[i]);
        c->nprocs = n;
    }
    if (meth_get(f, sec, "marks")) {
        size_t n = meth_list(f, sec, "marks", items, 3);
        if (n == 0 || n > 2)
            return msk_error_at(err, obj_fname(f), 0, 0,
                                "[boundary_peaks] marks: перечислите 3, 4 или обе");
        for (size_t i = 0; i < n; i++) {
            if (strcmp(items[i], "3") != 0 && strcmp(items[i], "4") != 0)
                return msk_error_at(err, obj_fname(f), 0, 0,
                                    "[boundary_peaks] marks: «%s» — допустимы отметки 3 и 4",
                                    items[i]);
            c->marks[i] = items[i][0] - '0';
        }
        c->nmarks = n;
    }
    if (meth_int(f, sec, "window_below", 2, &c->w_below, err) ||
        meth_int(f, sec, "window_above", 0, &c->w_above, err) ||
        meth_int(f, sec, "fit_range", 6, &c->range, err) ||
        meth_int(f, sec, "degree", 3, &c->degree, err) ||
        meth_int(f, sec, "min_participants", 15, &c->min_participants, err) ||
        meth_num(f, sec, "min_excess", 0.05, &c->min_excess, err) ||
        meth_num(f, sec, "alpha", 0.01, &c->alpha, err))
        return -1;
    if (c->w_below < 0 || c->w_above < 0 || c->range <= c->w_below || c->range <= c->w_above ||
        c->range > PEAKS_MAX_SCORE)
        return msk_error_at(err, obj_fname(f), 0, 0,
                            "[boundary_peaks] window_below и window_above не меньше 0, "
                            "fit_range больше каждого из них");
    if (c->degree < 0 || c->degree > PEAKS_MAX_DEGREE)
        return msk_error_at(err, obj_fname(f), 0, 0,
                            "[boundary_peaks] degree: степень многочлена от 0 до %d",
                            PEAKS_MAX_DEGREE);
    if (c->min_participants < 1 || !(c->min_excess >= 0 && c->min_excess <= 1) ||
        !(c->alpha > 0 && c->alpha <= 1))
        return msk_error_at(err, obj_fname(f), 0, 0,
                            "[boundary_peaks] min_participants не меньше 1, min_excess от 0 до "
                            "1, alpha больше 0 и не больше 1");
    return 0;
}

/* P(X ≥ k) for X ~ Binomial(n, p): terms exp(ln C(n,j) + j ln p + (n−j) ln(1−p)) summed from the
 * largest down (log-sum-exp), so neither a huge n nor a tiny tail underflows midway. */
static double peaks_binom_tail(int n, int k, double p)
{
    if (k <= 0)
        return 1.0;
    if (k > n)
        return 0.0;
    if (p <= 0)
        return 0.0;
    if (p >= 1)
        return 1.0;
    double lp = log(p), lq = log1p(-p), lnf = lgamma(n + 1.0);
    double mx = -INFINITY;
    for (int j = k; j <= n; j++) {
        double t = lnf - lgamma(j + 1.0) - lgamma(n - j + 1.0) + j * lp + (n - j) * lq;
        if (t > mx)
            mx = t;
    }
    double s = 0;
    for (int j = k; j <= n; j++)
        s += exp(lnf - lgamma(j + 1.0) - lgamma(n - j + 1.0) + j * lp + (n - j) * lq - mx);
    double r = exp(mx + log(s));
    return r > 1.0 ? 1.0 : r;
}

/* Least squares polynomial of degree d through (t[i], y[i]), i < n: normal equations solved by
 * Gaussian elimination with partial pivoting (d ≤ 5 and t scaled to [−1, 1] keep them well
 * conditioned). Returns 0, or -1 when singular. */
static int peaks_polyfit(const double *t, const double *y, size_t n, int d, double *coef)
{
    double a[PEAKS_MAX_DEGREE + 1][PEAKS_MAX_DEGREE + 2] = {{0}};
    int m = d + 1;
    for (size_t i = 0; i < n; i++) {
        double pw[2 * PEAKS_MAX_DEGREE + 1];
        pw[0] = 1;
        for (int e = 1; e <= 2 * d; e++)
            pw[e] = pw[e - 1] * t[i];
        for (int r = 0; r < m; r++) {
            for (int col = 0; col < m; col++)
                a[r][col] += pw[r + col];
            a[r][m] += pw[r] * y[i];
        }
    }
    for (int col = 0; col < m; col++) {
        int piv = col;
        for (int r = col + 1; r < m; r++)
            if (fabs(a[r][col]) > fabs(a[piv][col]))
                piv = r;
        if (fabs(a[piv][col]) < 1e-12)
            return -1;
        if (piv != col)
            for (int k = 0; k <= m; k++) {
                double tmp = a[col][k];
                a[col][k] = a[piv][k];
                a[piv][k] = tmp;
            }
        for (int r = 0; r < m; r++) {
            if (r == col)
                continue;
            double fct = a[r][col] / a[col][col];
            for (int k = col; k <= m; k++)
                a[r][k] -= fct * a[col][k];
        }
    }
    for (int r = 0; r < m; r++)
        coef[r] = a[r][m] / a[r][r];
    return 0;
}

static double peaks_polyval(const double *coef, int d, double t)
{
    double v = 0;
    for (int e = d; e >= 0; e--)
        v = v * t + coef[e];
    return v;
}

/* The counterfactual count at every bin of [lo, hi] (fit[x − lo]) from the municipal histogram
 * h[0..max]. Returns 0, or -1 when the fit is skipped (too few bins, singular). */
static int peaks_fit(const int64_t *h, int max, int c, const peaks_cfg *cfg, int lo, int hi,
                     double *fit)
{
    double t[2 * PEAKS_MAX_SCORE + 2], y[2 * PEAKS_MAX_SCORE + 2], coef[PEAKS_MAX_DEGREE + 1];
    size_t n = 0;
    int wlo = c - (int)cfg->w_below, whi = c + (int)cfg->w_above;
    for (int x = lo; x <= hi; x++) {
        if (x >= wlo && x <= whi)
            continue;
        t[n] = (double)(x - c) / (double)cfg->range;
        y[n] = (double)h[x];
        n++;
    }
    if (n < (size_t)cfg->degree + 2)
        return -1;
    if (peaks_polyfit(t, y, n, (int)cfg->degree, coef))
        return -1;
    (void)max;
    for (int x = lo; x <= hi; x++)
        fit[x - lo] = peaks_polyval(coef, (int)cfg->degree, (double)(x - c) / (double)cfg->range);
    return 0;
}

typedef struct peaks_hit {
    int c, mark, n, observed;
    double expected, p, pvalue, expected_window;
    int wlo, whi;
} peaks_hit;

static json_t *peaks_sign(const model_proc *p, const peaks_hit *h)
{
    char ob[32], ex[32], exs[32], pv[48], text[900];
    shnor_pct((double)h->observed / h->n, ob, sizeof ob);
    obj_num_ru(h->expected, 1, ex, sizeof ex);
    shnor_pct(h->p, exs, sizeof exs);
    if (h->pvalue < 0.0001)
        snprintf(pv, sizeof pv, "меньше 0,0001");
    else
        obj_num_ru(h->pvalue, 4, pv, sizeof pv);
    snprintf(text, sizeof text,
             "%s, %s, %d класс, %d: ровно %d первичных баллов (нижняя граница отметки «%d») "
             "набрали %d из %d участников (%s %%), а по сглаженному распределению муниципалитета "
             "ожидалось %s (%s %%); вероятность получить столько или больше случайно — %s "
             "(биномиальный критерий). Избыток работ ровно на границе отметки — признак "
             "возможной «дотяжки» баллов при проверке",
             shnor_kind_ru(p->kind), shnor_subject_ru(p->subject), p->grade, p->year, h->c, h->mark,
             h->observed, h->n, ob, ex, exs, pv);
    return json_pack("{s:s, s:s, s:s, s:i, s:f, s:f, s:s, s:i, s:i, s:i, s:i, s:f, s:f, s:f, "
                     "s:[i,i], s:f}",
                     "sign", "boundary_peaks", "kind", p->kind, "subject", p->subject, "grade",
                     p->grade, "value", shnor_round4((double)h->observed / h->n), "threshold",
                     shnor_round4(h->p), "text", text, "cut", h->c, "mark", h->mark, "participants",
                     h->n, "observed", h->observed, "expected", shnor_round4(h->expected),
                     "excess_share", shnor_round4((h->observed - h->expected) / h->n), "p_value",
                     h->pvalue, "window", h->wlo, h->whi, "expected_window",
                     shnor_round4(h->expected_window));
}

/* One procedure: histograms, then every cut-off, then every school. */
static int peaks_proc(const model *m, int32_t pi, const peaks_cfg *cfg, json_t *signs, msk_err *err)
{
    const model_proc *p = &m->procs[pi];
    if (!(p->max_primary >= 1) || p->max_primary > PEAKS_MAX_SCORE)
        return 0; /* no scale: no bins */
    int max = (int)floor(p->max_primary), nb = max + 1, rc = -1;
    size_t ns = m->nschools;
    int64_t *muni = calloc((size_t)nb, sizeof *muni);
    int *sh = ns ? calloc(ns * (size_t)nb, sizeof *sh) : NULL; /* ns·nb: small, ≤ 1001·ns */
    int *sn = calloc(ns + 1, sizeof *sn);
    double *fit = malloc((size_t)(2 * cfg->range + 1) * sizeof *fit);
    if (!muni || (ns && !sh) || !sn || !fit) {
        msk_error(err, "не хватает памяти");
        goto out;
    }
    int64_t total = 0;
    const model_results *r = &m->res;
    for (size_t i = 0; i < r->n; i++) {
        if (r->proc[i] != pi)
            continue;
        /* seed 002 §2.1: only the first, main-period result; absentees did not sit */
        if (r->flags[i] & (MODEL_ABSENT | MODEL_RETAKE | MODEL_PAST_GRADUATE))
            continue;
        double v = r->primary[i];
        if (isnan(v) || v < 0 || v > max + 0.5)
            continue;
        int x = (int)lround(v);
        if (x > max)
            continue;
        muni[x]++;
        total++;
        sh[(size_t)r->school[i] * (size_t)nb + (size_t)x]++;
        sn[r->school[i]]++;
    }
    if (total == 0) {
        rc = 0;
        goto out;
    }
    for (size_t k = 0; k < cfg->nmarks; k++) {
        double cut = cfg->marks[k] == 3 ? p->cut3 : p->cut4;
        if (isnan(cut) || cut < 0 || cut > max)
            continue;
        int c = (int)lround(cut);
        int lo = c - (int)cfg->range < 0 ? 0 : c - (int)cfg->range;
        int hi = c + (int)cfg->range > max ? max : c + (int)cfg->range;
        if (peaks_fit(muni, max, c, cfg, lo, hi, fit))
            continue;
        int wlo = c - (int)cfg->w_below < lo ? lo : c - (int)cfg->w_below;
        int whi = c + (int)cfg->w_above > hi ? hi : c + (int)cfg->w_above;
        double pc = fit[c - lo] / (double)total;
        if (!(pc > 0) || pc >= 1)
            continue; /* the smooth curve puts nobody at c: nothing to test against */
        double pw = 0;
        for (int x = wlo; x <= whi; x++)
            pw += fit[x - lo] > 0 ? fit[x - lo] : 0;
        pw /= (double)total;
        for (size_t s = 0; s < ns; s++) {
            int n = sn[s];
            if (n < cfg->min_participants)
                continue;
            int obs = sh[s * (size_t)nb + (size_t)c];
            double expc = n * pc;
            if ((obs - expc) / n < cfg->min_excess - 1e-12)
                continue;
            double pv = peaks_binom_tail(n, obs, pc);
            if (!(pv < cfg->alpha))
                continue;
            peaks_hit h = {c, cfg->marks[k], n, obs, expc, pc, pv, n * pw, wlo, whi};
            if (obj_add_sign(signs, m->schools[s].code, peaks_sign(p, &h))) {
                msk_error(err, "не хватает памяти");
                goto out;
            }
        }
    }
    rc = 0;
out:
    free(muni);
    free(sh);
    free(sn);
    free(fit);
    return rc;
}

int obj_boundary_peaks(const model *m, int year, const meth_file *f, json_t *signs, msk_err *err)
{
    peaks_cfg cfg;
    if (peaks_read_cfg(f, &cfg, err))
        return -1;
    for (size_t k = 0; k < cfg.nprocs; k++)
        for (size_t pi = 0; pi < m->nprocs; pi++) {
            if (m->procs[pi].year != year || !shnor_proc_matches(&cfg.procs[k], &m->procs[pi]))
                continue;
            /* a procedure matched by an earlier item of the list is done already */
            size_t j = 0;
            while (j < k && !shnor_proc_matches(&cfg.procs[j], &m->procs[pi]))
                j++;
            if (j < k)
                continue;
            if (peaks_proc(m, (int32_t)pi, &cfg, signs, err))
                return -1;
        }
    return 0;
}
