/*
 * The model snapshot's rows: see snapshot.h. Columns are streamed with SQLite's incremental
 * BLOB I/O, straight into the caller's arrays (no copy of a column inside SQLite first).
 */
#include "store/snapshot.h"

#include "base/mem.h"
#include "store/internal.h"

#include <stdio.h>
#include <stdlib.h>

static const char AREA[] = "снимок модели";

struct store_snapshot_blob {
    store *s;
    sqlite3_blob *b;
};

int store_snapshot_stamp(store *s, int64_t *stamp, msk_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc;
    *stamp = -1;
    if (store_prep(s, "SELECT n FROM model_stamp WHERE k = 1", &st, AREA, err))
        return -1;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *stamp = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return store_db_err(s, err, AREA, "отметка данных");
    return 0;
}

int store_snapshot_data_years(store *s, int *from, int *to, msk_err *err)
{
    sqlite3_stmt *st = NULL;
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
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        *from = sqlite3_column_int(st, 0);
        *to = sqlite3_column_int(st, 1);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return store_db_err(s, err, AREA, "годы данных");
    return 0;
}

int store_snapshot_writable(store *s)
{
    return !sqlite3_db_readonly(s->db, "main") && sqlite3_get_autocommit(s->db);
}

int store_snapshot_begin(store *s, int *cache, msk_err *err)
{
    sqlite3_stmt *st = NULL;
    *cache = 0;
    if (!sqlite3_get_autocommit(s->db))
        return 0;
    /* the columns' pages are read once: a small page cache while they stream through keeps
     * them from filling the usual 64 MB of it (store_open); store_snapshot_end restores it */
    if (store_prep(s, "PRAGMA cache_size", &st, AREA, err))
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        *cache = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (sqlite3_exec(s->db, "PRAGMA cache_size=-1024; BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
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
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    snprintf(pragma, sizeof pragma, "PRAGMA cache_size=%d", cache);
    sqlite3_exec(s->db, pragma, NULL, NULL, NULL);
}

int store_snapshot_open(store *s, int year, const char *col, int64_t stamp, int format,
                        store_snapshot_blob **b, size_t *len, msk_err *err)
{
    sqlite3_stmt *st = NULL;
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
    sqlite3_bind_int(st, 1, year);
    sqlite3_bind_text(st, 2, col, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, stamp);
    sqlite3_bind_int(st, 4, format);
    rc = sqlite3_step(st);
    id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return 1;
    if (rc != SQLITE_ROW)
        return store_db_err(s, err, AREA, "поиск столбца");
    if (sqlite3_blob_open(s->db, "main", "model_snapshot", "data", id, 0, &blob) != SQLITE_OK) {
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
    free(b);
}

int store_snapshot_clear(store *s, msk_err *err)
{
    int rc = sqlite3_exec(s->db, "DELETE FROM model_snapshot", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        return 0;
    if ((rc & 0xff) == SQLITE_BUSY) /* SQLITE_BUSY_SNAPSHOT: another write came first */
        return 1;
    return store_db_err(s, err, AREA, "удаление старого снимка");
}

int store_snapshot_put(store *s, int year, const char *col, int64_t stamp, int format,
                       const void *data, size_t len, msk_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc;
    if (len > INT32_MAX)
        return msk_error(err, "снимок модели: столбец %s за %d год больше 2 ГБ", col, year);
    if (store_prep(s,
                   "INSERT INTO model_snapshot(year, col, stamp, format, data)"
                   " VALUES(?1, ?2, ?3, ?4, ?5)",
                   &st, AREA, err))
        return -1;
    sqlite3_bind_int(st, 1, year);
    sqlite3_bind_text(st, 2, col, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, stamp);
    sqlite3_bind_int(st, 4, format);
    sqlite3_bind_blob(st, 5, len ? data : "", (int)len, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return store_db_err(s, err, AREA, "запись столбца");
    return 0;
}

int store_snapshot_commit(store *s, msk_err *err)
{
    if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        store_db_err(s, err, AREA, "сохранение снимка");
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

int store_snapshot_drop(store *s, msk_err *err)
{
    return store_exec(s, "BEGIN IMMEDIATE; DELETE FROM model_snapshot; COMMIT", err);
}
