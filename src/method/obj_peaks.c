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
 *  - q = f(c) / Σ f(x) over the window is the fitted share, among works inside the window,
 *    of those exactly at c. A school with m works in the window expects m·q at c; its count X
 *    is a sum of m pupils each landing on c with probability q under "no manipulation", so
 *    X ~ Binomial(m, q). The share is taken inside the window, not over all participants: a
 *    weak school has its «3» cut-off in the middle of its own distribution, so against all its
 *    participants it shows "too many" works at c with no manipulation at all (on the demo
 *    municipalities this flagged up to 6 low-result schools each). Inside a window of three
 *    scores the level matters less but still a little: a strong school has its «4» cut-off
 *    on the rising side of its own distribution. So the curve is tilted for each school by
 *    its own slope around the cut-off, estimated outside the window (peaks_tilt); that
 *    removed the last false signs on the demo municipalities (two gymnasia).
 *  - One decision per school over all its cut-offs (procedures × marks): the sum of its counts
 *    at the cut-offs against the sum of the expected ones, whose exact tail under "no
 *    manipulation" is the tail of a sum of binomials (see obj_boundary_peaks for why not one
 *    test per cut-off). Binomial tails are summed in log space (lgamma) so large m cannot
 *    underflow.
 * A sign needs the pooled p-value < alpha, the pooled excess (observed − expected) ≥ min_excess
 * of the school's window works, and n ≥ min_participants in the procedure: significance alone
 * flags big schools for tiny excesses, size alone flags small schools by chance.
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

/* lgamma sets the global signgam: lgamma_r keeps the sign to itself, so analyses running in the
 * web server's threads at once do not race (found by a ThreadSanitizer run, issue 13). */
static double log_gamma(double x)
{
    int sign;
    return lgamma_r(x, &sign);
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
    double lp = log(p), lq = log1p(-p), lnf = log_gamma(n + 1.0);
    double mx = -INFINITY;
    for (int j = k; j <= n; j++) {
        double t = lnf - log_gamma(j + 1.0) - log_gamma(n - j + 1.0) + j * lp + (n - j) * lq;
        if (t > mx)
            mx = t;
    }
    double s = 0;
    for (int j = k; j <= n; j++)
        s += exp(lnf - log_gamma(j + 1.0) - log_gamma(n - j + 1.0) + j * lp + (n - j) * lq - mx);
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

/* One (procedure, cut-off, school) count: the school's works inside the window [wlo, whi], how
 * many of them sit exactly on the cut-off c, and how many the smooth curve expects there. */
typedef struct peaks_hit {
    int32_t proc, school;
    int c, mark, n, nwin, observed, wlo, whi;
    double q, expected, pvalue, tilt;
} peaks_hit;

/* The school's cut-offs together: what the decision rests on. */
typedef struct peaks_pool {
    int tests, observed, nwin;
    double expected, pvalue;
} peaks_pool;

/* Every count of the run: kept until all procedures are done, because a school is decided on
 * all its cut-offs together. */
typedef struct peaks_run {
    peaks_hit *hit;
    size_t n, cap;
} peaks_run;

static json_t *peaks_sign(const model_proc *p, const peaks_hit *h, const peaks_pool *pl,
                          double alpha)
{
    char ob[32], ex[32], exs[32], pex[32], pv[48], al[32], text[1400];
    shnor_pct((double)h->observed / h->nwin, ob, sizeof ob);
    obj_num_ru(h->expected, 1, ex, sizeof ex);
    shnor_pct(h->q, exs, sizeof exs);
    obj_num_ru(pl->expected, 1, pex, sizeof pex);
    if (pl->pvalue < 0.0001)
        snprintf(pv, sizeof pv, "меньше 0,0001");
    else
        obj_num_ru(pl->pvalue, 4, pv, sizeof pv);
    obj_num_ru(alpha, 4, al, sizeof al);
    snprintf(text, sizeof text,
             "%s, %s, %d класс, %d: из %d %s с первичным баллом от %d до %d ровно %d %s "
             "(нижняя граница отметки «%d») у %d (%s %%), а по сглаженному распределению "
             "муниципалитета ожидалось %s (%s %%). По всем проверенным границам отметок школы "
             "(%d) на самой границе %d работ из %d при ожидаемых %s; вероятность получить "
             "столько или больше случайно — %s (порог %s). Избыток работ ровно на границе "
             "отметки за счёт работ на балл-два ниже — признак возможной «дотяжки» баллов при "
             "проверке",
             shnor_kind_ru(p->kind), shnor_subject_ru(p->subject), p->grade, p->year, h->nwin,
             fmt_plural(h->nwin, "работы", "работ", "работ"), h->wlo, h->whi, h->c,
             fmt_plural(h->c, "балл", "балла", "баллов"), h->mark, h->observed, ob, ex, exs,
             pl->tests, pl->observed, pl->nwin, pex, pv, al);
    return json_pack("{s:s, s:s, s:s, s:i, s:f, s:f, s:s, s:i, s:i, s:i, s:i, s:i, s:f, s:f, "
                     "s:f, s:[i,i], s:f, s:{s:i, s:i, s:i, s:f, s:f}}",
                     "sign", "boundary_peaks", "kind", p->kind, "subject", p->subject, "grade",
                     p->grade, "value", shnor_round4((double)h->observed / h->nwin), "threshold",
                     shnor_round4(h->q), "text", text, "cut", h->c, "mark", h->mark, "participants",
                     h->n, "window_works", h->nwin, "observed", h->observed, "expected",
                     shnor_round4(h->expected), "excess_share",
                     shnor_round4((h->observed - h->expected) / h->n), "p_value", h->pvalue,
                     "window", h->wlo, h->whi, "tilt", shnor_round4(h->tilt), "school_total",
                     "tests", pl->tests, "observed", pl->observed, "window_works", pl->nwin,
                     "expected", shnor_round4(pl->expected), "p_value", pl->pvalue);
}

static int peaks_keep(peaks_run *run, const peaks_hit *h)
{
    if (run->n == run->cap) {
        size_t cap = run->cap ? 2 * run->cap : 64;
        run->hit = msk_realloc(run->hit, cap * sizeof *run->hit);
        run->cap = cap;
    }
    run->hit[run->n++] = *h;
    return 0;
}

/* The school's own slope around the cut-off: its counts y(x) on the bins of [lo, hi] outside
 * the window are modelled as A·f(x)·e^{b(x − c)} — the municipal curve tilted — and b is the
 * Poisson maximum-likelihood estimate: the tilted curve's mean of (x − c) equals the school's.
 * That mean grows with b, so bisection on [−1, 1] finds it (|b| = 1 is a factor e per score,
 * beyond any school seen). A strong school has its «4» cut-off on the rising side of its own
 * distribution, so more of its window works sit on the cut-off than the municipal curve says;
 * the tilt gives the school its own expectation inside the window. Works inside the window —
 * where a marker's pull-up happens — do not enter the estimate. No works outside → b = 0. */
static double peaks_tilt(const int *y, const double *fit, int lo, int hi, int c, int wlo, int whi)
{
    double sy = 0, sty = 0;
    for (int x = lo; x <= hi; x++) {
        if ((x >= wlo && x <= whi) || !(fit[x - lo] > 0))
            continue;
        sy += y[x];
        sty += (double)y[x] * (x - c);
    }
    if (sy <= 0)
        return 0;
    double target = sty / sy, blo = -1, bhi = 1;
    for (int it = 0; it < 50; it++) {
        double b = (blo + bhi) / 2, sw = 0, stw = 0;
        for (int x = lo; x <= hi; x++) {
            if ((x >= wlo && x <= whi) || !(fit[x - lo] > 0))
                continue;
            double w = fit[x - lo] * exp(b * (x - c));
            sw += w;
            stw += w * (x - c);
        }
        if (sw > 0 && stw / sw < target)
            blo = b;
        else
            bhi = b;
    }
    return (blo + bhi) / 2;
}

/* One procedure: histograms, then every cut-off, then every school; the counts go to run. */
static int peaks_proc(const model *m, int32_t pi, const peaks_cfg *cfg, peaks_run *run,
                      msk_err *err)
{
    const model_proc *p = &m->procs[pi];
    if (!(p->max_primary >= 1) || p->max_primary > PEAKS_MAX_SCORE)
        return 0; /* no scale: no bins */
    int max = (int)floor(p->max_primary), nb = max + 1, rc = -1;
    size_t ns = m->nschools;
    int64_t *muni = msk_calloc((size_t)nb, sizeof *muni);
    int *sh = ns ? msk_calloc(ns * (size_t)nb, sizeof *sh) : NULL; /* ns·nb: small, ≤ 1001·ns */
    int *sn = msk_calloc(ns + 1, sizeof *sn);
    double *fit = msk_malloc((size_t)(2 * cfg->range + 1) * sizeof *fit);
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
        /* the window's share of the smooth curve; nothing to test against when it is empty */
        double fw = 0;
        for (int x = wlo; x <= whi; x++)
            fw += fit[x - lo] > 0 ? fit[x - lo] : 0;
        if (!(fw > 0) || !(fit[c - lo] > 0) || wlo == whi)
            continue;
        for (size_t s = 0; s < ns; s++) {
            int n = sn[s], nwin = 0;
            const int *y = sh + s * (size_t)nb;
            if (n < cfg->min_participants)
                continue;
            for (int x = wlo; x <= whi; x++)
                nwin += y[x];
            if (nwin == 0)
                continue;
            /* q: of the school's works inside the window, the share the (tilted) smooth curve
             * puts exactly at c */
            double b = peaks_tilt(y, fit, lo, hi, c, wlo, whi), tw = 0;
            for (int x = wlo; x <= whi; x++)
                tw += fit[x - lo] > 0 ? fit[x - lo] * exp(b * (x - c)) : 0;
            double q = fit[c - lo] / tw;
            if (!(q > 0) || q >= 1)
                continue;
            int obs = y[c];
            peaks_hit h = {pi,  (int32_t)s, c,        cfg->marks[k],
                           n,   nwin,       obs,      wlo,
                           whi, q,          nwin * q, peaks_binom_tail(nwin, obs, q),
                           b};
            if (peaks_keep(run, &h)) {
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

/* P(X ≥ k) for X = Σ Binomial(n_j, q_j) over the counts h[0..nh): the exact distribution by
 * convolving the binomials one after another (Σ n_j is the school's works near its cut-offs:
 * hundreds at most, so O((Σ n_j)²) is nothing). Returns -1 without memory. */
static int peaks_pool_tail(const peaks_hit *h, size_t nh, int k, double *out)
{
    int total = 0;
    for (size_t j = 0; j < nh; j++)
        total += h[j].nwin;
    double *dist = msk_calloc((size_t)total + 1, sizeof *dist);
    double *next = msk_calloc((size_t)total + 1, sizeof *next);
    double *pmf = msk_calloc((size_t)total + 1, sizeof *pmf);
    int top = 0;
    dist[0] = 1;
    for (size_t j = 0; j < nh; j++) {
        int n = h[j].nwin;
        double lq = log(h[j].q), lr = log1p(-h[j].q), lnf = log_gamma(n + 1.0);
        for (int i = 0; i <= n; i++)
            pmf[i] = exp(lnf - log_gamma(i + 1.0) - log_gamma(n - i + 1.0) + i * lq + (n - i) * lr);
        for (int x = 0; x <= top + n; x++)
            next[x] = 0;
        for (int a = 0; a <= top; a++)
            for (int i = 0; i <= n; i++)
                next[a + i] += dist[a] * pmf[i];
        top += n;
        memcpy(dist, next, sizeof *dist * ((size_t)top + 1));
    }
    double s = 0;
    for (int x = top; x >= k && x >= 0; x--) /* smallest terms first */
        s += dist[x];
    *out = s > 1 ? 1 : s;
    free(dist);
    free(next);
    free(pmf);
    return 0;
}

static int peaks_by_school(const void *a, const void *b)
{
    const peaks_hit *x = a, *y = b;
    if (x->school != y->school)
        return x->school < y->school ? -1 : 1;
    return x->proc != y->proc ? (x->proc < y->proc ? -1 : 1) : (x->c > y->c) - (x->c < y->c);
}

int obj_boundary_peaks(const model *m, int year, const meth_file *f, json_t *signs, msk_err *err)
{
    peaks_cfg cfg;
    if (peaks_read_cfg(f, &cfg, err))
        return -1;
    peaks_run run = {NULL, 0, 0};
    int rc = -1;
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
            if (peaks_proc(m, (int32_t)pi, &cfg, &run, err))
                goto out;
        }
    /* One decision per school, on all its cut-offs together. Generous checking is a practice
     * of the school's markers, not of one cut-off: it shows at every boundary a little (the
     * window of one cut-off holds 3–15 works of a class of 50). Testing each of the 8
     * cut-offs (4 procedures × 2 marks) at alpha would flag a school with no manipulation at
     * all with a chance of up to 8·alpha — several schools "for nothing" in a municipality of
     * 60 — and a Bonferroni correction (alpha / 8 each) leaves the small windows no power.
     * The sum of the counts at the cut-offs is one test at alpha: under "no manipulation" it
     * is a sum of independent binomials, whose exact tail peaks_pool_tail computes. A sign also
     * needs the excess (observed − expected) to be at least min_excess of the school's works in
     * the windows: significance alone would flag a big school for a tiny excess. Shown are the
     * cut-offs that carry the excess (a work or more above the expected count). */
    if (run.n)
        qsort(run.hit, run.n, sizeof *run.hit, peaks_by_school);
    for (size_t i = 0; i < run.n;) {
        size_t j = i;
        peaks_pool pl = {0, 0, 0, 0, 1};
        while (j < run.n && run.hit[j].school == run.hit[i].school) {
            pl.tests++;
            pl.observed += run.hit[j].observed;
            pl.nwin += run.hit[j].nwin;
            pl.expected += run.hit[j].expected;
            j++;
        }
        /* the excess, as a share of the school's works near its cut-offs */
        double excess = pl.nwin ? (pl.observed - pl.expected) / pl.nwin : 0;
        if (excess >= cfg.min_excess - 1e-12 && excess > 0 &&
            peaks_pool_tail(run.hit + i, j - i, pl.observed, &pl.pvalue)) {
            msk_error(err, "не хватает памяти");
            goto out;
        }
        for (size_t k = i; pl.pvalue < cfg.alpha && k < j; k++) {
            const peaks_hit *h = &run.hit[k];
            if (!(h->observed - h->expected >= 1))
                continue; /* shown: the cut-offs that carry the excess, a work or more */
            if (obj_add_sign(signs, m->schools[h->school].code,
                             peaks_sign(&m->procs[h->proc], h, &pl, cfg.alpha))) {
                msk_error(err, "не хватает памяти");
                goto out;
            }
        }
        i = j;
    }
    rc = 0;
out:
    free(run.hit);
    return rc;
}
