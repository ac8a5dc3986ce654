/*
 * Municipalities: the SQL behind src/store/municipality.h. Statements are prepared per call:
 * these run once an import row of a new school or once a request, far below their callers' cost.
 */
#include "store/municipality.h"

#include "base/mem.h"
#include "store/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AREA "муниципалитеты" /* in database error messages */

static void read_muni(db_stmt *st, store_municipality *m)
{
    m->id = db_column_int64(st, 0);
    store_col_copy(m->code, sizeof m->code, st, 1);
    store_col_copy(m->name, sizeof m->name, st, 2);
    m->schools = db_column_int64(st, 3);
}

#define MUNI_COLS                                                                                  \
    "m.id, m.code, m.name, (SELECT count(*) FROM school s WHERE s.municipality_id = m.id) "        \
    "FROM municipality m"

/* One row of a query with a text parameter (?1, and ?2 too when both) or an id (?1): 0, 1 when
 * none, -1. */
static int one(store *s, const char *sql, const char *text, int both, int64_t id,
               store_municipality *out, msk_err *err)
{
    db_stmt *st;
    if (store_prep(s, sql, &st, AREA, err))
        return -1;
    if (text) {
        store_bind_text(st, 1, text);
        if (both)
            store_bind_text(st, 2, text);
    } else {
        db_bind_int64(st, 1, id);
    }
    int rc = db_step(st);
    if (rc == DB_ROW)
        read_muni(st, out);
    db_finalize(st);
    if (rc == DB_ROW)
        return 0;
    return rc == DB_DONE ? 1 : store_db_err(s, err, AREA, "поиск муниципалитета");
}

int store_municipality_find(store *s, const char *text, store_municipality *out, msk_err *err)
{
    /* the code first: a name that happens to be another's code names that one */
    return one(s,
               "SELECT " MUNI_COLS " WHERE m.code = ?1 OR m.name = ?2 "
               "ORDER BY CASE WHEN m.code = ?1 THEN 0 ELSE 1 END, m.id LIMIT 1",
               text, 1, 0, out, err);
}

int store_municipality_get(store *s, int64_t id, store_municipality *out, msk_err *err)
{
    return one(s, "SELECT " MUNI_COLS " WHERE m.id = ?1", NULL, 0, id, out, err);
}

static int run_done(store *s, db_stmt *st, msk_err *err, const char *what)
{
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? 0 : store_db_err(s, err, AREA, what);
}

int store_municipality_add(store *s, const char *code, const char *name, int64_t *id, msk_err *err)
{
    store_municipality old;
    if (!code || !*code)
        return msk_error(err, "не указан код муниципалитета");
    if (strlen(code) >= STORE_MUNI_CODE)
        return msk_error(err, "код муниципалитета «%s» длиннее %d байт", code, STORE_MUNI_CODE - 1);
    if (!name || !*name)
        return msk_error(err, "не указано название муниципалитета «%s»", code);
    if (strlen(name) >= STORE_MUNI_NAME)
        return msk_error(err, "название муниципалитета длиннее %d байт", STORE_MUNI_NAME - 1);
    int rc = one(s, "SELECT " MUNI_COLS " WHERE m.code = ?1", code, 0, 0, &old, err);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return msk_error(err, "муниципалитет с кодом «%s» уже есть («%s»)", code, old.name);
    db_stmt *st;
    if (store_prep(s, "INSERT INTO municipality(code, name) VALUES(?, ?) RETURNING id", &st, AREA,
                   err))
        return -1;
    store_bind_text(st, 1, code);
    store_bind_text(st, 2, name);
    rc = db_step(st);
    if (rc == DB_ROW && id)
        *id = db_column_int64(st, 0);
    if (rc == DB_ROW)
        rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? 0 : store_db_err(s, err, AREA, "новый муниципалитет");
}

int store_municipality_free_code(store *s, char out[STORE_MUNI_CODE], msk_err *err)
{
    for (int k = 1; k < 100000; k++) {
        store_municipality m;
        snprintf(out, STORE_MUNI_CODE, "%d", k);
        int rc = one(s, "SELECT " MUNI_COLS " WHERE m.code = ?1", out, 0, 0, &m, err);
        if (rc != 0)
            return rc < 0 ? -1 : 0;
    }
    return msk_error(err, "нет свободного кода муниципалитета");
}

int store_municipality_list(store *s, store_municipality **rows, size_t *n, msk_err *err)
{
    size_t cap = 0;
    db_stmt *st;
    *rows = NULL;
    *n = 0;
    if (store_prep(s, "SELECT " MUNI_COLS " ORDER BY length(m.code), m.code", &st, AREA, err))
        return -1;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *rows = msk_reallocarray(*rows, cap, sizeof **rows);
        }
        read_muni(st, &(*rows)[(*n)++]);
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        free(*rows);
        *rows = NULL;
        *n = 0;
        return store_db_err(s, err, AREA, "список муниципалитетов");
    }
    return 0;
}

int store_school_set_municipality(store *s, int64_t school_id, int64_t muni, msk_err *err)
{
    db_stmt *st;
    if (store_prep(s, "UPDATE school SET municipality_id = ? WHERE id = ?", &st, AREA, err))
        return -1;
    store_bind_id(st, 1, muni);
    db_bind_int64(st, 2, school_id);
    return run_done(s, st, err, "муниципалитет школы");
}

int store_school_municipality(store *s, const char *code, int64_t *muni, msk_err *err)
{
    db_stmt *st;
    *muni = 0;
    if (store_prep(s, "SELECT coalesce(municipality_id, 0) FROM school WHERE code = ?", &st, AREA,
                   err))
        return -1;
    store_bind_text(st, 1, code);
    int rc = db_step(st);
    if (rc == DB_ROW)
        *muni = db_column_int64(st, 0);
    db_finalize(st);
    if (rc == DB_ROW)
        return 0;
    return rc == DB_DONE ? 1 : store_db_err(s, err, AREA, "муниципалитет школы");
}

int store_municipality_school_ids(store *s, int64_t muni, int64_t **ids, size_t *n, msk_err *err)
{
    size_t cap = 0;
    db_stmt *st;
    *ids = NULL;
    *n = 0;
    if (store_prep(s, "SELECT id FROM school WHERE municipality_id = ? ORDER BY id", &st, AREA,
                   err))
        return -1;
    db_bind_int64(st, 1, muni);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            *ids = msk_reallocarray(*ids, cap, sizeof **ids);
        }
        (*ids)[(*n)++] = db_column_int64(st, 0);
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        free(*ids);
        *ids = NULL;
        *n = 0;
        return store_db_err(s, err, AREA, "школы муниципалитета");
    }
    return 0;
}

int store_municipality_school_codes(store *s, int64_t muni, char ***codes, size_t *n, msk_err *err)
{
    size_t cap = 0;
    db_stmt *st;
    *codes = NULL;
    *n = 0;
    if (store_prep(s, "SELECT code FROM school WHERE municipality_id = ?", &st, AREA, err))
        return -1;
    db_bind_int64(st, 1, muni);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            *codes = msk_reallocarray(*codes, cap, sizeof **codes);
        }
        (*codes)[(*n)++] = msk_strdup(store_col(st, 0));
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        for (size_t i = 0; i < *n; i++)
            free((*codes)[i]);
        free(*codes);
        *codes = NULL;
        *n = 0;
        return store_db_err(s, err, AREA, "школы муниципалитета");
    }
    return 0;
}

int store_municipality_schools(store *s,
                               void (*fn)(void *ctx, const char *school, const char *muni),
                               void *ctx, msk_err *err)
{
    db_stmt *st;
    if (store_prep(s,
                   "SELECT s.code, coalesce(m.code, '') FROM school s LEFT JOIN municipality m "
                   "ON m.id = s.municipality_id ORDER BY s.code",
                   &st, AREA, err))
        return -1;
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        fn(ctx, store_col(st, 0), store_col(st, 1));
    db_finalize(st);
    return rc == DB_DONE ? 0 : store_db_err(s, err, AREA, "школы муниципалитетов");
}

int store_user_set_municipality(store *s, const char *login, int64_t muni, msk_err *err)
{
    db_stmt *st;
    if (store_prep(s, "UPDATE \"user\" SET municipality_id = ? WHERE login = ?", &st, AREA, err))
        return -1;
    store_bind_id(st, 1, muni);
    store_bind_text(st, 2, login);
    if (run_done(s, st, err, "муниципалитет пользователя"))
        return -1;
    return db_changes(s->db) ? 0 : 1;
}
