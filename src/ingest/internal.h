/*
 * Shared by the files of src/ingest/ only: the loaders of ingest/import.c that the template
 * table (ingest/template.c) names. Nothing outside src/ingest/ includes this.
 */
#ifndef MSK_INGEST_INTERNAL_H
#define MSK_INGEST_INTERNAL_H

#include "ingest/template.h"
#include "store/store.h"

/* One data row of each template (tpl_def.row). */
int import_row_school(struct imp *m);
int import_row_result(struct imp *m);
int import_row_aggregate(struct imp *m);
int import_row_context(struct imp *m);
int import_row_olympiad(struct imp *m);
int import_row_graduate(struct imp *m);
int import_row_plan(struct imp *m);
/* ingest/load_bench.c: a year's scales, benchmark rows of aggregates, external lists */
int import_row_scale(struct imp *m);
int import_row_list(struct imp *m);
int import_row_contest(struct imp *m);
/* An aggregates row whose school cell names the RF, the region or the municipality: 1 and
 * *level ("rf", "region", "municipality"), else 0. */
int import_bench_level(const char *cell, const char **level);
int import_row_bench(struct imp *m, const char *level);
/* The primary → test table of scale scale_id (0: none) into test_of[0..n): -1 where unknown. */
void import_scale_test_table(store *s, int64_t scale_id, int16_t *test_of, size_t n);

/* Results: the school codes in memory and the writer thread (tpl_def.start). */
int import_start_results(struct imp *m, msk_err *err);
/* Context without element/value columns: one column per element (tpl_def.start). */
int import_start_context(struct imp *m, msk_err *err);
/* Plan: restore the progress of re-imported items and compute due dates (tpl_def.finish). */
int import_finish_plan(struct imp *m, msk_err *err);

/* What loaders outside import.c use of the import in progress (ingest/import.c). */
store *imp_store(struct imp *m);
int64_t imp_batch(struct imp *m);
const char *imp_cell(struct imp *m, hdr_field f); /* NULL when the file has no such column */
int imp_col(struct imp *m, hdr_field f);          /* 1-based, for messages; 0 when absent */
__attribute__((format(printf, 3, 4))) void imp_error(struct imp *m, int col, const char *fmt, ...);
__attribute__((format(printf, 3, 4))) void imp_warning(struct imp *m, int col, const char *fmt,
                                                       ...);
/* An integer cell: 1 with *out, 0 when empty (*out = dflt), -1 after reporting an error. */
int imp_int(struct imp *m, hdr_field f, long lo, long hi, long dflt, const char *what, long *out);
/* The year of the row (its column, --year, the title line); -1 after reporting an error. */
int imp_year(struct imp *m, long *year);
/* The row's school by code (column or --school); -1 after reporting an error. */
int imp_school(struct imp *m, int64_t *id);
/* The row's procedure (created when new); -1 after reporting an error. */
typedef struct imp_proc {
    int64_t id;
    int year, grade;
    const char *kind, *subject;
} imp_proc;
int imp_procedure(struct imp *m, imp_proc *out);
/* Does key appear for the first time in this file (replace its earlier rows then)? */
int imp_first(struct imp *m, uint64_t key);
/* Counters of the report: a row loaded, earlier rows replaced. */
void imp_loaded(struct imp *m, int64_t replaced);

#endif
