/*
 * The store: one SQLite file (WAL, foreign keys) holding everything msoko knows. All SQL of
 * the program lives under src/store/; callers use these typed functions. Every write path
 * runs inside store_begin/store_commit (BEGIN IMMEDIATE), so bad input never leaves half a
 * change behind (DESIGN.md "Shape").
 */
#ifndef MSK_STORE_H
#define MSK_STORE_H

#include "base/err.h"

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

/* "No value" for integer columns stored as NULL; NAN plays that role for doubles. */
#define STORE_NONE INT_MIN

typedef struct store store;

enum store_mode {
    STORE_READ = 0,   /* existing msoko database, read only */
    STORE_WRITE = 1,  /* existing msoko database, upgraded in place if older */
    STORE_CREATE = 2, /* create if missing (msoko init); an existing non-msoko file is refused */
};

/* Open path. On failure returns -1 with a Russian message that names the file and the fix:
 * a missing file, a file that is not an msoko database, a read-only file for STORE_WRITE,
 * a database from a newer build. Close with store_close. */
int store_open(const char *path, int mode, store **out, msk_err *err);
/* Does path name a PostgreSQL server (postgresql://…, postgres://…, "host=… dbname=…") rather
 * than a file? */
int store_is_server(const char *path);
/* Close; rolls back an open transaction. NULL is a no-op. */
void store_close(store *s);
const char *store_path(const store *s);

/* Transactions. store_begin starts BEGIN IMMEDIATE and remembers where (file:line) for the
 * message when a transaction is leaked or nested. store_rollback is safe to call when none
 * is open. */
#define store_begin(s, err) store_begin_at((s), __FILE__, __LINE__, (err))
int store_begin_at(store *s, const char *file, int line, msk_err *err);
int store_commit(store *s, msk_err *err);
void store_rollback(store *s);
int store_in_transaction(const store *s);

/* Schema version (PRAGMA user_version). store_migrate_to applies migrations up to version;
 * used by store_open and by the upgrade test to build an older database. */
int store_user_version(store *s);
int store_migrate_to(store *s, int version, msk_err *err);

/* Reference data of msoko init: procedure kinds, subjects, default scales (METHODS.md §3),
 * context data elements. Idempotent. Call inside a transaction. */
int store_seed_reference(store *s, msk_err *err);
/* Has msoko init run (reference data present)? */
int store_is_initialised(store *s);

/* Row counts of every table, in schema order. *names and *counts are arrays of n entries,
 * owned by the caller (free each name, then both arrays). */
int store_table_counts(store *s, char ***names, int64_t **counts, size_t *n, msk_err *err);

/* A stable digest of every table's content (table name, row count, and a hash of all rows),
 * for tests that prove a failed command changed nothing. out gets 64 hex chars + NUL. */
int store_checksum(store *s, char out[65], msk_err *err);

/* Key/value settings in the meta table. store_meta_get returns 1 if found (copied into out). */
int store_meta_set(store *s, const char *key, const char *value, msk_err *err);
int store_meta_get(store *s, const char *key, char *out, size_t outsz);

/* ---- reference lookups ---- */
int store_kind_exists(store *s, const char *code);
int store_subject_exists(store *s, const char *code);

/* ---- schools ---- */
typedef struct store_school {
    const char *code, *name, *type, *locality, *levels;
} store_school;
/* Insert or update by code; *id (may be NULL) gets the row id. */
int store_school_put(store *s, const store_school *sc, int64_t *id, msk_err *err);
/* Id of the school with this code: 0 and *id set, or 1 when there is none. */
int store_school_id(store *s, const char *code, int64_t *id);
/* Number of schools (0 on a database error). */
int64_t store_school_count(store *s);
/* Call fn for every school (code, id), in no particular order. */
int store_school_each(store *s, void (*fn)(void *ctx, const char *code, int64_t id), void *ctx,
                      msk_err *err);

/* ---- scales ---- */
typedef struct store_scale {
    int year; /* 0 = default for every year without its own */
    const char *kind, *subject;
    int grade;
    double max_primary, mark3, mark4, mark5; /* NAN where the scale has no marks */
    int min_test;                            /* STORE_NONE where no minimum */
    const char *source;
} store_scale;
int store_scale_put(store *s, const store_scale *sc, int64_t *id, msk_err *err);
/* The scale for (year, kind, subject, grade): the year's own, else the default (year 0).
 * Returns 0 and fills out (string fields point to static reference names, not owned), or 1
 * when there is none. */
int store_scale_find(store *s, int year, const char *kind, const char *subject, int grade,
                     store_scale *out, int64_t *id);
int store_scale_point_put(store *s, int64_t scale_id, int primary, int test, msk_err *err);

/* ---- procedures ---- */
/* Id of (year, kind, subject, grade); created when create != 0, else returns 1 if missing. */
int store_procedure_id(store *s, int year, const char *kind, const char *subject, int grade,
                       int create, int64_t *id, msk_err *err);
int store_procedure_task_put(store *s, int64_t procedure_id, int idx, const char *label,
                             int max_score, msk_err *err);

/* ---- import batches ---- */
typedef struct store_batch {
    const char *file_name, *sha256, *kind, *scope, *user;
} store_batch;
int store_batch_add(store *s, const store_batch *b, int64_t *id, msk_err *err);
int store_batch_finish(store *s, int64_t id, const char *sha256, const char *scope,
                       int64_t rows_read, int64_t rows_loaded, int64_t rows_replaced,
                       int64_t warnings, msk_err *err);

/* ---- per-pupil results ---- */
enum { STORE_TASK_X = 255 }; /* task not attempted */
/* A pass/fail procedure (итоговое сочинение, изложение, собеседование: proc_kind.result_type
 * 'pass') keeps «зачёт» as the mark 5 and «незачёт» as 2, so counts, suppression and the
 * «not admitted» share work as for marks (seed 003 п. 2.1: допуск к ГИА). */
enum { STORE_PASS_MARK = 5, STORE_FAIL_MARK = 2 };
typedef struct store_result {
    int64_t procedure_id, school_id, batch_id; /* batch_id 0 = none */
    const char *class_name, *pupil_code;
    int variant;                        /* STORE_NONE if unknown */
    double primary_score;               /* NAN if none */
    int mark, test_score, journal_mark; /* STORE_NONE if none */
    int retake, past_graduate, ovz, absent;
    const unsigned char *tasks; /* ntasks bytes, STORE_TASK_X = not attempted; may be NULL */
    size_t ntasks;
} store_result;
int store_result_add(store *s, const store_result *r, msk_err *err);
/* Insert n results, STORE_RESULT_CHUNK rows a statement (the bulk path of import). Rows that
 * break a constraint (a pupil twice in one procedure) are skipped and flagged in failed[]
 * (n bytes, 1 = not inserted); the others are inserted. Returns 0, or -1 on a database error
 * (err filled). */
enum { STORE_RESULT_CHUNK = 64 };
int store_result_add_many(store *s, const store_result *r, size_t n, unsigned char *failed,
                          msk_err *err);

/* ---- per-school aggregates (data that arrives already counted) ---- */
typedef struct store_aggregate {
    int64_t procedure_id, school_id, batch_id;
    int participants, mark2, mark3, mark4, mark5, below_min; /* STORE_NONE if not given */
} store_aggregate;
int store_aggregate_put(store *s, const store_aggregate *a, msk_err *err);

/* ---- context data and monitoring values ---- */
typedef struct store_element {
    const char *code, *name, *value_type, *unit;
    double min_value, max_value; /* NAN = no limit */
} store_element;
int store_element_put(store *s, const store_element *e, msk_err *err);
int store_element_exists(store *s, const char *code);
/* Every data element's code and Russian name, in their order; arrays and strings owned by the
 * caller (free each string, then the arrays). */
int store_element_list(store *s, char ***codes, char ***names, size_t *n, msk_err *err);
/* Set a value (replacing the earlier one for the same element, school and period). */
int store_value_put(store *s, const char *element, int64_t school_id, const char *period,
                    double value, const char *text_value, int64_t batch_id, msk_err *err);

/* ---- olympiads, graduates, plan ---- */
typedef struct store_olympiad {
    int year, grade;
    const char *stage, *subject, *pupil_code, *status;
    int64_t school_id, batch_id;
    double score; /* NAN if none */
} store_olympiad;
int store_olympiad_add(store *s, const store_olympiad *o, msk_err *err);
int store_team_put(store *s, int year, const char *stage, int64_t school_id, int place,
                   int64_t batch_id, msk_err *err);

/* A contest participant (seed 000 table 1, row 7): level federal|regional|municipal, status
 * winner|prizewinner|participant, exactly one of pupil_code and teacher_code. */
typedef struct store_contest {
    int year;
    int64_t school_id, batch_id;
    const char *level, *title, *status, *pupil_code, *teacher_code;
} store_contest;
int store_contest_add(store *s, const store_contest *c, msk_err *err);
/* Delete the contests of one school and year (a file replaces what it names); adds the rows
 * deleted to *deleted. */
int store_contest_clear(store *s, int year, int64_t school_id, int64_t *deleted, msk_err *err);

typedef struct store_graduate {
    int year, grade, attestat, medal;
    int64_t school_id, batch_id;
    const char *pupil_code, *destination; /* destination NULL if unknown */
} store_graduate;
int store_graduate_add(store *s, const store_graduate *g, msk_err *err);

typedef struct store_plan {
    const char *roadmap, *section, *number, *text, *deadline, *due_on, *responsible, *result,
        *status;
    int year;                                /* STORE_NONE if none */
    int64_t school_id, finding_id, batch_id; /* 0 = none */
} store_plan;
int store_plan_add(store *s, const store_plan *p, int64_t *id, msk_err *err);

/* ---- scoped replacement for re-imports: delete the earlier rows of one scope; *deleted
 * (may be NULL) is increased by the number of rows removed ---- */
int store_result_clear_scope(store *s, int64_t procedure_id, int64_t school_id, int64_t *deleted,
                             msk_err *err);
int store_olympiad_clear_scope(store *s, int year, const char *stage, const char *subject,
                               int64_t school_id, int64_t *deleted, msk_err *err);
int store_graduate_clear_scope(store *s, int year, int grade, int64_t school_id, int64_t *deleted,
                               msk_err *err);
/* Items of a roadmap that came from files (not those generated by an analysis). */
int store_plan_clear_roadmap(store *s, const char *roadmap, int64_t *deleted, msk_err *err);
/* Remember the batch that first created a school (so that undo can remove it). */
int store_school_mark_batch(store *s, int64_t school_id, int64_t batch_id, msk_err *err);
/* Type ("bool", "count", …) and limits of a data element: 0, or 1 when there is none. */
int store_element_info(store *s, const char *code, char type[16], double *min, double *max);

typedef struct store_batch_row {
    int64_t id, rows_read, rows_loaded, rows_replaced, warnings;
    char file_name[256], sha256[65], kind[16], scope[128], user[64], created_at[32], undone_at[32];
} store_batch_row;
/* Every batch, oldest first; *rows is owned by the caller (free). */
int store_batch_list(store *s, store_batch_row **rows, size_t *n, msk_err *err);
/* The tables that hold the rows of a batch of one kind (import_batch.kind): NULL-terminated
 * names of the schema's tables, in the order to empty them; NULL for an unknown kind. The
 * import templates know them (ingest/template.c), the store does not. */
typedef const char *const *(*store_undo_tables_fn)(const char *kind);
/* Remove every row a batch loaded from the tables tables_of names for its kind and mark it
 * undone (call inside a transaction). Rows that a re-import replaced are not brought back.
 * Callers use import_undo (ingest/import.h), which passes the template table. */
int store_batch_undo(store *s, int64_t batch_id, store_undo_tables_fn tables_of, int64_t *removed,
                     msk_err *err);

/* ---- ground truth of a generated municipality ---- */
int store_demo_truth_put(store *s, int64_t school_id, const char *what, int since_year,
                         const char *detail, msk_err *err);

/* ---- audit ---- */
int store_audit(store *s, const char *user, const char *action, const char *object,
                const char *before, const char *after, msk_err *err);

#endif
