/*
 * Import: one file (CSV or XLSX) of one template into the store, validated row by row.
 * Everything happens inside the caller's transaction; a file with any error must be rolled
 * back by the caller, so the database is exactly as it was (issue "Import", DESIGN.md).
 */
#ifndef MSK_IMPORT_H
#define MSK_IMPORT_H

#include "base/buf.h"
#include "base/err.h"
#include "ingest/header.h"
#include "ingest/template.h"
#include "store/store.h"

#include <stdint.h>

typedef struct import_opts {
    int kind;              /* tpl_kind, or -1 to recognise it from the header row */
    const char *sheet;     /* XLSX sheet name; NULL = the first sheet */
    int year, grade;       /* defaults for rows without these columns; 0 = not given */
    const char *proc_kind; /* procedure kind (code or Russian: «ВПР»); NULL = not given */
    const char *subject;   /* subject (code or Russian name); NULL = not given */
    const char *school;  /* school code for files without a school column (ФИС ОКО «Ф1») */
    const char *roadmap; /* plan: roadmap name; NULL = the file name without extension */
    const char *user;    /* who imports (recorded in import_batch) */
    int max_messages;    /* errors listed in full; the rest are counted (0 = 50) */
} import_opts;

typedef struct import_report {
    int kind; /* the template used */
    int64_t batch_id;
    int64_t rows_read; /* data rows after the header, empty rows not counted */
    int64_t rows_loaded;
    int64_t rows_replaced; /* earlier rows of the same scope that this file replaced */
    int64_t rows_absent;   /* results: pupils marked absent */
    int64_t errors, warnings;
    int personal_dropped; /* columns with personal data left out (names, documents) */
    char scope[128]; /* what the file covered, e.g. "ВПР, математика, 5 класс, 2023" */
    msk_buf messages; /* "file:row:column: text" lines: errors, then warnings */
    /* schools: the municipalities this file created (a name in «Муниципалитет» that none had,
     * or the first one of an installation without any), "code\tname\n" lines, for the audit */
    msk_buf munis_added;
} import_report;

void import_report_init(import_report *r);
void import_report_release(import_report *r);

/* Import path inside the open transaction of s. Returns 0 when every row was valid and
 * written; 1 when the file had errors (listed in rep->messages; the caller must roll back);
 * -1 when the file could not be read at all or the store failed (err names file, row and
 * column where known). */
int import_file(store *s, const char *path, const import_opts *o, import_report *rep, msk_err *err);

/* Undo batch batch_id inside the open transaction of s: delete the rows it loaded (from the
 * tables of its template) and mark it undone. Returns 0, or -1 with err (no such batch, undone
 * already, its schools used by other batches, a database error). */
int import_undo(store *s, int64_t batch_id, int64_t *removed, msk_err *err);

#endif
