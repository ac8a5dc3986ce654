/*
 * «Надёжность вывода» (issue 16): the lists stay exactly as the acts form them; this adds to
 * every share that lists, flags or ranks a school its 95 % Wilson interval, its empirical-Bayes
 * shrunken value beside the raw one, and whether the interval stays on the side of the
 * threshold the verdict took. The rating gets each school's rank range. Pure: the model, the
 * lists the methods returned and the methodology files they read.
 */
#ifndef MSK_RELIABILITY_H
#define MSK_RELIABILITY_H

#include "base/err.h"
#include "method/methodology.h"
#include "model/model.h"

#include <jansson.h>

/* Bootstrap replicates of the rank range and its seed: fixed, so a run is reproducible. */
enum { RELIABILITY_REPLICATES = 100, RELIABILITY_SEED = 16 };

/* ШНОР list (shnor_run's array, changed in place): each "low" item gets "ci": [lo, hi],
 * "shrunk" (beta-binomial posterior mean, the prior by moments over the procedure's schools),
 * "reliable" and "reliability" (text); each school "reliability": {"reliable", "text"} —
 * reliable when its rule (A: rule_a_min procedures of Y; B: one in Y−1 and one in Y, the same
 * one with rule_b = same) still holds with the procedures whose whole interval reaches the
 * threshold. f: the ШНОР file (NULL: defaults). */
void reliability_shnor(const model *m, int year, const meth_file *f, json_t *list);

/* Risk list (risk_run's array): each "vpr_fail" item as a ШНОР item against results_share;
 * the pupil and teacher shares of the evidence get "<key>_ci"; each school "reliability":
 * {"reliable", "text", "factors": {factor: bool}} — reliable when a listed factor holds on its
 * whole interval (the material base is a fact, always reliable). */
void reliability_risk(const model *m, int year, const meth_file *f, json_t *list);

/* Rating (rating_run's array): each share of the evidence gets "ci" and "shrunk"; each school
 * "rank_range": [best, worst] — the 2.5 % and 97.5 % quantiles of its rank over
 * RELIABILITY_REPLICATES parametric bootstrap replicates (each share redrawn from its
 * Jeffreys posterior and binomial, scored by the file's bands, ranked as the act ranks),
 * widened to contain the rank itself — and "rank_range_text". Returns 0, or -1 with err when
 * the bands of f cannot be read (they were read by rating_run, so only on no memory). */
int reliability_rating(const model *m, int year, const meth_file *f, json_t *list, msk_err *err);

/* The sentence of a listing against a threshold: «надёжный: интервал 31,2–45,0 % выше порога
 * 30 %» or «вывод ненадёжен: интервал 9,7–70,0 % пересекает порог 30 %». */
void reliability_text(double lo, double hi, double threshold, int reliable, char *out,
                      size_t outsz);

#endif
