/*
 * Loading registries (issue 15 items 2–3): a CSV (`;`, CP1251 or UTF-8) or XLSX file of one kind
 * (methods/registries/KIND.ini) with Russian headers, through the same table reader as every
 * template (tbl_open). The whole file is checked first; a file with any bad row writes nothing
 * and lists every error with its row and column. A good file replaces the kind's rows of each
 * (year, school) it holds. The caller holds the transaction (src/app/registry.c).
 */
#ifndef MSK_INGEST_REGISTRY_H
#define MSK_INGEST_REGISTRY_H

#include "base/err.h"
#include "base/regkind.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

enum { REG_MAX_ERRORS = 50 };

typedef struct reg_import_opts {
    int year;                /* the year of rows without a year column; 0 = the file must say */
    const char *only_school; /* a school operator's school: rows of others are refused */
    const char *user;
    const char *name; /* the file's name in messages; NULL = the path */
} reg_import_opts;

typedef struct reg_import_report {
    int64_t rows_read, rows_loaded, rows_replaced;
    size_t nerrors;                 /* all errors found (the first REG_MAX_ERRORS are kept) */
    msk_err errors[REG_MAX_ERRORS]; /* each with the file, row and column */
    size_t nwarnings;               /* columns ignored */
    char warnings[8][300];
} reg_import_report;

/* One row as parsed: what registry_row holds. */
typedef struct reg_row {
    int year;
    int64_t school_id;
    char school[64];
    char *code, *rkey, *data; /* owned; data: JSON object text */
} reg_row;
void reg_row_clear(reg_row *r);

/* Check one row given as text per column of k (vals[i] for k->cols[i]; NULL = no such column).
 * cols[i]: the 1-based column of the file for messages (0 = none; NULL = all 0). Errors go to
 * rep (row: row). 0 with *out filled, 1 when the row is bad, -1 on a store error. */
int reg_row_parse(store *s, const rk_kind *k, const char *const *vals, const int *cols, int64_t row,
                  const reg_import_opts *o, reg_row *out, reg_import_report *rep, msk_err *err);
/* Load the file at path. 0 when loaded, 1 when the file has errors (nothing written; rep lists
 * them), -1 when it cannot be read or the store failed (err). */
int reg_import_file(store *s, const rk_kind *k, const char *path, const reg_import_opts *o,
                    reg_import_report *rep, msk_err *err);
#endif
