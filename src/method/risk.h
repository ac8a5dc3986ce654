/*
 * Schools at risk of falling results (seed 002 §3.2): four factors judged from the context data
 * of year Y and the ВПР results of year Y — material base, staff, contingent, results. Elements,
 * thresholds and procedures are read from the [risk] section of the methodology file
 * (methods/risk.ini); defaults equal that preset. Pure: reads the model only.
 */
#ifndef MSK_RISK_H
#define MSK_RISK_H

#include "base/err.h"
#include "method/methodology.h"
#include "model/model.h"

#include <jansson.h>

/* The risk list for year Y. On success *out is a new jansson array (caller owns it), one object
 * per school with at least one factor, sorted by school code:
 *   [{"school": "sch000777", "factors": ["material", "staff", "contingent", "results"],
 *     "evidence": {"missing": ["internet"],              material elements answered "no"
 *                  "teachers_36h_share": 0.12, "teachers_unqualified_share": 0.0,
 *                  "contingent_share": 0.14, "contingent_parts": {"pupils_ovz": 0.05, …},
 *                  "vpr_fail": [{"kind","subject","grade","participants","failed","share",
 *                                "high"}], "vpr_high_count": 2, "failing_share": 0.02,
 *                  "not_reported": ["teachers_total", …]},  context absent: not a factor
 *     "text": "…"}]                                           (Russian, one sentence a factor)
 * A share whose data is absent is left out of the evidence (and its elements named in
 * not_reported). Returns 0, or -1 with err (a malformed key of f, no memory). f may be NULL. */
int risk_run(const model *m, int year, const meth_file *f, json_t **out, msk_err *err);

/* The results_rule key of [risk] (seed 002 §3.2 p. 4): *all = 1 when the ВПР condition 4.1–4.4
 * and the failing-pupils condition 4.5 are both needed, 0 when either is enough (the default,
 * also when f is NULL or the key is absent). Returns 0, or -1 with err for another value. */
int risk_results_rule(const meth_file *f, int *all, msk_err *err);

#endif
