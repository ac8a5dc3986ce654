/*
 * Statistics for fair comparison (issue 16): intervals, empirical-Bayes shrinkage, rank ranges
 * and a deterministic random stream. Pure arithmetic: no model, no JSON, no clock. The methods
 * that rank or flag a school call these; docs/methods.md «Надёжность, прирост, группы
 * сравнения» gives the formulas.
 */
#ifndef MSK_STAT_H
#define MSK_STAT_H

#include <stddef.h>
#include <stdint.h>

/* Wilson score interval of k successes of n at 95 % (z = 1.959964): *lo, *hi in [0, 1].
 * n = 0 gives [0, 1]. Example: 2 of 6 → [0.0968, 0.7000]. */
void stat_wilson(int k, int n, double *lo, double *hi);

/* The 0.975 quantile of Student's t with df degrees of freedom (df ≥ 1): exact table to 30,
 * the Cornish–Fisher expansion above (error < 1e-4). */
double stat_t975(int df);

/* 95 % t-interval of a mean of n values with sample standard deviation sd: mean ∓ t·sd/√n.
 * n < 2 gives an unbounded interval (-inf, inf). */
void stat_t_interval(double mean, double sd, int n, double *lo, double *hi);

/* Beta prior of school shares by the method of moments: the shares k[j]/n[j] of m groups
 * (groups with n[j] = 0 skipped) have mean p and variance V; the binomial part of V is about
 * p(1-p)·mean(1/n), the rest τ² is the spread of the true shares; a + b = p(1-p)/τ² - 1,
 * a = p(a+b). No spread (τ² ≤ 0) or fewer than 2 groups: *a = *b = 0 and the return 0 (no
 * shrinkage); else 1. */
int stat_beta_prior(const int *k, const int *n, size_t m, double *a, double *b);

/* Posterior mean of a share under the beta prior: (k + a) / (n + a + b); k/n when a = b = 0. */
double stat_beta_shrink(int k, int n, double a, double b);

/* Normal-normal shrinkage of group means: var_between is τ², sigma2 the within-group variance
 * σ² of one value. The factor B = τ² / (τ² + σ²/n) is 1 for a certain mean, 0 for none. */
double stat_shrink_factor(double tau2, double sigma2, int n);

/* τ² of m group means y[j] with sampling variances v[j] (σ²/n of each) by the method of
 * moments: var(y) - mean(v), at least 0. *grand gets the plain mean of y. m < 2: τ² = 0. */
double stat_tau2(const double *y, const double *v, size_t m, double *grand);

/* Rank ranges from intervals, higher is better: the best rank of i is 1 + the number of j whose
 * lower bound is above i's upper bound; the worst is 1 + the number of j ≠ i whose upper bound
 * reaches i's lower bound. best/worst get n values; O(n log n). */
void stat_rank_bounds(const double *lo, const double *hi, size_t n, int *best, int *worst);

/* Reliability of a listing by a share or mean against the act's threshold: whether the whole
 * interval lies on the side the verdict took. listed: the point estimate met the rule; strict:
 * the rule is "above" (>), else "at least" (≥). Returns 1 reliable, 0 the interval crosses. */
int stat_reliable(double lo, double hi, double threshold, int listed, int strict);

/* A deterministic random stream (splitmix64): the same seed gives the same numbers on every
 * platform. */
typedef struct stat_rng {
    uint64_t s;
} stat_rng;
void stat_rng_seed(stat_rng *r, uint64_t seed);
double stat_unif(stat_rng *r);   /* [0, 1) */
double stat_normal(stat_rng *r); /* standard normal (Box–Muller, one value a call) */
/* Beta(a, b) by two gamma variates (Marsaglia–Tsang); a, b > 0. */
double stat_beta(stat_rng *r, double a, double b);
/* Binomial(n, p): a sum of Bernoulli draws for n ≤ 15, else the rounded normal
 * approximation clamped to [0, n]. */
int stat_binomial(stat_rng *r, int n, double p);

/* The q-quantile (0..1) of n sorted ints by the nearest rank (ceil(q·n)). */
int stat_quantile_int(const int *sorted, size_t n, double q);

#endif
