/*
 * The engine seam of db.h: each call goes to SQLite directly or to the PostgreSQL driver
 * (db_pg.c). A statement or connection knows its engine; nothing above this file does.
 */
#include "store/db.h"

#include "base/mem.h"
#include "store/db_pg.h"
#include "store/db_pg_copy.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct db {
    enum db_engine engine;
    sqlite3 *lite;
    pg_conn *pg;
    /* the last bulk load's failure (db_copy_*), which db_errmsg tells until the next db_exec,
     * db_prepare or db_copy_begin: the driver's own error state is the statements' */
    pg_copy_err copy_err;
};

struct db_copy {
    db *d;
    pg_copy *pg;
};

struct db_stmt {
    sqlite3_stmt *lite; /* exactly one of the two is set */
    pg_stmt *pg;
};

int db_is_postgres_uri(const char *s)
{
    if (!s)
        return 0;
    if (!strncmp(s, "postgresql://", 13) || !strncmp(s, "postgres://", 11))
        return 1;
    /* libpq's key/value form: "host=/tmp dbname=x port=5433" */
    return !strncmp(s, "host=", 5) || !strncmp(s, "dbname=", 7) || strstr(s, " dbname=");
}

/* Process-wide SQLite settings, made once before the first connection: memory statistics
 * take a global mutex on every allocation, which a bulk load pays millions of times. */
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;
static void sqlite_configure(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int db_open_sqlite(const char *path, int sqlite_flags, db **out)
{
    pthread_once(&sqlite_once, sqlite_configure);
    db *d = msk_calloc(1, sizeof *d);
    d->engine = DB_SQLITE;
    *out = d;
    if (sqlite3_open_v2(path, &d->lite, sqlite_flags, NULL) != SQLITE_OK)
        return DB_ERROR;
    sqlite3_extended_result_codes(d->lite, 1);
    return DB_OK;
}

int db_open_postgres(const char *conninfo, db **out)
{
    db *d = msk_calloc(1, sizeof *d);
    d->engine = DB_POSTGRES;
    *out = d;
    return pg_open(conninfo, &d->pg);
}

void db_close(db *d)
{
    if (!d)
        return;
    if (d->lite)
        sqlite3_close(d->lite);
    if (d->pg)
        pg_close(d->pg);
    pg_copy_err_clear(&d->copy_err);
    free(d);
}

enum db_engine db_engine_of(const db *d)
{
    return d->engine;
}

struct sqlite3 *db_sqlite(db *d)
{
    return d && d->engine == DB_SQLITE ? d->lite : NULL;
}

static int prepare(db *d, const char *sql, int keep, db_stmt **out)
{
    db_stmt *st = msk_calloc(1, sizeof *st);
    int rc;
    *out = NULL;
    pg_copy_err_clear(&d->copy_err);
    if (d->engine == DB_POSTGRES)
        rc = d->pg ? pg_prepare(d->pg, sql, keep, &st->pg) : DB_ERROR;
    else
        rc = sqlite3_prepare_v3(d->lite, sql, -1, keep ? SQLITE_PREPARE_PERSISTENT : 0, &st->lite,
                                NULL) == SQLITE_OK &&
                     st->lite
                 ? DB_OK
                 : DB_ERROR;
    if (rc != DB_OK) {
        db_finalize(st);
        return DB_ERROR;
    }
    *out = st;
    return DB_OK;
}

int db_prepare(db *d, const char *sql, db_stmt **out)
{
    return prepare(d, sql, 0, out);
}

int db_prepare_keep(db *d, const char *sql, db_stmt **out)
{
    return prepare(d, sql, 1, out);
}

int db_step(db_stmt *st)
{
    if (st->pg)
        return pg_step(st->pg);
    int rc = sqlite3_step(st->lite);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? rc : DB_ERROR;
}

int db_step_guarded(db_stmt *st)
{
    if (st->pg)
        return pg_step_guarded(st->pg);
    return db_step(st);
}

int db_reset(db_stmt *st)
{
    if (st->pg)
        return pg_reset(st->pg);
    return sqlite3_reset(st->lite) == SQLITE_OK ? DB_OK : DB_ERROR;
}

void db_clear_bindings(db_stmt *st)
{
    if (st->pg)
        pg_clear_bindings(st->pg);
    else
        sqlite3_clear_bindings(st->lite);
}

void db_finalize(db_stmt *st)
{
    if (!st)
        return;
    if (st->pg)
        pg_finalize(st->pg);
    else
        sqlite3_finalize(st->lite);
    free(st);
}

int db_stmt_busy(db_stmt *st)
{
    return st->pg ? pg_stmt_busy(st->pg) : sqlite3_stmt_busy(st->lite);
}

int db_param_count(db_stmt *st)
{
    return st->pg ? pg_param_count(st->pg) : sqlite3_bind_parameter_count(st->lite);
}

int db_column_count(db_stmt *st)
{
    return st->pg ? pg_column_count(st->pg) : sqlite3_column_count(st->lite);
}

static int ok(int rc)
{
    return rc == SQLITE_OK ? DB_OK : DB_ERROR;
}

int db_bind_null(db_stmt *st, int i)
{
    return st->pg ? pg_bind_null(st->pg, i) : ok(sqlite3_bind_null(st->lite, i));
}

int db_bind_int(db_stmt *st, int i, int v)
{
    return st->pg ? pg_bind_int64(st->pg, i, v) : ok(sqlite3_bind_int(st->lite, i, v));
}

int db_bind_int64(db_stmt *st, int i, int64_t v)
{
    return st->pg ? pg_bind_int64(st->pg, i, v) : ok(sqlite3_bind_int64(st->lite, i, v));
}

int db_bind_double(db_stmt *st, int i, double v)
{
    return st->pg ? pg_bind_double(st->pg, i, v) : ok(sqlite3_bind_double(st->lite, i, v));
}

static int bind_text(db_stmt *st, int i, const char *v, int len, int copy)
{
    if (!v)
        return db_bind_null(st, i);
    if (st->pg)
        return pg_bind_text(st->pg, i, v, len, copy);
    return ok(sqlite3_bind_text(st->lite, i, v, len, copy ? SQLITE_TRANSIENT : SQLITE_STATIC));
}

int db_bind_text(db_stmt *st, int i, const char *v)
{
    return bind_text(st, i, v, -1, 1);
}

int db_bind_textn(db_stmt *st, int i, const char *v, int len)
{
    return bind_text(st, i, v, len, 1);
}

int db_bind_text_ref(db_stmt *st, int i, const char *v, int len)
{
    return bind_text(st, i, v, len, 0);
}

static int bind_blob(db_stmt *st, int i, const void *p, size_t n, int copy)
{
    if (st->pg)
        return pg_bind_blob(st->pg, i, p, n, copy);
    return ok(
        sqlite3_bind_blob64(st->lite, i, p ? p : "", n, copy ? SQLITE_TRANSIENT : SQLITE_STATIC));
}

int db_bind_blob(db_stmt *st, int i, const void *p, size_t n)
{
    return bind_blob(st, i, p, n, 1);
}

int db_bind_blob_ref(db_stmt *st, int i, const void *p, size_t n)
{
    return bind_blob(st, i, p, n, 0);
}

int db_column_type(db_stmt *st, int c)
{
    return st->pg ? pg_column_type(st->pg, c) : sqlite3_column_type(st->lite, c);
}

int db_column_int(db_stmt *st, int c)
{
    return st->pg ? (int)pg_column_int64(st->pg, c) : sqlite3_column_int(st->lite, c);
}

int64_t db_column_int64(db_stmt *st, int c)
{
    return st->pg ? pg_column_int64(st->pg, c) : sqlite3_column_int64(st->lite, c);
}

double db_column_double(db_stmt *st, int c)
{
    return st->pg ? pg_column_double(st->pg, c) : sqlite3_column_double(st->lite, c);
}

const char *db_column_text(db_stmt *st, int c)
{
    if (st->pg)
        return pg_column_text(st->pg, c);
    return (const char *)sqlite3_column_text(st->lite, c);
}

const void *db_column_blob(db_stmt *st, int c)
{
    return st->pg ? pg_column_blob(st->pg, c) : sqlite3_column_blob(st->lite, c);
}

int db_column_bytes(db_stmt *st, int c)
{
    return st->pg ? pg_column_bytes(st->pg, c) : sqlite3_column_bytes(st->lite, c);
}

int db_exec(db *d, const char *sql)
{
    pg_copy_err_clear(&d->copy_err);
    if (d->engine == DB_POSTGRES)
        return d->pg ? pg_exec(d->pg, sql) : DB_ERROR;
    return ok(sqlite3_exec(d->lite, sql, NULL, NULL, NULL));
}

const char *db_errmsg(db *d)
{
    if (d->copy_err.msg)
        return d->copy_err.msg;
    if (d->engine == DB_POSTGRES)
        return d->pg ? pg_errmsg(d->pg) : "нет соединения с сервером PostgreSQL";
    return d->lite ? sqlite3_errmsg(d->lite) : "нет памяти";
}

static enum db_errclass lite_errclass(sqlite3 *h)
{
    int code = sqlite3_extended_errcode(h);
    int sys = sqlite3_system_errno(h);
    switch (code) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
        return DB_E_NONE;
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        return DB_E_UNIQUE;
    case SQLITE_CONSTRAINT_CHECK:
        return DB_E_CHECK;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        return DB_E_FOREIGN;
    case SQLITE_CONSTRAINT_NOTNULL:
        return DB_E_NOTNULL;
    case SQLITE_BUSY_SNAPSHOT:
        return DB_E_SNAPSHOT;
    default:
        break;
    }
    switch (code & 0xff) {
    case SQLITE_FULL:
        return DB_E_FULL;
    case SQLITE_READONLY:
        return DB_E_READONLY;
    case SQLITE_IOERR:
        if (sys == ENOSPC || sys == EDQUOT)
            return DB_E_FULL;
        if (sys == EROFS)
            return DB_E_ROFS;
        if (sys == EACCES || sys == EPERM)
            return DB_E_PERM;
        return DB_E_IO;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return DB_E_CORRUPT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return DB_E_BUSY;
    case SQLITE_CANTOPEN:
        return DB_E_PERM;
    default:
        return DB_E_OTHER;
    }
}

enum db_errclass db_errclass(db *d)
{
    if (d->copy_err.msg)
        return d->copy_err.cls;
    if (d->engine == DB_POSTGRES)
        return d->pg ? pg_errclass(d->pg) : DB_E_CONNECTION;
    return d->lite ? lite_errclass(d->lite) : DB_E_OTHER;
}

int64_t db_changes(db *d)
{
    return d->engine == DB_POSTGRES ? pg_changes(d->pg) : sqlite3_changes64(d->lite);
}

int64_t db_last_id(db *d)
{
    return d->engine == DB_POSTGRES ? pg_last_id(d->pg) : sqlite3_last_insert_rowid(d->lite);
}

int db_in_transaction(db *d)
{
    return d->engine == DB_POSTGRES ? pg_in_transaction(d->pg) : !sqlite3_get_autocommit(d->lite);
}

/* One integer of a one-column query, or -1. */
static int query_int(db *d, const char *sql)
{
    db_stmt *st = NULL;
    int v = -1;
    if (db_prepare(d, sql, &st) == DB_OK && db_step(st) == DB_ROW)
        v = db_column_int(st, 0);
    db_finalize(st);
    return v;
}

int db_user_version(db *d)
{
    if (d->engine == DB_SQLITE)
        return query_int(d, "PRAGMA user_version");
    /* a database msoko never wrote has no table yet: version 0, and nothing made while only
     * reading (a failed SELECT would also abort the transaction it ran in) */
    int have = query_int(d, "SELECT count(*) FROM pg_catalog.pg_tables"
                            " WHERE tablename = 'msoko_schema' AND schemaname = current_schema()");
    if (have <= 0)
        return have;
    int v = query_int(d, "SELECT coalesce(max(version), 0) FROM msoko_schema");
    return v;
}

int db_set_user_version(db *d, int v)
{
    char sql[200];
    if (d->engine == DB_SQLITE)
        snprintf(sql, sizeof sql, "PRAGMA user_version=%d", v);
    else
        snprintf(sql, sizeof sql,
                 "CREATE TABLE IF NOT EXISTS msoko_schema(version INTEGER NOT NULL);"
                 " DELETE FROM msoko_schema; INSERT INTO msoko_schema(version) VALUES(%d)",
                 v);
    return db_exec(d, sql);
}

int db_copy_begin(db *d, const char *table, const char *const *cols, int ncols, db_copy **out)
{
    *out = NULL;
    pg_copy_err_clear(&d->copy_err);
    if (d->engine != DB_POSTGRES) {
        d->copy_err.msg = msk_strdup("массовая загрузка (COPY) в SQLite не поддерживается");
        d->copy_err.cls = DB_E_OTHER;
        return DB_ERROR;
    }
    pg_copy *p;
    if (pg_copy_begin(d->pg, &d->copy_err, table, cols, ncols, &p) != DB_OK)
        return DB_ERROR;
    db_copy *c = msk_calloc(1, sizeof *c);
    c->d = d;
    c->pg = p;
    *out = c;
    return DB_OK;
}

int db_copy_row(db_copy *c, const db_value *vals)
{
    return pg_copy_row(c->pg, vals);
}

int db_copy_end(db_copy *c)
{
    if (!c)
        return DB_ERROR;
    int rc = pg_copy_end(c->pg);
    free(c);
    return rc;
}
