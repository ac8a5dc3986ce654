/*
 * Monitoring indicators of seed 002: §2.3.1 (share of ШНОР schools with positive dynamics in
 * ГИА mathematics and Russian) and §3.3.3 (share of schools whose share of ВПР "2" fell from
 * grade 4 to grade 5 in the same cohort; share of schools without unsatisfactory ОГЭ results).
 * Procedures are read from the [indicators] section of the methodology file (methods/shnor.ini);
 * defaults equal that preset. Pure: reads the model and the ШНОР list only.
 */
#ifndef MSK_INDICATORS_H
#define MSK_INDICATORS_H

#include "base/err.h"
#include "method/methodology.h"
#include "model/model.h"

#include <jansson.h>

/* Indicators for year Y. shnor_list is the array returned by shnor_run (its "school" codes are
 * read). On success *out is a new jansson object (caller owns it):
 *   {"shnor_positive_dynamics_math": 0.5, "shnor_positive_dynamics_rus": …,
 *    "vpr_fail_share_fell_4_to_5_math": …, "vpr_fail_share_fell_4_to_5_rus": …,
 *    "schools_without_fail_oge_rus": …, "schools_without_fail_oge_math": …,
 *    "details": {"<indicator>": {"numerator": 1, "denominator": 2, "schools": ["sch…"],
 *                                "text": "…"}, …}}
 * Values are fractions; null when the denominator is 0 (no comparable school). "schools" lists
 * the schools counted in the numerator. Returns 0, or -1 with err. f may be NULL. */
int indicators_run(const model *m, int year, const json_t *shnor_list, const meth_file *f,
                   json_t **out, msk_err *err);

#endif
