/*
 * The store: schools, and the ground truth a generated municipality leaves about them
 * (store.h).
 */
#include "store/internal.h"

#include "base/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- schools ---- */

int store_school_put(store *s, const store_school *sc, int64_t *id, msk_err *err)
{
    db_stmt *st = store_stmt(s, ST_SCHOOL_PUT, err);
    if (!st)
        return -1;
    store_bind_text(st, 1, sc->code);
    store_bind_text(st, 2, sc->name);
    store_bind_text(st, 3, sc->type);
    store_bind_text(st, 4, sc->locality);
    store_bind_text(st, 5, sc->levels ? sc->levels : "");
    if (db_step(st) == DB_ROW && id)
        *id = db_column_int64(st, 0);
    return store_step_done(s, st, err, "школа");
}

int64_t store_school_count(store *s)
{
    db_stmt *st = store_stmt(s, ST_SCHOOL_COUNT, NULL);
    int64_t n = 0;
    if (st && db_step(st) == DB_ROW)
        n = db_column_int64(st, 0);
    if (st)
        db_reset(st);
    return n;
}

int store_school_id(store *s, const char *code, int64_t *id)
{
    db_stmt *st = store_stmt(s, ST_SCHOOL_ID, NULL);
    int rc = 1;
    if (!st)
        return 1;
    store_bind_text(st, 1, code);
    if (db_step(st) == DB_ROW) {
        *id = db_column_int64(st, 0);
        rc = 0;
    }
    db_reset(st);
    return rc;
}

/* ---- ground truth of a generated municipality ---- */

int store_demo_truth_put(store *s, int64_t school_id, const char *what, int since_year,
                         const char *detail, msk_err *err)
{
    db_stmt *st = store_stmt(s, ST_TRUTH_PUT, err);
    if (!st)
        return -1;
    db_bind_int64(st, 1, school_id);
    store_bind_text(st, 2, what);
    db_bind_int(st, 3, since_year);
    store_bind_text(st, 4, detail ? detail : "");
    return store_step_done(s, st, err, "эталон демо-данных");
}
