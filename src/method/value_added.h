/*
 * Value added («прирост», issue 16): a school judged by the progress of its own pupils, not by
 * who enrols. Pupils are followed by code from a procedure of an earlier year to one of year Y
 * in the same subject (ВПР 4 → ВПР 5 → … → ВПР 8 → ОГЭ 9 → ЕГЭ 11); scores are standardised
 * per procedure (z); the municipal expectation for a pupil is the linear regression of the
 * later z on the earlier z over all linked pupils of the pair; a school's value added is the
 * mean residual of its pupils with a 95 % t-interval, shrunk to the municipal mean
 * (normal-normal, B = τ²/(τ²+σ²/n)). Where no pupil of a school links (aggregated data, codes
 * that do not repeat) the school's cohort means are compared instead, marked «по когортам».
 * Shown beside the act's rating; it never changes the rating. Pure: reads the model only.
 */
#ifndef MSK_VALUE_ADDED_H
#define MSK_VALUE_ADDED_H

#include "base/err.h"
#include "model/model.h"

#include <jansson.h>

/* Fewer linked pupils in a pair of procedures: the pair is not used for linking. */
enum { VA_MIN_LINKED = 20 };

/* Value added of year Y. *out: {"year", "pairs": [{"from": "VPR:math:4:2023", "to":
 * "VPR:math:5:2024", "linked": n, "slope", "intercept"}], "schools": {code: {"method":
 * "linked" | "cohort", "method_name": «по кодам обучающихся» | «по когортам», "n", "value",
 * "ci": [lo, hi], "shrunk", "factor" (B), "rank", "rank_range": [best, worst], "of", "text"}}}
 * — schools without any usable pair are absent. Ranks: by the shrunken value, highest first;
 * rank ranges from the intervals (stat_rank_bounds). Returns 0, or -1 with err. */
int value_added_run(const model *m, int year, json_t **out, msk_err *err);

#endif
