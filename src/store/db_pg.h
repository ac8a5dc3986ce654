/*
 * The PostgreSQL half of the store's engine seam (db.h), called only by db.c: one function per
 * db.h call, on libpq's connection and statement. Implemented in db_pg.c; the SQL rewriting
 * in db_pg_sql.c.
 */
#ifndef MSK_STORE_DB_PG_H
#define MSK_STORE_DB_PG_H

#include "base/buf.h"
#include "store/db.h"

typedef struct pg_conn pg_conn;
typedef struct pg_stmt pg_stmt;

int pg_open(const char *conninfo, pg_conn **out); /* *out set when a handle was made */
void pg_close(pg_conn *c);

int pg_prepare(pg_conn *c, const char *sql, int keep, pg_stmt **out);
int pg_step(pg_stmt *st);
int pg_step_guarded(pg_stmt *st); /* under a savepoint inside a transaction */
int pg_reset(pg_stmt *st);
void pg_clear_bindings(pg_stmt *st);
void pg_finalize(pg_stmt *st);
int pg_stmt_busy(pg_stmt *st);
int pg_param_count(pg_stmt *st);
int pg_column_count(pg_stmt *st);

int pg_bind_null(pg_stmt *st, int i);
int pg_bind_int64(pg_stmt *st, int i, int64_t v);
int pg_bind_double(pg_stmt *st, int i, double v);
int pg_bind_text(pg_stmt *st, int i, const char *v, int len, int copy);
int pg_bind_blob(pg_stmt *st, int i, const void *p, size_t n, int copy);

int pg_column_type(pg_stmt *st, int c);
int64_t pg_column_int64(pg_stmt *st, int c);
double pg_column_double(pg_stmt *st, int c);
const char *pg_column_text(pg_stmt *st, int c);
const void *pg_column_blob(pg_stmt *st, int c);
int pg_column_bytes(pg_stmt *st, int c);

int pg_exec(pg_conn *c, const char *sql);
const char *pg_errmsg(pg_conn *c);
enum db_errclass pg_errclass(pg_conn *c);
int64_t pg_changes(pg_conn *c);
int64_t pg_last_id(pg_conn *c);
int pg_in_transaction(pg_conn *c);
/* libpq's connection (a PGconn *) under c, for the bulk load of db_pg_copy.c; NULL for none */
void *pg_libpq(pg_conn *c);

/* The SQL rewriter (db_pg_sql.c), a pure function: SQLite's spellings of sql in PostgreSQL's
 * (the table at the top of db_pg_sql.c). script = 1: several statements separated by ';' (for
 * db_exec); 0: one statement (a trailing ';' is fine). keys(ctx, table, out) appends the
 * table's primary and unique keys to out, one a line, columns separated by ',', primary key
 * first, and returns 0 (-1 when it cannot tell): only INSERT OR REPLACE asks. Returns 0 with
 * the text in out and the number of parameters in *nparams (may be NULL), or -1 with a Russian
 * message in err. */
typedef int (*pg_key_fn)(void *ctx, const char *table, msk_buf *out);
int pg_rewrite(const char *sql, int script, pg_key_fn keys, void *ctx, msk_buf *out, int *nparams,
               msk_buf *err);
/* Whether a statement of sql (PostgreSQL's spelling) begins, ends or marks a transaction:
 * such a statement is not wrapped in the driver's savepoint. */
int pg_controls_transaction(const char *sql);
/* The functions, aggregates and the view SQLite has built in, as SQL made once per database in
 * the schema msoko_compat; the version is kept as the schema's comment. */
extern const char PG_COMPAT_VERSION[];
extern const char PG_COMPAT_SQL[];

#endif
