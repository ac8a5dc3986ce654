/*
 * The store: score scales and procedures with their tasks (store.h).
 */
#include "store/internal.h"

#include "base/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- scales and procedures ---- */

int store_scale_put(store *s, const store_scale *sc, int64_t *id, msk_err *err)
{
    db_stmt *st = store_stmt(s, ST_SCALE_PUT, err);
    if (!st)
        return -1;
    db_bind_int(st, 1, sc->year);
    store_bind_text(st, 2, sc->kind);
    store_bind_text(st, 3, sc->subject);
    db_bind_int(st, 4, sc->grade);
    db_bind_double(st, 5, sc->max_primary);
    store_bind_real(st, 6, sc->mark3);
    store_bind_real(st, 7, sc->mark4);
    store_bind_real(st, 8, sc->mark5);
    store_bind_int(st, 9, sc->min_test);
    store_bind_text(st, 10, sc->source ? sc->source : "");
    if (db_step(st) == DB_ROW && id)
        *id = db_column_int64(st, 0);
    return store_step_done(s, st, err, "шкала");
}

static double col_real(db_stmt *st, int i)
{
    return db_column_type(st, i) == DB_NULL ? NAN : db_column_double(st, i);
}

int store_scale_find(store *s, int year, const char *kind, const char *subject, int grade,
                     store_scale *out, int64_t *id)
{
    db_stmt *st = store_stmt(s, ST_SCALE_FIND, NULL);
    int rc = 1;
    if (!st)
        return 1;
    store_bind_text(st, 1, kind);
    store_bind_text(st, 2, subject);
    db_bind_int(st, 3, grade);
    db_bind_int(st, 4, year);
    if (db_step(st) == DB_ROW) {
        if (id)
            *id = db_column_int64(st, 0);
        out->year = db_column_int(st, 1);
        out->kind = kind;
        out->subject = subject;
        out->grade = grade;
        out->max_primary = db_column_double(st, 2);
        out->mark3 = col_real(st, 3);
        out->mark4 = col_real(st, 4);
        out->mark5 = col_real(st, 5);
        out->min_test = db_column_type(st, 6) == DB_NULL ? STORE_NONE : db_column_int(st, 6);
        out->source = "";
        rc = 0;
    }
    db_reset(st);
    /* a trial exam (seed 003 п. 5.2: «в форме ОГЭ, ЕГЭ») is marked by the exam's scale of the
     * year unless it has its own */
    if (rc && (strcmp(kind, "OGE_T") == 0 || strcmp(kind, "EGE_T") == 0)) {
        rc = store_scale_find(s, year, kind[0] == 'O' ? "OGE" : "EGE", subject, grade, out, id);
        if (rc == 0)
            out->kind = kind;
    }
    return rc;
}

int store_scale_point_put(store *s, int64_t scale_id, int primary, int test, msk_err *err)
{
    db_stmt *st = store_stmt(s, ST_SCALE_POINT, err);
    if (!st)
        return -1;
    db_bind_int64(st, 1, scale_id);
    db_bind_int(st, 2, primary);
    db_bind_int(st, 3, test);
    return store_step_done(s, st, err, "таблица перевода баллов");
}

int store_procedure_id(store *s, int year, const char *kind, const char *subject, int grade,
                       int create, int64_t *id, msk_err *err)
{
    db_stmt *st = store_stmt(s, ST_PROC_ID, err);
    if (!st)
        return -1;
    db_bind_int(st, 1, year);
    store_bind_text(st, 2, kind);
    store_bind_text(st, 3, subject);
    db_bind_int(st, 4, grade);
    if (db_step(st) == DB_ROW) {
        *id = db_column_int64(st, 0);
        db_reset(st);
        return 0;
    }
    db_reset(st);
    if (!create)
        return 1;
    st = store_stmt(s, ST_PROC_ADD, err);
    if (!st)
        return -1;
    db_bind_int(st, 1, year);
    store_bind_text(st, 2, kind);
    store_bind_text(st, 3, subject);
    db_bind_int(st, 4, grade);
    if (store_step_done(s, st, err, "оценочная процедура"))
        return -1;
    *id = db_last_id(s->db);
    return 0;
}

int store_procedure_task_put(store *s, int64_t procedure_id, int idx, const char *label,
                             int max_score, msk_err *err)
{
    db_stmt *st = store_stmt(s, ST_PROC_TASK, err);
    if (!st)
        return -1;
    db_bind_int64(st, 1, procedure_id);
    db_bind_int(st, 2, idx);
    store_bind_text(st, 3, label);
    store_bind_int(st, 4, max_score);
    return store_step_done(s, st, err, "задание процедуры");
}
