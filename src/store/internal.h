/*
 * Shared by the files of src/store/ only: the store struct, the prepared-statement cache and
 * binding helpers. Nothing outside src/store/ includes this.
 */
#ifndef MSK_STORE_INTERNAL_H
#define MSK_STORE_INTERNAL_H

#include "store/store.h"

#include "store/db.h"

enum stmt_id {
    ST_SCHOOL_PUT,
    ST_SCHOOL_ID,
    ST_SCALE_PUT,
    ST_SCALE_FIND,
    ST_SCALE_POINT,
    ST_PROC_ID,
    ST_PROC_ADD,
    ST_PROC_TASK,
    ST_BATCH_ADD,
    ST_BATCH_FINISH,
    ST_RESULT_ADD,
    ST_AGG_PUT,
    ST_ELEMENT_PUT,
    ST_ELEMENT_EXISTS,
    ST_VALUE_PUT,
    ST_OLY_ADD,
    ST_TEAM_PUT,
    ST_GRAD_ADD,
    ST_PLAN_ADD,
    ST_TRUTH_PUT,
    ST_AUDIT,
    ST_META_SET,
    ST_META_GET,
    ST_KIND_EXISTS,
    ST_SUBJECT_EXISTS,
    ST_RESULT_DEL_SCOPE,
    ST_OLY_DEL_SCOPE,
    ST_GRAD_DEL_SCOPE,
    ST_PLAN_DEL_ROADMAP,
    ST_SCHOOL_BATCH,
    ST_ELEMENT_TYPE,
    ST_RESULT_ADD_MANY,
    ST_SCHOOL_ALL,
    ST_SCHOOL_COUNT,
    ST_REGISTRY_REPLACE,
    ST_REGISTRY_KEEP,
    STMT_COUNT
};

struct store {
    db *db; /* SQLite or PostgreSQL behind db.h */
    char path[1024];
    db_stmt *stmts[STMT_COUNT]; /* prepared once, on first use */
    const char *tx_file;        /* where the open transaction began, NULL if none */
    int tx_line;
};

/* Columns of one row of ST_RESULT_ADD (ST_RESULT_ADD_MANY binds STORE_RESULT_CHUNK of them). */
enum { RESULT_COLS = 15 };

/* "ошибка базы данных FILE (what): the engine's message" into err; returns -1. */
int store_db_error(store *s, msk_err *err, const char *what);
/* The cached statement, reset and with bindings cleared; NULL (err filled) on failure. */
db_stmt *store_stmt(store *s, enum stmt_id id, msk_err *err);
int store_step_done(store *s, db_stmt *st, msk_err *err, const char *what);
/* The same for a statement whose failure the caller survives in its transaction (db_step_guarded).
 */
int store_step_done_guarded(store *s, db_stmt *st, msk_err *err, const char *what);
int store_exec(store *s, const char *sql, msk_err *err);
void store_bind_text(db_stmt *st, int i, const char *v); /* NULL binds NULL */
void store_bind_int(db_stmt *st, int i, int v);          /* STORE_NONE binds NULL */
void store_bind_id(db_stmt *st, int i, int64_t v);       /* <= 0 binds NULL */
void store_bind_real(db_stmt *st, int i, double v);      /* NAN binds NULL */
/* «ошибка базы данных FILE (area, what): the engine's message» into err; returns -1. */
int store_db_err(store *s, msk_err *err, const char *area, const char *what);
/* Prepare a statement run rarely (so not cached); -1 with store_db_err(area) on failure. */
int store_prep(store *s, const char *sql, db_stmt **st, const char *area, msk_err *err);
/* The database's last error for people (db_errclass): Russian words for a full disk, a read-only or
 * failing disk, a damaged file or a busy database; else fallback, or the engine's message when
 * fallback is NULL (src/store/errmsg.c). */
const char *store_errmsg(store *s, const char *fallback);
/* Column c of the current row as text, "" for NULL; and copied into out. */
const char *store_col(db_stmt *st, int c);
void store_col_copy(char *out, size_t outsz, db_stmt *st, int c);
/* A PostgreSQL URI or key/value string with its password removed, for messages and s->path:
 * "postgresql://user:secret@host/db" becomes "postgresql://user@host/db". */
void store_mask_uri(const char *uri, char *out, size_t outsz);
/* Give the store its identity when it has none: meta store_id, 32 random hex digits written
 * once (msoko migrate tells the files it received rows from by it; a path is not stable).
 * Called by store_open for a store opened for writing. */
int store_ensure_id(store *s, msk_err *err);
/* Current UTC time as ISO 8601, or $MSOKO_NOW when set (tests pin the clock). */
void store_now(char out[32]);

#endif
