/*
 * The model snapshot's rows: see snapshot.h. On SQLite, columns are streamed with its
 * incremental BLOB I/O, straight into the caller's arrays (no copy of a column inside SQLite
 * first); a PostgreSQL server sends a column whole, through an ordinary SELECT.
 */
#include "store/snapshot.h"

#include "base/mem.h"
#include "store/internal.h"

#include <sqlite3.h> /* incremental BLOB I/O and the page cache: SQLite only */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char AREA[] = "снимок модели";

struct store_snapshot_blob {
    store *s;
    sqlite3_blob *b; /* SQLite */
    db_stmt *st;     /* PostgreSQL: the SELECT whose current row holds the column */
    const unsigned char *data;
    size_t len;
};

int store_snapshot_stamp(store *s, int64_t *stamp, msk_err *err)
{
    db_stmt *st = NULL;
    int rc;
    *stamp = -1;
    if (store_prep(s, "SELECT n FROM model_stamp WHERE k = 1", &st, AREA, err))
        return -1;
    rc = db_step(st);
    if (rc == DB_ROW)
        *stamp = db_column_int64(st, 0);
    db_finalize(st);
    if (rc != DB_ROW)
        return store_db_err(s, err, AREA, "отметка данных");
    return 0;
}

int store_snapshot_data_years(store *s, int *from, int *to, msk_err *err)
{
    db_stmt *st = NULL;
    int rc;
    *from = 1;
    *to = 0;
    if (store_prep(s,
                   "SELECT min(y), max(y) FROM (SELECT year AS y FROM procedure"
                   " UNION ALL SELECT year FROM olympiad_result"
                   " UNION ALL SELECT year FROM olympiad_team"
                   " UNION ALL SELECT year FROM graduate_outcome"
                   " UNION ALL SELECT CAST(period AS INTEGER) FROM data_value"
                   "  WHERE period GLOB '[0-9][0-9][0-9][0-9]'"
                   /* the school year of a month's form value (fmt_period_school_year):
                    * September to December count in the next one */
                   " UNION ALL SELECT CAST(substr(period, 1, 4) AS INTEGER)"
                   "  + (substr(period, 6, 2) BETWEEN '09' AND '12') FROM data_value"
                   "  WHERE period GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]')",
                   &st, AREA, err))
        return -1;
    rc = db_step(st);
    if (rc == DB_ROW && db_column_type(st, 0) != DB_NULL) {
        *from = db_column_int(st, 0);
        *to = db_column_int(st, 1);
    }
    db_finalize(st);
    if (rc != DB_ROW)
        return store_db_err(s, err, AREA, "годы данных");
    return 0;
}

int store_snapshot_writable(store *s)
{
    sqlite3 *lite = db_sqlite(s->db);
    return (!lite || !sqlite3_db_readonly(lite, "main")) && !db_in_transaction(s->db);
}

int store_snapshot_begin(store *s, int *cache, msk_err *err)
{
    db_stmt *st = NULL;
    *cache = 0;
    if (db_in_transaction(s->db))
        return 0;
    if (!db_sqlite(s->db)) { /* a server has no page cache of the connection's to shrink */
        if (db_exec(s->db, "BEGIN") != DB_OK)
            return store_db_err(s, err, AREA, "начало чтения");
        return 1;
    }
    /* the columns' pages are read once: a small page cache while they stream through keeps
     * them from filling the usual 64 MB of it (store_open); store_snapshot_end restores it */
    if (store_prep(s, "PRAGMA cache_size", &st, AREA, err))
        return -1;
    if (db_step(st) == DB_ROW)
        *cache = db_column_int(st, 0);
    db_finalize(st);
    if (db_exec(s->db, "PRAGMA cache_size=-1024; BEGIN") != DB_OK) {
        store_db_err(s, err, AREA, "начало чтения");
        store_snapshot_end(s, 1, *cache);
        return -1;
    }
    return 1;
}

void store_snapshot_end(store *s, int begun, int cache)
{
    char pragma[64];
    if (begun != 1)
        return;
    if (db_in_transaction(s->db))
        db_exec(s->db, "ROLLBACK");
    if (!db_sqlite(s->db))
        return;
    snprintf(pragma, sizeof pragma, "PRAGMA cache_size=%d", cache);
    db_exec(s->db, pragma);
}

/* The column of row id through a SELECT (PostgreSQL): the statement stays open, its row
 * holding the bytes, until store_snapshot_close. */
static int open_selected(store *s, int64_t id, store_snapshot_blob **b, size_t *len, msk_err *err)
{
    db_stmt *st = NULL;
    if (store_prep(s, "SELECT data FROM model_snapshot WHERE id = ?1", &st, AREA, err))
        return -1;
    db_bind_int64(st, 1, id);
    if (db_step(st) != DB_ROW) {
        store_db_err(s, err, AREA, "открытие столбца");
        db_finalize(st);
        return -1;
    }
    *b = msk_calloc(1, sizeof **b);
    (*b)->s = s;
    (*b)->st = st;
    (*b)->data = db_column_blob(st, 0);
    (*b)->len = (size_t)db_column_bytes(st, 0);
    *len = (*b)->len;
    return 0;
}

int store_snapshot_open(store *s, int year, const char *col, int64_t stamp, int format,
                        store_snapshot_blob **b, size_t *len, msk_err *err)
{
    db_stmt *st = NULL;
    sqlite3_blob *blob = NULL;
    int64_t id;
    int rc;
    *b = NULL;
    *len = 0;
    if (store_prep(s,
                   "SELECT id FROM model_snapshot WHERE year = ?1 AND col = ?2"
                   " AND stamp = ?3 AND format = ?4",
                   &st, AREA, err))
        return -1;
    db_bind_int(st, 1, year);
    db_bind_text_ref(st, 2, col, -1);
    db_bind_int64(st, 3, stamp);
    db_bind_int(st, 4, format);
    rc = db_step(st);
    id = rc == DB_ROW ? db_column_int64(st, 0) : 0;
    db_finalize(st);
    if (rc == DB_DONE)
        return 1;
    if (rc != DB_ROW)
        return store_db_err(s, err, AREA, "поиск столбца");
    sqlite3 *lite = db_sqlite(s->db);
    if (!lite)
        return open_selected(s, id, b, len, err);
    if (sqlite3_blob_open(lite, "main", "model_snapshot", "data", id, 0, &blob) != SQLITE_OK) {
        sqlite3_blob_close(blob);
        return store_db_err(s, err, AREA, "открытие столбца");
    }
    *b = msk_calloc(1, sizeof **b);
    (*b)->s = s;
    (*b)->b = blob;
    *len = (size_t)sqlite3_blob_bytes(blob);
    return 0;
}

int store_snapshot_read(store_snapshot_blob *b, void *dst, size_t n, size_t off, msk_err *err)
{
    if (n == 0)
        return 0;
    if (b->st) {
        if (off > b->len || n > b->len - off)
            return msk_error(err, "ошибка базы данных %s (%s, чтение столбца): за концом столбца",
                             b->s->path, AREA);
        memcpy(dst, b->data + off, n);
        return 0;
    }
    if (n > INT32_MAX || off > INT32_MAX ||
        sqlite3_blob_read(b->b, dst, (int)n, (int)off) != SQLITE_OK)
        return store_db_err(b->s, err, AREA, "чтение столбца");
    return 0;
}

void store_snapshot_close(store_snapshot_blob *b)
{
    if (!b)
        return;
    sqlite3_blob_close(b->b);
    db_finalize(b->st);
    free(b);
}

int store_snapshot_clear(store *s, msk_err *err)
{
    int rc = db_exec(s->db, "DELETE FROM model_snapshot");
    if (rc == DB_OK)
        return 0;
    enum db_errclass ec = db_errclass(s->db);
    if (ec == DB_E_BUSY || ec == DB_E_SNAPSHOT) /* another write came first */
        return 1;
    return store_db_err(s, err, AREA, "удаление старого снимка");
}

int store_snapshot_put(store *s, int year, const char *col, int64_t stamp, int format,
                       const void *data, size_t len, msk_err *err)
{
    db_stmt *st = NULL;
    int rc;
    if (len > INT32_MAX)
        return msk_error(err, "снимок модели: столбец %s за %d год больше 2 ГБ", col, year);
    if (store_prep(s,
                   "INSERT INTO model_snapshot(year, col, stamp, format, data)"
                   " VALUES(?1, ?2, ?3, ?4, ?5)",
                   &st, AREA, err))
        return -1;
    db_bind_int(st, 1, year);
    db_bind_text_ref(st, 2, col, -1);
    db_bind_int64(st, 3, stamp);
    db_bind_int(st, 4, format);
    db_bind_blob_ref(st, 5, len ? data : "", len);
    rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE)
        return store_db_err(s, err, AREA, "запись столбца");
    return 0;
}

int store_snapshot_commit(store *s, msk_err *err)
{
    if (db_exec(s->db, "COMMIT") != DB_OK) {
        store_db_err(s, err, AREA, "сохранение снимка");
        db_exec(s->db, "ROLLBACK");
        return -1;
    }
    return 0;
}

int store_snapshot_drop(store *s, msk_err *err)
{
    return store_exec(s, "BEGIN IMMEDIATE; DELETE FROM model_snapshot; COMMIT", err);
}
