/*
 * The PostgreSQL driver of the store's engine seam (db_pg.h). Not written yet: every call
 * fails with a message that says so, and db_open_postgres refuses to open (issue 17).
 */
#include "store/db_pg.h"

#include <stddef.h>

struct pg_conn {
    int unused;
};

static const char NOT_YET[] = "хранилище PostgreSQL ещё не поддерживается этой сборкой msoko";

int pg_open(const char *conninfo, pg_conn **out)
{
    (void)conninfo;
    *out = NULL;
    return DB_ERROR;
}
void pg_close(pg_conn *c)
{
    (void)c;
}
int pg_prepare(pg_conn *c, const char *sql, int keep, pg_stmt **out)
{
    (void)c, (void)sql, (void)keep;
    *out = NULL;
    return DB_ERROR;
}
int pg_step(pg_stmt *st)
{
    (void)st;
    return DB_ERROR;
}
int pg_reset(pg_stmt *st)
{
    (void)st;
    return DB_ERROR;
}
void pg_clear_bindings(pg_stmt *st)
{
    (void)st;
}
void pg_finalize(pg_stmt *st)
{
    (void)st;
}
int pg_stmt_busy(pg_stmt *st)
{
    (void)st;
    return 0;
}
int pg_param_count(pg_stmt *st)
{
    (void)st;
    return 0;
}
int pg_column_count(pg_stmt *st)
{
    (void)st;
    return 0;
}
int pg_bind_null(pg_stmt *st, int i)
{
    (void)st, (void)i;
    return DB_ERROR;
}
int pg_bind_int64(pg_stmt *st, int i, int64_t v)
{
    (void)st, (void)i, (void)v;
    return DB_ERROR;
}
int pg_bind_double(pg_stmt *st, int i, double v)
{
    (void)st, (void)i, (void)v;
    return DB_ERROR;
}
int pg_bind_text(pg_stmt *st, int i, const char *v, int len, int copy)
{
    (void)st, (void)i, (void)v, (void)len, (void)copy;
    return DB_ERROR;
}
int pg_bind_blob(pg_stmt *st, int i, const void *p, size_t n, int copy)
{
    (void)st, (void)i, (void)p, (void)n, (void)copy;
    return DB_ERROR;
}
int pg_column_type(pg_stmt *st, int c)
{
    (void)st, (void)c;
    return DB_NULL;
}
int64_t pg_column_int64(pg_stmt *st, int c)
{
    (void)st, (void)c;
    return 0;
}
double pg_column_double(pg_stmt *st, int c)
{
    (void)st, (void)c;
    return 0;
}
const char *pg_column_text(pg_stmt *st, int c)
{
    (void)st, (void)c;
    return NULL;
}
const void *pg_column_blob(pg_stmt *st, int c)
{
    (void)st, (void)c;
    return NULL;
}
int pg_column_bytes(pg_stmt *st, int c)
{
    (void)st, (void)c;
    return 0;
}
int pg_exec(pg_conn *c, const char *sql)
{
    (void)c, (void)sql;
    return DB_ERROR;
}
const char *pg_errmsg(pg_conn *c)
{
    (void)c;
    return NOT_YET;
}
enum db_errclass pg_errclass(pg_conn *c)
{
    (void)c;
    return DB_E_CONNECTION;
}
int64_t pg_changes(pg_conn *c)
{
    (void)c;
    return 0;
}
int64_t pg_last_id(pg_conn *c)
{
    (void)c;
    return 0;
}
int pg_in_transaction(pg_conn *c)
{
    (void)c;
    return 0;
}
