/*
 * «Надёжность вывода» (reliability.h): Wilson intervals, beta-binomial shrinkage and rank
 * ranges added to the lists the methods formed. A list is never changed: who is listed is the
 * act's rule (seed 002 §2.1, §3.2; seed 000 VII); the interval says how firmly the numbers
 * behind the verdict stand.
 */
#include "method/reliability.h"
#include "method/risk.h"
#include "method/shnor.h"
#include "method/stat.h"
#include "base/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void reliability_text(double lo, double hi, double threshold, int reliable, char *out, size_t outsz)
{
    char a[32], b[32], t[32];
    shnor_pct(lo, a, sizeof a);
    shnor_pct(hi, b, sizeof b);
    shnor_pct_short(threshold, t, sizeof t);
    if (reliable)
        snprintf(out, outsz, "надёжный: интервал %s–%s %% %s порога %s %%", a, b,
                 lo >= threshold ? "не ниже" : "ниже", t);
    else
        snprintf(out, outsz, "вывод ненадёжен: интервал %s–%s %% пересекает порог %s %%", a, b, t);
}

/* Beta priors of the failed share of every procedure, by moments over its schools' cells
 * (the cells are sorted by procedure). */
typedef struct prior {
    double a, b;
} prior;

static prior *failed_priors(const model *m)
{
    prior *pr = msk_calloc(m->nprocs ? m->nprocs : 1, sizeof *pr);
    int *k = msk_malloc((m->ncells ? m->ncells : 1) * sizeof *k);
    int *n = msk_malloc((m->ncells ? m->ncells : 1) * sizeof *n);
    for (size_t i = 0; i < m->ncells;) {
        size_t j = i;
        int32_t p = m->cells[i].proc;
        size_t c = 0;
        for (; j < m->ncells && m->cells[j].proc == p; j++) {
            k[c] = m->cells[j].failed;
            n[c++] = m->cells[j].participants;
        }
        stat_beta_prior(k, n, c, &pr[p].a, &pr[p].b);
        i = j;
    }
    free(k);
    free(n);
    return pr;
}

static json_t *ci_json(double lo, double hi)
{
    return json_pack("[f, f]", shnor_round4(lo), shnor_round4(hi));
}

/* Interval, shrunken share and reliability of one counted share item (keys "participants",
 * "failed"); returns whether it is reliable. listed: the item met the rule. */
static int annotate_count(json_t *it, const prior *p, double thr, int listed, int strict)
{
    int n = (int)json_integer_value(json_object_get(it, "participants"));
    int k = (int)json_integer_value(json_object_get(it, "failed"));
    double lo, hi;
    char text[160];
    stat_wilson(k, n, &lo, &hi);
    int rel = stat_reliable(lo, hi, thr, listed, strict);
    json_object_set_new(it, "ci", ci_json(lo, hi));
    double sh = stat_beta_shrink(k, n, p ? p->a : 0, p ? p->b : 0);
    json_object_set_new(it, "shrunk", isnan(sh) ? json_null() : json_real(shnor_round4(sh)));
    json_object_set_new(it, "reliable", json_boolean(rel));
    reliability_text(lo, hi, thr, rel, text, sizeof text);
    json_object_set_new(it, "reliability", json_string(text));
    return rel;
}

static int32_t item_proc(const model *m, const json_t *it, int year)
{
    json_t *y = json_object_get(it, "year");
    return model_find_proc(m, y ? (int)json_integer_value(y) : year,
                           json_string_value(json_object_get(it, "kind")),
                           json_string_value(json_object_get(it, "subject")),
                           (int)json_integer_value(json_object_get(it, "grade")));
}

static void set_school_reliability(json_t *o, int reliable, const char *why, json_t *extra)
{
    json_t *r = json_pack("{s:b, s:s}", "reliable", reliable, "text", reliable ? "надёжный" : why);
    if (extra)
        json_object_set_new(r, "factors", extra);
    json_object_set_new(o, "reliability", r);
}

void reliability_shnor(const model *m, int year, const meth_file *f, json_t *list)
{
    double thr = 0.30;
    long rule_a_min = 2;
    msk_err ignore;
    /* the intervals below judge seed 002's criteria against low_share; the other acts' rules
     * (shnor_rules.c) carry their own thresholds per item and are left as they are */
    if (shnor_rule_kind(f) != SHNOR_RULE_002)
        return;
    const char *rb = f ? meth_get(f, "shnor", "rule_b") : NULL;
    int same = rb && strcmp(rb, "same") == 0;
    /* shnor_run has read these keys already: a bad value cannot get here */
    if (f && (meth_num(f, "shnor", "low_share", 0.30, &thr, &ignore) ||
              meth_int(f, "shnor", "rule_a_min", 2, &rule_a_min, &ignore)))
        return;
    prior *pr = failed_priors(m);
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o)
    {
        json_t *low = json_object_get(o, "low");
        const char *rule = json_string_value(json_object_get(o, "rule"));
        long ny = 0, np = 0, pair = 0;
        size_t k;
        json_t *it;
        json_array_foreach(low, k, it)
        {
            int32_t p = item_proc(m, it, year);
            int rel = annotate_count(it, p >= 0 ? &pr[p] : NULL, thr, 1, 0);
            int y = (int)json_integer_value(json_object_get(it, "year"));
            ny += rel && y == year;
            np += rel && y == year - 1;
        }
        if (same) { /* a reliable pair: the same procedure reliable in both years */
            size_t a, b;
            json_t *x, *z;
            json_array_foreach(low, a, x) json_array_foreach(low, b, z)
            {
                if (json_integer_value(json_object_get(x, "year")) == year - 1 &&
                    json_integer_value(json_object_get(z, "year")) == year &&
                    json_is_true(json_object_get(x, "reliable")) &&
                    json_is_true(json_object_get(z, "reliable")) &&
                    json_equal(json_object_get(x, "kind"), json_object_get(z, "kind")) &&
                    json_equal(json_object_get(x, "subject"), json_object_get(z, "subject")) &&
                    json_equal(json_object_get(x, "grade"), json_object_get(z, "grade")))
                    pair = 1;
            }
        } else {
            pair = ny > 0 && np > 0;
        }
        int ra = rule && strchr(rule, 'A') && ny >= rule_a_min;
        int rbok = rule && strchr(rule, 'B') && pair;
        char why[200];
        snprintf(why, sizeof why,
                 "вывод ненадёжен: интервал хотя бы одной процедуры, на которой держится "
                 "критерий, пересекает порог %.0f %%",
                 thr * 100);
        set_school_reliability(o, ra || rbok, why, NULL);
    }
    free(pr);
}

/* Interval of a share of the evidence (part of total) against a strict threshold: "<key>_ci"
 * and "<key>_reliable"; returns whether the listing by it is reliable (0 when absent). */
static int annotate_share(json_t *ev, const char *key, double total, double thr)
{
    json_t *v = json_object_get(ev, key);
    if (!json_is_number(v) || isnan(total) || total <= 0)
        return 0;
    int n = (int)lround(total), k = (int)lround(json_number_value(v) * total);
    double lo, hi;
    stat_wilson(k, n, &lo, &hi);
    int listed = json_number_value(v) > thr;
    int rel = stat_reliable(lo, hi, thr, listed, 1);
    char name[64];
    snprintf(name, sizeof name, "%s_ci", key);
    json_object_set_new(ev, name, ci_json(lo, hi));
    snprintf(name, sizeof name, "%s_reliable", key);
    json_object_set_new(ev, name, json_boolean(rel));
    return listed && rel;
}

static int has_factor(const json_t *o, const char *name)
{
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(o, "factors"), i,
                       f) if (strcmp(json_string_value(f), name) == 0) return 1;
    return 0;
}

void reliability_risk(const model *m, int year, const meth_file *f, json_t *list)
{
    double rs = 0.20, s36 = 0.10, sun = 0, cs = 0.10, fs = 0.10;
    long rmin = 2;
    int all = 0;
    msk_err ignore;
    if (risk_results_rule(f, &all, &ignore))
        return;
    if (f && (meth_num(f, "risk", "results_share", 0.20, &rs, &ignore) ||
              meth_num(f, "risk", "staff_36h_share", 0.10, &s36, &ignore) ||
              meth_num(f, "risk", "staff_unqualified_share", 0, &sun, &ignore) ||
              meth_num(f, "risk", "contingent_share", 0.10, &cs, &ignore) ||
              meth_num(f, "risk", "failing_share", 0.10, &fs, &ignore) ||
              meth_int(f, "risk", "results_min_count", 2, &rmin, &ignore)))
        return;
    prior *pr = failed_priors(m);
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o)
    {
        int32_t s = model_find_school(m, json_string_value(json_object_get(o, "school")));
        json_t *ev = json_object_get(o, "evidence");
        if (s < 0 || !ev)
            continue;
        long high = 0;
        size_t k;
        json_t *it;
        json_array_foreach(json_object_get(ev, "vpr_fail"), k, it)
        {
            int32_t p = item_proc(m, it, year);
            int listed = json_is_true(json_object_get(it, "high"));
            high += annotate_count(it, p >= 0 ? &pr[p] : NULL, rs, listed, 0) && listed;
        }
        double teachers = model_context(m, year, s, "teachers_total");
        double pupils = model_context(m, year, s, "pupils_total");
        int staff = annotate_share(ev, "teachers_36h_share", teachers, s36);
        staff |= annotate_share(ev, "teachers_unqualified_share", teachers, sun);
        int cont = annotate_share(ev, "contingent_share", pupils, cs);
        int fail = annotate_share(ev, "failing_share", pupils, fs);
        int res = all ? high >= rmin && fail : high >= rmin || fail; /* as risk_run decides */
        json_t *fr = json_object();
        int any = 0;
        static const char *const NAMES[] = {"material", "staff", "contingent", "results"};
        int ok[] = {1, staff, cont, res}; /* the material base is a fact, not a sample */
        for (int q = 0; q < 4; q++)
            if (has_factor(o, NAMES[q])) {
                json_object_set_new(fr, NAMES[q], json_boolean(ok[q]));
                any |= ok[q];
            }
        set_school_reliability(o, any,
                               "вывод ненадёжен: интервалы долей, по которым поставлены факторы, "
                               "пересекают пороги",
                               fr);
    }
    free(pr);
}

/* ---- rating: intervals of the shares and the rank range ---- */

typedef struct rt_share {
    size_t school;
    int num, den;
    const meth_band *bands;
    size_t nbands;
    double minp, maxp;
    size_t ind; /* index into the indicators' bands */
    json_t *e;  /* the share's evidence object */
} rt_share;

typedef struct rt_ind_bands {
    char id[64];
    meth_band b[32];
    size_t n;
    double minp, maxp;
} rt_ind_bands;

static double share_points(const rt_share *x, int num, int floor_pct)
{
    double pct =
        floor_pct ? (double)((100 * (int64_t)num) / x->den) : 100.0 * (double)num / (double)x->den;
    double p = meth_band_points(x->bands, x->nbands, pct, 0);
    return p < x->minp ? x->minp : p > x->maxp ? x->maxp : p;
}

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Rank of value x among the n values sorted descending: 1 + how many are strictly greater. */
static int rank_in(const double *desc, size_t n, double x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (desc[mid] > x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (int)lo + 1;
}

/* The shares of the rating's evidence: their bands from f, interval and shrunken value into the
 * evidence. Returns the number of shares in *out (caller frees), or -1. */
static long collect_shares(const meth_file *f, json_t *list, rt_ind_bands **binds, size_t *nb,
                           rt_share **out, msk_err *err)
{
    size_t cap = 64, n = 0;
    rt_share *sh = msk_malloc(cap * sizeof *sh);
    rt_ind_bands *bi = NULL;
    size_t nbi = 0;
    size_t i, hint = 0;
    json_t *o;
    json_array_foreach(list, i, o)
    {
        const char *key;
        json_t *e;
        json_object_foreach(json_object_get(o, "evidence"), key, e)
        {
            json_t *den = json_object_get(e, "den");
            if (!json_is_integer(den) || json_integer_value(den) <= 0)
                continue;
            /* the schools' evidence lists the indicators in one order: try the next first */
            size_t b = hint;
            if (!(hint < nbi && strcmp(bi[hint].id, key) == 0))
                for (b = 0; b < nbi && strcmp(bi[b].id, key) != 0;)
                    b++;
            hint = b + 1;
            if (b == nbi) {
                bi = msk_reallocarray(bi, nbi + 1, sizeof *bi);
                rt_ind_bands *d = &bi[nbi++];
                snprintf(d->id, sizeof d->id, "%s", key);
                if (meth_bands(f, key, "bands", d->b, 32, &d->n, err) ||
                    meth_num(f, key, "min_points", -INFINITY, &d->minp, err) ||
                    meth_num(f, key, "max_points", INFINITY, &d->maxp, err)) {
                    free(sh);
                    free(bi);
                    return -1;
                }
            }
            if (n == cap)
                sh = msk_reallocarray(sh, cap *= 2, sizeof *sh);
            sh[n++] = (rt_share){i,
                                 (int)json_integer_value(json_object_get(e, "num")),
                                 (int)json_integer_value(den),
                                 NULL,
                                 0,
                                 0,
                                 0,
                                 b,
                                 e};
        }
    }
    /* bands by pointer only now: bi no longer moves */
    for (size_t k = 0; k < n; k++) {
        const rt_ind_bands *d = &bi[sh[k].ind];
        sh[k].bands = d->b;
        sh[k].nbands = d->n;
        sh[k].minp = d->minp;
        sh[k].maxp = d->maxp;
    }
    *binds = bi;
    *nb = nbi;
    *out = sh;
    return (long)n;
}

/* Interval and shrunken value of every share of the evidence: the prior by moments over the
 * schools of the same indicator. The shares sh[0..nsh) are those with a positive denominator
 * (the prior leaves out the others), in school order: each indicator's come in the order of
 * the list, as a walk of the list gives them. */
static void annotate_rating_shares(const rt_share *sh, long nsh, size_t nbi)
{
    size_t m = nsh > 0 ? (size_t)nsh : 1;
    int *k = msk_malloc(m * sizeof *k), *n = msk_malloc(m * sizeof *n);
    for (size_t b = 0; b < nbi; b++) {
        size_t c = 0;
        for (long j = 0; j < nsh; j++)
            if (sh[j].ind == b) {
                k[c] = sh[j].num;
                n[c++] = sh[j].den;
            }
        double a, bb;
        stat_beta_prior(k, n, c, &a, &bb);
        for (long j = 0; j < nsh; j++) {
            if (sh[j].ind != b)
                continue;
            double lo, hi;
            stat_wilson(sh[j].num, sh[j].den, &lo, &hi);
            json_object_set_new(sh[j].e, "ci", ci_json(lo, hi));
            json_object_set_new(
                sh[j].e, "shrunk",
                json_real(shnor_round4(stat_beta_shrink(sh[j].num, sh[j].den, a, bb))));
        }
    }
    free(k);
    free(n);
}

/* A draw from the Jeffreys posterior Beta(k + ½, n − k + ½) of a share: exact (stat_beta) for
 * small n, its normal approximation (same mean and variance, clamped) from 30 up — the
 * gamma draws would cost the analysis of a large region about a tenth of a second. */
static double stat_jeffreys(stat_rng *r, int k, int n)
{
    double a = k + 0.5, b = n - k + 0.5;
    if (n < 30)
        return stat_beta(r, a, b);
    double mean = a / (a + b), sd = sqrt(a * b / ((a + b) * (a + b) * (a + b + 1)));
    double p = mean + sd * stat_normal(r);
    return p < 0 ? 0 : p > 1 ? 1 : p;
}

/* Long: one bootstrap loop (draw, score, rank, keep) and the quantiles after it; splitting
 * would pass six arrays around. */
int reliability_rating(const model *m, int year, const meth_file *f, json_t *list, msk_err *err)
{
    (void)m;
    size_t ns = json_array_size(list), nbi = 0;
    rt_ind_bands *bi = NULL;
    rt_share *sh = NULL;
    if (!ns)
        return 0;
    long nsh = collect_shares(f, list, &bi, &nbi, &sh, err);
    if (nsh < 0)
        return -1;
    const char *rounding = meth_get(f, "rating", "percent_rounding");
    int floor_pct = !rounding || strcmp(rounding, "floor") == 0;
    annotate_rating_shares(sh, nsh, nbi);
    /* points that do not come from a share are fixed: counts and places are not samples */
    double *fixed = msk_malloc(ns * sizeof *fixed), *pts = msk_malloc(ns * sizeof *pts);
    double *sorted = msk_malloc(ns * sizeof *sorted);
    int *ranks = msk_malloc(ns * RELIABILITY_REPLICATES * sizeof *ranks);
    for (size_t i = 0; i < ns; i++)
        fixed[i] = json_number_value(json_object_get(json_array_get(list, i), "points"));
    for (long k = 0; k < nsh; k++)
        fixed[sh[k].school] -= share_points(&sh[k], sh[k].num, floor_pct);
    stat_rng r;
    stat_rng_seed(&r, (uint64_t)RELIABILITY_SEED * 100003u + (uint64_t)year);
    for (int b = 0; b < RELIABILITY_REPLICATES; b++) {
        memcpy(pts, fixed, ns * sizeof *pts);
        for (long k = 0; k < nsh; k++) {
            const rt_share *x = &sh[k];
            /* a fresh cohort of the same size: p from the Jeffreys posterior, then binomial */
            double p = stat_jeffreys(&r, x->num, x->den);
            pts[x->school] += share_points(x, stat_binomial(&r, x->den, p), floor_pct);
        }
        memcpy(sorted, pts, ns * sizeof *sorted);
        qsort(sorted, ns, sizeof *sorted, cmp_desc);
        for (size_t i = 0; i < ns; i++)
            ranks[i * RELIABILITY_REPLICATES + (size_t)b] = rank_in(sorted, ns, pts[i]);
    }
    for (size_t i = 0; i < ns; i++) {
        int *ri = ranks + i * RELIABILITY_REPLICATES;
        qsort(ri, RELIABILITY_REPLICATES, sizeof *ri, cmp_int);
        int lo = stat_quantile_int(ri, RELIABILITY_REPLICATES, 0.025);
        int hi = stat_quantile_int(ri, RELIABILITY_REPLICATES, 0.975);
        json_t *o = json_array_get(list, i);
        int rank = (int)json_integer_value(json_object_get(o, "rank"));
        lo = rank < lo ? rank : lo;
        hi = rank > hi ? rank : hi;
        char t[64];
        if (lo == hi)
            snprintf(t, sizeof t, "место %d", lo);
        else
            snprintf(t, sizeof t, "места %d–%d", lo, hi);
        json_object_set_new(o, "rank_range", json_pack("[i, i]", lo, hi));
        json_object_set_new(o, "rank_range_text", json_string(t));
    }
    free(fixed);
    free(pts);
    free(sorted);
    free(ranks);
    free(sh);
    free(bi);
    return 0;
}
