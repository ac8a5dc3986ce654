/*
 * ШНОР — schools with low educational results (seed 002 §2.1, METHODS.md §1). A procedure is low
 * at a school when the share of failed participants reaches the threshold (30 %); a school is
 * listed by rule A (≥ 2 low procedures in year Y) and/or rule B (a low procedure in each of
 * Y−1 and Y). Every threshold, the procedure list and the rule settings are read from the
 * [shnor] section of the methodology file (methods/shnor.ini); defaults equal that preset.
 * Pure: reads the model only.
 */
#ifndef MSK_SHNOR_H
#define MSK_SHNOR_H

#include "base/err.h"
#include "method/methodology.h"
#include "model/model.h"

#include <jansson.h>

/* The ШНОР list for year Y (the year just finished; rule B also reads Y−1).
 * On success *out is a new jansson array (caller owns it, json_decref), sorted by school code:
 *   [{"school": "sch000123", "rule": "A"|"B"|"AB", "small_sample": false,
 *     "low": [{"year": 2024, "kind": "VPR", "subject": "math", "grade": 5,
 *              "participants": 41, "failed": 14, "share": 0.3415, "small_sample": false,
 *              "text": "ВПР, математика, 5 класс, 2024: 14 из 41 (34,1 %) получили «2» — …"}],
 *     "text": "…"}]
 * "low" holds the low procedures that support the verdict, by year then procedure-list order.
 * A school's small_sample is true when every one of them has fewer participants than
 * min_participants. Returns 0, or -1 with err (a malformed key of f, no memory); *out is NULL
 * then. f may be NULL: the defaults of the preset are used. */
int shnor_run(const model *m, int year, const meth_file *f, json_t **out, msk_err *err);

/* ---- the other acts' definitions (presets in methods/presets/, docs/methods.md) ----
 * [shnor] rule = A | B | AB is seed 002 §2.1 (above); rule = below_minimum is seed 000 §6.5
 * (results under the lowest band of section VII in `years` of the last `of_years`);
 * rule = region_dynamics is seed 001 (ВПР 5–6 dynamics, ЕГЭ against the region's mean, ever
 * on a list of non-objective results). The latter reads what the model does not hold: the
 * region's mean ЕГЭ scores and the lists of earlier years, gathered from the store by the
 * engine (engine/shnor_in.c) into shnor_inputs. The output has the shape of shnor_run's:
 * "rule" is then "below_min", or the reasons that held, comma-joined ("vpr_rise,ege_region,
 * nonobj"); each "low" item carries its own "threshold" (the share the card compares). */
typedef struct shnor_region_mean {
    int year, grade;
    char kind[8], subject[16];
    double mean; /* the region's mean test score of the procedure */
} shnor_region_mean;
typedef struct shnor_nonobj {
    char school[MODEL_CODE];
    int year;
    char source[24]; /* "objectivity" (msoko's own list), "nonobj_federal", "nonobj_regional" */
} shnor_nonobj;
typedef struct shnor_inputs {
    const shnor_region_mean *region;
    size_t nregion;
    const shnor_nonobj *nonobj;
    size_t nnonobj;
    int nlists; /* lists read: earlier years analysed + external lists loaded (0: none) */
} shnor_inputs;

/* Which rule f selects: SHNOR_RULE_002 (A, B, AB; also f NULL), SHNOR_RULE_000 (below_minimum)
 * or SHNOR_RULE_001 (region_dynamics); -1 for an unknown value (shnor_run says why). */
enum { SHNOR_RULE_002, SHNOR_RULE_000, SHNOR_RULE_001 };
int shnor_rule_kind(const meth_file *f);
/* shnor_run with the inputs of rule region_dynamics (in may be NULL: nothing loaded, and the
 * reasons say so). */
int shnor_run_in(const model *m, int year, const meth_file *f, const shnor_inputs *in, json_t **out,
                 msk_err *err);

/* ---- helpers for the Russian texts of findings (shared with risk.c and indicators.c) ---- */
/* "ВПР", "ОГЭ", "ЕГЭ" … for a kind code (base/vocab.h; the code itself when unknown). */
const char *shnor_kind_ru(const char *kind);
/* "математика", "русский язык", "математика (базовая)" …: the vocabulary's subject in lower
 * case, as inside a sentence (the code itself when unknown). */
const char *shnor_subject_ru(const char *subject);
/* A share as a percent with a decimal comma and one decimal: 0.3415 → "34,1". */
void shnor_pct(double share, char *out, size_t outsz);
/* A threshold as a percent without needless decimals: 0.3 → "30", 0.125 → "12,5". */
void shnor_pct_short(double share, char *out, size_t outsz);
/* A share rounded to 4 decimals for JSON. */
double shnor_round4(double share);
/* Parse "VPR:math:5" (subject or grade may be "*"). Returns 0, or -1 when malformed. */
typedef struct shnor_proc_key {
    char kind[8], subject[16];
    int grade; /* -1 for "*" */
} shnor_proc_key;
int shnor_parse_proc(const char *item, shnor_proc_key *k);
int shnor_proc_matches(const shnor_proc_key *k, const model_proc *p);

#endif
