/*
 * The experts' file of a re-check round (перепроверка: METHODS.md §2; seeds 003, 004): a CSV or
 * XLSX table with «Код ОО», «Код участника» and the experts' scores — task columns («1», «2»,
 * …), «Первичный балл» and/or «Отметка» (template TPL_RECHECK of ingest/header.h); the header
 * row may follow up to 29 title rows. Every row must name a work of the round's sample, once.
 * A missing mark is computed from the primary score (given, or the sum of the task scores) by
 * the procedure's scale. One transaction: any error, nothing is written.
 */
#ifndef MSK_INGEST_RECHECK_H
#define MSK_INGEST_RECHECK_H

#include "base/err.h"
#include "ingest/table.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

/* Load the file at path (CSV, or XLSX by its signature; the first sheet) into round round_id.
 * *loaded = works scored by the file, *works = works in the round. 0, or -1 with err naming
 * the file, row and column. Call inside a transaction (app_recheck_import). */
int ingest_recheck_file(store *s, int64_t round_id, const char *path, size_t *loaded, size_t *works,
                        msk_err *err);

/* The same from an open reader (messages name rd->file); the reader stays the caller's. */
int ingest_recheck_read(store *s, int64_t round_id, tbl_reader *rd, size_t *loaded, size_t *works,
                        msk_err *err);

#endif
