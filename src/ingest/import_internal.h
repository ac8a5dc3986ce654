/*
 * Shared by the files of the import only (src/ingest/import*.c): the state of one import
 * (imp), the writer of results, and the helpers the loaders share. The loaders of other
 * templates (ingest/internal.h) use the imp_* accessors instead.
 */
#ifndef MSK_INGEST_IMPORT_INTERNAL_H
#define MSK_INGEST_IMPORT_INTERNAL_H

#include "ingest/import.h"

#include "base/deadline.h"
#include "base/mem.h"
#include "base/vocab.h"
#include "ingest/csv.h"
#include "ingest/internal.h"
#include "ingest/validate.h"
#include "ingest/xlsx.h"
#include "store/plan.h"
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    HEADER_SCAN_ROWS = 30,
    MAX_TASKS = 64,
    PROC_CACHE = 64,
    PROC_SEEN = 2 * PROC_CACHE,
    MAX_TEST_PRIMARY = 128
};

typedef struct proc_slot {
    int year, grade;
    char kind[16], subject[16]; /* 16: «INTERVIEW» did not fit in 8 */
    int64_t id;
    int has_scale, result_type_mark;
    int pass_fail; /* ESSAY, INTERVIEW: the result is «зачёт»/«незачёт» (F_PASS) */
    int fresh;     /* created by this file: no stored result is of it */
    store_scale scale;
    int task_max[MAX_TASKS];           /* -1 unknown */
    int16_t test_of[MAX_TEST_PRIMARY]; /* the year's primary → test table, -1 unknown */
} proc_slot;

/* The four procedure cells of a row (year, kind, subject, grade) as written, and the slot they
 * resolved to. */
typedef struct proc_seen {
    uint64_t hash;
    char cells[4][64];
    proc_slot *p;
} proc_seen;

/* Results are written by a second thread (the writer) while this one reads and validates:
 * SQLite inserts and parsing each take about half of a bulk load, and the machine has two
 * cores. Rows travel in blocks that carry their own copies of the strings. */
/* 4,096 rows a block: the writer switches SQLite's trigger and foreign key flags once a block
 * (store_result_add_many), which prepares its statements again */
enum { WBLOCK_ROWS = 4096, WBLOCKS = 3 };
typedef struct wrec {
    store_result r;
    int64_t row;
    int col;   /* column of the pupil code, for a duplicate's message */
    int clear; /* 1: not a row but "replace the scope (procedure, school)" */
    char pupil[64], klass[16];
    unsigned char tasks[MAX_TASKS];
} wrec;
typedef struct wblock {
    size_t n;
    wrec rec[WBLOCK_ROWS];
    store_result batch[WBLOCK_ROWS];
    unsigned char failed[WBLOCK_ROWS];
} wblock;
typedef struct writer {
    pthread_t th;
    pthread_mutex_t mu; /* guards the queue fields below */
    pthread_cond_t cv;
    pthread_mutex_t db; /* held by whoever uses the store connection */
    wblock *blocks[WBLOCKS];
    wblock *queue[WBLOCKS]; /* full blocks waiting for the writer, in order */
    size_t qhead, qlen;
    wblock *free_list[WBLOCKS];
    size_t nfree;
    int done, failed; /* reader finished; writer hit a database error */
    msk_err err;
    int64_t replaced, duplicates;
    msk_buf messages; /* the writer's own row errors (duplicates) */
    int64_t listed;
} writer;

typedef struct school_map {
    char **code;
    int64_t *id;
    size_t cap;
} school_map;

/* Everything one import needs, in one place (STYLE.md: state private to a file). */
typedef struct imp {
    store *s;
    const import_opts *o;
    import_report *rep;
    tbl_reader *rd;
    const char *file; /* for messages: the path as given */
    hdr_map map;
    char **head; /* header cell texts, for messages */
    size_t nhead;
    hdr_title title; /* from a title line above the header, if any */
    int has_title;
    int year_conflict;    /* a chosen year that differs from the file's was reported */
    char school_hint[32]; /* a school login seen above the header */
    int kind;
    int max_messages;
    int64_t warnings_listed;
    /* caches */
    proc_slot procs[PROC_CACHE];
    int nprocs;
    proc_slot *last_proc; /* the previous row's procedure, valid while its cells repeat */
    char last_proc_cells[4][64];
    proc_seen seen[PROC_SEEN]; /* cells already resolved, for a file that alternates */
    int nseen;
    char last_school[64];
    int64_t last_school_id;
    uint64_t *scopes; /* open-addressing set of (procedure or year/grade) × school keys */
    size_t scope_cap, nscopes;
    int plan_cleared;
    char **elem_norm; /* context wide: normalised element codes and names */
    char **elem_code;
    size_t nelems;
    int *wide_elem; /* per column: index into elem_code, or -1 */
    writer *w;      /* results only: the writer thread, NULL when writing inline */
    wblock *cur;    /* the block being filled */
    school_map schools;
} imp;

/* A word field mapped through a table of (spelling → code) after normalisation. */
typedef struct word {
    const char *spelling, *code;
} word;

__attribute__((format(printf, 4, 5))) void imp_row_error(imp *m, int64_t row, int col,
                                                         const char *fmt, ...);
__attribute__((format(printf, 4, 5))) void imp_row_warning(imp *m, int64_t row, int col,
                                                           const char *fmt, ...);
int imp_blank(const char *s);
/* Copy a cell trimmed of surrounding blanks. */
void imp_trimmed(const char *in, char *out, size_t outsz);
int imp_bool_field(imp *m, hdr_field f, const char *what, int *out);
const char *imp_word_code(const word *tab, const char *text);
int imp_map_load(imp *m, msk_err *err);
int imp_map_get(const school_map *sm, const char *code, int64_t *id);
void imp_map_release(school_map *sm);
int imp_writer_start(imp *m);
/* Hand the current block to the writer and take an empty one. Returns -1 when the writer
 * has failed (its error is reported at the end). */
int imp_writer_push(imp *m);
/* Flush, stop and join the writer; merge its counts and messages. Returns -1 (err filled)
 * when it hit a database error. */
int imp_writer_finish(imp *m, msk_err *err);
/* The store connection is shared with the writer: take it for the rare direct uses. */
void imp_db_lock(imp *m);
void imp_db_unlock(imp *m);
/* Files hold one or a few procedures, row after row: when the four procedure cells repeat the
 * previous row's, so does the procedure. Saves resolving «ВПР», «Математика» on every row. */
proc_slot *imp_row_procedure(imp *m);
/* The year of the current row: the file's own (its column, else its title line) wins; the
 * chosen year (o->year) only fills a file without one, and a chosen year that differs from the
 * file's is an error naming both (reported once per file). Returns 0, or -1 (row error). */
int imp_file_year(imp *m, long *year);
int imp_row_year(imp *m, long *year);

#endif
