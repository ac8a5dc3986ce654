/*
 * The school rating of seed 000 §VII, table 1 (Vladikavkaz): seven criteria — ВПР, РКР, МКР,
 * ГИА (with minus points), continuation of education, ВсОШ, other contests — each a sum of
 * points of the table's rows. Every number of the table (bands, points, procedures, minus
 * points, caps) lives in the methodology file (methods/rating-vladikavkaz.ini); this module
 * only measures the model and applies the file. Pure: no store, no files, no clock.
 */
#ifndef MSK_RATING_H
#define MSK_RATING_H

#include "base/err.h"
#include "method/methodology.h"
#include "model/model.h"

#include <jansson.h>

/* Rate every school of m for the given year with the rules of f.
 * On success *out is a new jansson array (caller owns it, json_decref), one object per school,
 * sorted by rank (standard competition ranking 1, 1, 3 on equal points), then by school code:
 *   {"school": "sch000001", "points": 17, "rank": 1,
 *    "criteria": {"vpr_noo": 3, …, "contests": 0},      (keys in the order of [rating] criteria)
 *    "evidence": {"rkr_ooo": {"criterion": "rkr", "title": "…", "measure": "share_passed",
 *                             "value": 0.83, "percent": 83, "num": 100, "den": 120,
 *                             "band": "80-99 %", "points": 2}, …},   (one per INI indicator)
 *    "text": "…"}                                           (a Russian summary)
 * An indicator without data in the model has "value": null, "points": 0, "note": "нет данных".
 * Returns 0, or -1 with err (a missing or malformed key of f, a year outside the model, no
 * memory); *out is then NULL. */
int rating_run(const model *m, int year, const meth_file *f, json_t **out, msk_err *err);

#endif
