/*
 * The objectivity coefficient of a school (issue 16 item 4; INVALSI's «cheating coefficient»,
 * METHODS.md §2), calibrated on the works independent experts re-checked (`msoko recheck`,
 * seeds 003, 004). For the n re-checked works of a school with the school's primary score p_i
 * and the experts' e_i:
 *   R = Σ e_i / Σ p_i                     the share of the school's points the experts confirm
 *                                         (1 − R: the share of inflation);
 *   se(R) = √(Σ (e_i − R·p_i)² / (n − 1) / n) / p̄          (ratio estimator, Cochran 1977 §6);
 *   w = n / (n + n0)                      shrinkage toward 1 (n0 = prior_works: a prior of n0
 *                                         works the experts would confirm in full);
 *   k = 1 + w·(R − 1), interval 1 + w·(R ± t₀.₉₇₅,ₙ₋₁·se(R) − 1)    (none for n < 2).
 * The school's results of each re-checked procedure corrected by it: every pupil's primary
 * score × k, marks again by the procedure's cut-offs — mean primary score, share of «4»–«5» and
 * share of «2», raw and corrected side by side (INVALSI returns both). A school without
 * re-checked works gets no coefficient. The data model holds no observed-class sample (no
 * field says a class sat under public observers), so the re-check is the only calibration set.
 * Pure: the model and the re-checked works in, JSON out.
 */
#ifndef MSK_OBJ_COEF_H
#define MSK_OBJ_COEF_H

#include "base/err.h"
#include "method/methodology.h"
#include "model/model.h"

#include <jansson.h>
#include <stddef.h>

/* One re-checked work: the school's scores and the experts'. */
typedef struct obj_coef_work {
    char school[MODEL_CODE];
    char kind[12], subject[16];
    int grade;
    double school_primary, expert_primary; /* NAN when not known */
    int school_mark, expert_mark;          /* 0 when not known */
} obj_coef_work;

/* Settings: section [coefficient] of the objectivity file, key prior_works (n0, default 10).
 * *out: {"prior_works", "calibration": "recheck", "observers": false, "schools": {code:
 * {"works", "works_scored", "marks_same", "school_points", "expert_points", "ratio",
 * "inflation", "se", "weight", "coefficient", "ci": [lo, hi] | null, "text", "procedures":
 * [{"kind", "subject", "grade", "proc", "works", "participants", "raw": {"mean_primary",
 * "share45", "share2"}, "corrected": {…the same…}}]}}} — schools with no work whose both primary
 * scores are known are absent. Returns 0, or -1 with err (a bad setting). */
int obj_coef_run(const model *m, int year, const meth_file *f, const obj_coef_work *w, size_t n,
                 json_t **out, msk_err *err);

#endif
