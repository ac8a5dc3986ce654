/*
 * The PostgreSQL half of the store's engine seam (db.h), called only by db.c: one function per
 * db.h call, on libpq's connection and statement. Implemented in db_pg.c.
 */
#ifndef MSK_STORE_DB_PG_H
#define MSK_STORE_DB_PG_H

#include "store/db.h"

typedef struct pg_conn pg_conn;
typedef struct pg_stmt pg_stmt;

int pg_open(const char *conninfo, pg_conn **out); /* *out set when a handle was made */
void pg_close(pg_conn *c);

int pg_prepare(pg_conn *c, const char *sql, int keep, pg_stmt **out);
int pg_step(pg_stmt *st);
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

#endif
