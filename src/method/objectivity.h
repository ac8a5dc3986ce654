/*
 * Signs of non-objective (inflated) results (METHODS.md §2; seeds 000 §V, 003 §1.9, §2.1,
 * 004) and issue 16: eight measures, each with its own settings in methods/objectivity.ini, each
 * adding findings with their numbers, threshold and a Russian sentence a school head understands.
 * Pure: a model, a year and a methodology file in; JSON out.
 */
#ifndef MSK_OBJECTIVITY_H
#define MSK_OBJECTIVITY_H

#include "base/err.h"
#include "method/methodology.h"
#include "model/model.h"

#include <jansson.h>

/* Each sign function appends its findings for `year` to `signs`, a JSON object mapping a
 * school code to an array of sign objects (the function creates the array on first use):
 *   {"sign": "inflated_mean"|"journal_mismatch"|"cohort_jump"|"boundary_peaks"|"medal"|
 *             "profile_inversion"|"identical_tasks"|"rise_fall",
 *    "kind": "VPR", "subject": "math", "grade": 5, "value": <the measure>,
 *    "threshold": <what it was compared with>, "text": "…Russian…", …more evidence keys}
 * Settings are read from section [<sign name>] of f (defaults = the preset file). */
int obj_inflated_mean(const model *m, int year, const meth_file *f, json_t *signs, msk_err *err);
int obj_journal_mismatch(const model *m, int year, const meth_file *f, json_t *signs, msk_err *err);
int obj_cohort_jump(const model *m, int year, const meth_file *f, json_t *signs, msk_err *err);
int obj_boundary_peaks(const model *m, int year, const meth_file *f, json_t *signs, msk_err *err);
int obj_medals(const model *m, int year, const meth_file *f, json_t *signs, msk_err *err);
/* Signs on task scores (rows without task bytes are skipped, so a model loaded with
 * MODEL_LOAD_NO_TASKS gives none): the difficulty profile turned over, identical works. */
int obj_profile_inversion(const model *m, int year, const meth_file *f, json_t *signs,
                          msk_err *err);
int obj_identical_tasks(const model *m, int year, const meth_file *f, json_t *signs, msk_err *err);
/* A cohort that rises one year and falls back the next (ВПР of Y − 2, Y − 1, Y). */
int obj_rise_fall(const model *m, int year, const meth_file *f, json_t *signs, msk_err *err);
/* Sign 9 (obj_vpr_gia.c): high ВПР results of grade 8 (10, 11) the cohort's ОГЭ (ЕГЭ) does not
 * confirm; [vpr_unconfirmed]. */
int obj_vpr_unconfirmed(const model *m, int year, const meth_file *f, json_t *signs, msk_err *err);

/* Every sign, then the list «ОО с признаками необъективности»: [{"school": "sch…", "signs":
 * […]}] sorted by school code, and the municipal objectivity index = 100 − % of schools
 * listed (min_signs, alone_signs) of the schools with results in the year. *index_one_sign
 * (when not NULL) = 100 − % of schools with at least one sign, whatever the listing rule: the
 * index Rosobrnadzor computes, comparable with the regional and federal ones. Both NAN when no
 * school has results. */
int objectivity_run(const model *m, int year, const meth_file *f, json_t **list, double *index,
                    double *index_one_sign, msk_err *err);

#endif
