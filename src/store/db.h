/*
 * The one seam between the store and its database engines (issue 17 item 1): SQLite, the one
 * file a municipality starts with, and PostgreSQL, the regional server. Every file of
 * src/store/ talks to its database only through these functions; what differs between the
 * engines lives behind them, one file per engine: db.c (the dispatch and SQLite) and db_pg.c
 * (libpq). Nothing outside src/store/ includes this header.
 *
 * The SQL is written once, in the dialect both engines accept: `?` or `?N` parameters,
 * `INSERT … ON CONFLICT(…) DO UPDATE/NOTHING` upserts, `RETURNING`. The PostgreSQL driver
 * rewrites the few SQLite spellings that remain (parameters, `INSERT OR IGNORE/REPLACE`, types
 * in DDL, SQLite's functions) in one place, db_pg.c; see its header for the list.
 *
 * The calls mirror SQLite's C interface on purpose (prepare, bind, step, column, reset,
 * finalize), so a store function reads the same on both engines. Columns are numbered from 0,
 * parameters from 1. A column's text or blob is valid until the next step, reset or finalize of
 * its statement.
 */
#ifndef MSK_STORE_DB_H
#define MSK_STORE_DB_H

#include <stddef.h>
#include <stdint.h>

typedef struct db db;
typedef struct db_stmt db_stmt;
struct sqlite3;

enum db_engine { DB_SQLITE = 1, DB_POSTGRES = 2 };

/* Answers of db_step and the other calls (the values are SQLite's). */
enum { DB_OK = 0, DB_ERROR = 1, DB_ROW = 100, DB_DONE = 101 };

/* A column's type in the current row (the values are SQLite's). */
enum db_type { DB_INTEGER = 1, DB_FLOAT = 2, DB_TEXT = 3, DB_BLOB = 4, DB_NULL = 5 };

/* What the last failure was, for the messages a person can act on (errmsg.c) and for the
 * callers that treat a conflict differently from a broken disk. */
enum db_errclass {
    DB_E_NONE = 0,
    DB_E_UNIQUE,   /* a UNIQUE or PRIMARY KEY constraint */
    DB_E_CHECK,    /* a CHECK constraint */
    DB_E_FOREIGN,  /* a FOREIGN KEY constraint */
    DB_E_NOTNULL,  /* a NOT NULL constraint */
    DB_E_BUSY,     /* another connection holds the lock the statement needs */
    DB_E_SNAPSHOT, /* a read transaction may not become a write one: another write came first */
    DB_E_FULL,     /* no space left on the disk */
    DB_E_READONLY, /* the file (or the database) accepts no writes */
    DB_E_ROFS,     /* the disk under the file went read-only */
    DB_E_PERM,     /* no permission on the file or its folder */
    DB_E_IO,       /* any other failure to read or write the disk */
    DB_E_CORRUPT,  /* a damaged file, or not a database */
    DB_E_CONNECTION /* the server went away (PostgreSQL only) */,
    DB_E_OTHER
};

/* Opening and closing. db_open_sqlite takes SQLite's open flags; both return DB_OK or DB_ERROR
 * with *out set whenever a handle was made (so db_errmsg can tell why), else NULL. */
int db_open_sqlite(const char *path, int sqlite_flags, db **out);
int db_open_postgres(const char *conninfo, db **out);
void db_close(db *d); /* NULL is fine */
enum db_engine db_engine_of(const db *d);
/* "postgresql://…" or "postgres://…" (libpq's URIs), or "host=… dbname=…" key/value strings */
int db_is_postgres_uri(const char *s);

/* Statements. db_prepare_keep marks one that lives as long as the connection (the store's
 * cache of prepared statements). *out is NULL when DB_ERROR is returned. */
int db_prepare(db *d, const char *sql, db_stmt **out);
int db_prepare_keep(db *d, const char *sql, db_stmt **out);
int db_step(db_stmt *st); /* DB_ROW, DB_DONE or DB_ERROR */
/* A step whose failure the caller survives inside its transaction (it goes on with the next
 * statement): SQLite undoes a failed statement by itself; on PostgreSQL a failure aborts the
 * whole transaction unless the statement ran under a savepoint, which this step takes (one round
 * trip). Every other failure inside a transaction ends the use case: it rolls back. */
int db_step_guarded(db_stmt *st);
int db_reset(db_stmt *st);           /* back to the start; bindings are kept */
void db_clear_bindings(db_stmt *st); /* every parameter NULL */
void db_finalize(db_stmt *st);       /* NULL is fine */
int db_stmt_busy(db_stmt *st);       /* stepped, and neither done nor reset */
int db_param_count(db_stmt *st);
int db_column_count(db_stmt *st);

/* Bindings; they return DB_OK or DB_ERROR. db_bind_text and db_bind_blob copy the value;
 * the _ref forms do not (the value must live until the statement is reset: the import's hot
 * path). A NULL text binds NULL; len < 0 means up to the terminating zero. */
int db_bind_null(db_stmt *st, int i);
int db_bind_int(db_stmt *st, int i, int v);
int db_bind_int64(db_stmt *st, int i, int64_t v);
int db_bind_double(db_stmt *st, int i, double v);
int db_bind_text(db_stmt *st, int i, const char *v);
int db_bind_textn(db_stmt *st, int i, const char *v, int len);
int db_bind_text_ref(db_stmt *st, int i, const char *v, int len);
int db_bind_blob(db_stmt *st, int i, const void *p, size_t n);
int db_bind_blob_ref(db_stmt *st, int i, const void *p, size_t n);

/* Columns of the current row. db_column_text is NULL for a NULL value. */
int db_column_type(db_stmt *st, int c);
int db_column_int(db_stmt *st, int c);
int64_t db_column_int64(db_stmt *st, int c);
double db_column_double(db_stmt *st, int c);
const char *db_column_text(db_stmt *st, int c);
const void *db_column_blob(db_stmt *st, int c);
int db_column_bytes(db_stmt *st, int c);

/* Connection. db_exec runs one or more statements separated by ';' with no parameters. */
int db_exec(db *d, const char *sql);
const char *db_errmsg(db *d);
enum db_errclass db_errclass(db *d);
int64_t db_changes(db *d); /* rows changed by the last INSERT, UPDATE or DELETE */
int64_t db_last_id(db *d); /* id of the last row inserted into a table with an id column */
int db_in_transaction(db *d);

/* The schema's version, which store_migrate_to advances: SQLite's PRAGMA user_version, or on
 * PostgreSQL the one row of the table msoko_schema (made on the first write). db_user_version
 * is -1 when it cannot be read; db_set_user_version returns DB_OK or DB_ERROR. */
int db_user_version(db *d);
int db_set_user_version(db *d, int v);

/* Bulk load (issue 17 item 6): rows streamed into one table in one statement, PostgreSQL's
 * COPY … FROM STDIN in its binary format, a fraction of the round trips of multi-row INSERTs.
 * db_copy_begin starts the load of cols (ncols of them) of table; db_copy_row sends one row,
 * vals[k] the value of cols[k] (an integer also fills a float column); db_copy_end finishes it
 * and frees c, even on failure. Each returns DB_OK or DB_ERROR with db_errmsg/db_errclass
 * telling why (until the next db_exec, db_prepare or db_copy_begin). A failure of any row
 * fails the whole COPY: nothing of it is kept and, inside a transaction, the transaction is
 * aborted (the caller rolls back) — load into a table without constraints and move the rows
 * with one INSERT … SELECT where a bad row must be skipped (result.c). After a failed
 * db_copy_row, db_copy_end still has to be called; it cancels the COPY. SQLite: db_copy_begin
 * returns DB_ERROR («не поддерживается»): its prepared multi-row INSERT is already in-process. */
typedef struct db_copy db_copy;
typedef struct {
    enum db_type type; /* DB_NULL, DB_INTEGER (i), DB_FLOAT (f), DB_TEXT or DB_BLOB (p, n) */
    int64_t i;
    double f;
    const void *p; /* text as UTF-8 bytes, no terminating zero needed */
    size_t n;
} db_value;
int db_copy_begin(db *d, const char *table, const char *const *cols, int ncols, db_copy **out);
int db_copy_row(db_copy *c, const db_value *vals);
int db_copy_end(db_copy *c);

/* SQLite only: the raw handle, for what has no counterpart on a server (the online backup,
 * incremental blob reads, per-connection switches). NULL on PostgreSQL: the caller does the
 * engine's own thing or says plainly that the server does it. */
struct sqlite3 *db_sqlite(db *d);

#endif
