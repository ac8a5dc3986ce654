/*
 * Reads for the view models (src/view/): the stored findings of a year's latest analysis run,
 * reference names, task labels, the years with data and a stamp of the store's content. Like
 * read.h, rows point into SQLite's buffers and are valid only during the callback.
 */
#ifndef MSK_STORE_VIEW_H
#define MSK_STORE_VIEW_H

#include "store/store.h"

#include <stdint.h>

typedef struct store_read_finding {
    int64_t id, run_id;
    const char *method, *school_code; /* school_code NULL for a municipal finding */
    const char *verdict, *evidence, *run_at, *methods;
    int year;
} store_read_finding;
/* Findings of the latest analysis run of year (none when the year was never analysed). */
int store_read_findings(store *s, int year, void (*fn)(void *ctx, const store_read_finding *r),
                        void *ctx, msk_err *err);

typedef struct store_read_name {
    const char *table;              /* "kind", "subject", "element" */
    const char *code, *name, *unit; /* unit: elements only, else NULL */
    const char *type;               /* an element's value type ("bool", "count" …), else NULL */
} store_read_name;
/* Names of procedure kinds, subjects and data elements. */
int store_read_names(store *s, void (*fn)(void *ctx, const store_read_name *r), void *ctx,
                     msk_err *err);

typedef struct store_read_task_label {
    int year, grade, idx;
    const char *kind, *subject, *label;
} store_read_task_label;
/* Task labels of the procedures of years [year_from, year_to]. */
int store_read_task_labels(store *s, int year_from, int year_to,
                           void (*fn)(void *ctx, const store_read_task_label *r), void *ctx,
                           msk_err *err);

/* Years that have procedures, newest first, into years[max]; *n gets the count. */
int store_read_years(store *s, int *years, int max, int *n, msk_err *err);

/* A number that changes whenever an import, undo, analysis, plan or audited change lands:
 * caches of derived views compare it. -1 on a database error. */
int64_t store_data_stamp(store *s);

/* How fresh the latest analysis of a year is: when it ran, the newest change of its data it
 * saw and the first change since (ISO times, "" when none), and how many changes came after
 * it. Changes are the audited writes of the analysis' input: imports, their undo, recheck
 * results, approved or returned forms. An analysis made before audit rows existed is dated by
 * its run time. */
typedef struct store_freshness {
    char run_at[32], data_at[32], changed_at[32];
    int64_t changes;
} store_freshness;
/* Returns 1 with f filled when the year has an analysis, 0 when it has none, -1 (err). */
int store_analysis_freshness(store *s, int year, store_freshness *f, msk_err *err);

#endif
