/*
 * The directions of seed 001 (method/directions.h) over msoko's data: the files of
 * methods/directions/ read from disk, and the resolver that gives every term of their formulas
 * its value per school and year from the model (results, olympiads, graduates, context), the
 * year's lists (computed in this run for the analysed year, the stored analyses for the years
 * before), form values and registries (store). See docs/directions-format.md.
 */
#ifndef MSK_ENGINE_DIRECTIONS_IN_H
#define MSK_ENGINE_DIRECTIONS_IN_H

#include "base/err.h"
#include "method/directions.h"
#include "model/model.h"
#include "store/store.h"

#include <jansson.h>

/* Every *.ini of the directions folder ($MSOKO_METHODS/directions, ./methods/directions or
 * methods/directions beside the binary), in name order, into *files (*n of them; none is not
 * an error). Each file's path is appended to names when names is not NULL. Release with
 * engine_directions_free. */
int engine_directions_load(dir_file ***files, size_t *n, json_t *names, msk_err *err);
void engine_directions_free(dir_file **files, size_t n);

/* Evaluate the files for year over m (years year-2 … year), the store and the analysed year's
 * lists (shnor, risk, objectivity: arrays of {"school": …}). *out: the array of contract §4. */
/* The same as JSON text (dir_eval_text): compact for the run's finding, indented at
 * pretty_depth with pretty_prec digits for the printed document (pretty NULL: not wanted);
 * counts by status. */
int engine_directions_text(store *s, const model *m, int year, json_t *const lists[3],
                           dir_file *const *files, size_t n, msk_buf *compact, msk_buf *pretty,
                           int pretty_depth, int pretty_prec, int counts[3], msk_err *err);
int engine_directions_run(store *s, const model *m, int year, json_t *const lists[3],
                          dir_file *const *files, size_t n, json_t **out, msk_err *err);

#endif
