/*
 * Intervals, shrinkage, rank ranges and a deterministic random stream (stat.h).
 */
#include "method/stat.h"
#include "base/mem.h"

#include <math.h>
#include <stdlib.h>

#define Z975 1.959963984540054

void stat_wilson(int k, int n, double *lo, double *hi)
{
    if (n <= 0) {
        *lo = 0;
        *hi = 1;
        return;
    }
    double p = (double)k / n, z2 = Z975 * Z975, nn = (double)n;
    double den = 1 + z2 / nn;
    double c = (p + z2 / (2 * nn)) / den;
    double h = Z975 * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / den;
    *lo = c - h < 0 ? 0 : c - h;
    *hi = c + h > 1 ? 1 : c + h;
    if (k == 0)
        *lo = 0;
    if (k == n)
        *hi = 1;
}

double stat_t975(int df)
{
    static const double T[31] = {0,      12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646,
                                 2.3060, 2.2622,  2.2281, 2.2010, 2.1788, 2.1604, 2.1448, 2.1314,
                                 2.1199, 2.1098,  2.1009, 2.0930, 2.0860, 2.0796, 2.0739, 2.0687,
                                 2.0639, 2.0595,  2.0555, 2.0518, 2.0484, 2.0452, 2.0423};
    if (df < 1)
        return INFINITY;
    if (df <= 30)
        return T[df];
    double z = Z975, d = df, z3 = z * z * z, z5 = z3 * z * z;
    return z + (z3 + z) / (4 * d) + (5 * z5 + 16 * z3 + 3 * z) / (96 * d * d);
}

void stat_t_interval(double mean, double sd, int n, double *lo, double *hi)
{
    if (n < 2 || isnan(sd)) {
        *lo = -INFINITY;
        *hi = INFINITY;
        return;
    }
    double h = stat_t975(n - 1) * sd / sqrt((double)n);
    *lo = mean - h;
    *hi = mean + h;
}

int stat_beta_prior(const int *k, const int *n, size_t m, double *a, double *b)
{
    double sp = 0, sp2 = 0, sinv = 0;
    size_t used = 0;
    long long kk = 0, nn = 0;
    *a = *b = 0;
    for (size_t j = 0; j < m; j++) {
        if (n[j] <= 0)
            continue;
        double p = (double)k[j] / n[j];
        sp += p;
        sp2 += p * p;
        sinv += 1.0 / n[j];
        kk += k[j];
        nn += n[j];
        used++;
    }
    if (used < 2)
        return 0;
    double p = (double)kk / (double)nn; /* the municipal share */
    double mean = sp / (double)used;
    double var = sp2 / (double)used - mean * mean;
    double tau2 = var - p * (1 - p) * sinv / (double)used;
    if (!(tau2 > 1e-12) || p <= 0 || p >= 1)
        return 0;
    double s = p * (1 - p) / tau2 - 1;
    if (s <= 0)
        return 0;
    *a = p * s;
    *b = (1 - p) * s;
    return 1;
}

double stat_beta_shrink(int k, int n, double a, double b)
{
    if (n + a + b <= 0)
        return NAN;
    return ((double)k + a) / ((double)n + a + b);
}

double stat_shrink_factor(double tau2, double sigma2, int n)
{
    if (n <= 0)
        return 0;
    if (sigma2 <= 0)
        return 1;
    return tau2 / (tau2 + sigma2 / n);
}

double stat_tau2(const double *y, const double *v, size_t m, double *grand)
{
    double s = 0, s2 = 0, sv = 0;
    for (size_t j = 0; j < m; j++) {
        s += y[j];
        s2 += y[j] * y[j];
        sv += v[j];
    }
    *grand = m ? s / (double)m : NAN;
    if (m < 2)
        return 0;
    double mean = s / (double)m;
    /* the sample variance of the means (m - 1) minus their mean sampling variance */
    double var = (s2 - (double)m * mean * mean) / (double)(m - 1);
    double t = var - sv / (double)m;
    return t > 0 ? t : 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* How many of the n sorted values are > x (strict) or ≥ x. */
static size_t count_above(const double *s, size_t n, double x, int strict)
{
    size_t lo = 0, hi = n; /* first index whose value is > x (or ≥ x) */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strict ? s[mid] > x : s[mid] >= x)
            hi = mid;
        else
            lo = mid + 1;
    }
    return n - lo;
}

void stat_rank_bounds(const double *lo, const double *hi, size_t n, int *best, int *worst)
{
    double *slo = msk_malloc((n ? n : 1) * sizeof *slo);
    double *shi = msk_malloc((n ? n : 1) * sizeof *shi);
    for (size_t i = 0; i < n; i++) {
        slo[i] = lo[i];
        shi[i] = hi[i];
    }
    qsort(slo, n, sizeof *slo, cmp_double);
    qsort(shi, n, sizeof *shi, cmp_double);
    for (size_t i = 0; i < n; i++) {
        /* certainly above i: lower bound above i's upper bound (i itself never is) */
        best[i] = 1 + (int)count_above(slo, n, hi[i], 1);
        /* possibly above i: upper bound reaching i's lower bound, i itself left out */
        size_t c = count_above(shi, n, lo[i], 0);
        if (hi[i] >= lo[i] && c > 0)
            c--;
        worst[i] = 1 + (int)c;
    }
    free(slo);
    free(shi);
}

int stat_reliable(double lo, double hi, double threshold, int listed, int strict)
{
    if (listed)
        return strict ? lo > threshold : lo >= threshold;
    return strict ? hi <= threshold : hi < threshold;
}

void stat_rng_seed(stat_rng *r, uint64_t seed)
{
    r->s = seed;
}

static uint64_t next64(stat_rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

double stat_unif(stat_rng *r)
{
    return (double)(next64(r) >> 11) * 0x1.0p-53;
}

double stat_normal(stat_rng *r)
{
    double u = stat_unif(r), v = stat_unif(r);
    if (u < 1e-300)
        u = 1e-300;
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

static double gamma_draw(stat_rng *r, double a)
{
    if (a < 1) { /* boost: Gamma(a) = Gamma(a + 1) · U^(1/a) */
        double u = stat_unif(r);
        return gamma_draw(r, a + 1) * pow(u > 0 ? u : 1e-300, 1 / a);
    }
    double d = a - 1.0 / 3, c = 1 / sqrt(9 * d);
    for (;;) {
        double x = stat_normal(r), v = 1 + c * x;
        if (v <= 0)
            continue;
        v = v * v * v;
        double u = stat_unif(r);
        if (u < 1 - 0.0331 * x * x * x * x ||
            log(u > 0 ? u : 1e-300) < 0.5 * x * x + d * (1 - v + log(v)))
            return d * v;
    }
}

double stat_beta(stat_rng *r, double a, double b)
{
    double x = gamma_draw(r, a), y = gamma_draw(r, b);
    return x + y > 0 ? x / (x + y) : 0.5;
}

int stat_binomial(stat_rng *r, int n, double p)
{
    if (n <= 0 || p <= 0)
        return 0;
    if (p >= 1)
        return n;
    if (n <= 15) {
        int k = 0;
        for (int i = 0; i < n; i++)
            k += stat_unif(r) < p;
        return k;
    }
    double x = round((double)n * p + sqrt((double)n * p * (1 - p)) * stat_normal(r));
    return x < 0 ? 0 : x > n ? n : (int)x;
}

int stat_quantile_int(const int *sorted, size_t n, double q)
{
    if (!n)
        return 0;
    size_t k = (size_t)ceil(q * (double)n);
    if (k < 1)
        k = 1;
    if (k > n)
        k = n;
    return sorted[k - 1];
}
