/*
 * Shared by the files of src/ingest/ only: the loaders of ingest/import.c that the template
 * table (ingest/template.c) names. Nothing outside src/ingest/ includes this.
 */
#ifndef MSK_INGEST_INTERNAL_H
#define MSK_INGEST_INTERNAL_H

#include "ingest/template.h"

/* One data row of each template (tpl_def.row). */
int import_row_school(struct imp *m);
int import_row_result(struct imp *m);
int import_row_aggregate(struct imp *m);
int import_row_context(struct imp *m);
int import_row_olympiad(struct imp *m);
int import_row_graduate(struct imp *m);
int import_row_plan(struct imp *m);

/* Results: the school codes in memory and the writer thread (tpl_def.start). */
int import_start_results(struct imp *m, msk_err *err);
/* Context without element/value columns: one column per element (tpl_def.start). */
int import_start_context(struct imp *m, msk_err *err);
/* Plan: restore the progress of re-imported items and compute due dates (tpl_def.finish). */
int import_finish_plan(struct imp *m, msk_err *err);

#endif
