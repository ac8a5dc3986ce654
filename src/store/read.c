/*
 * The SQL of model_load: one prepared query per table, stepped once, each row handed to a
 * callback (store/read.h). These statements run once per load, so they are prepared here and
 * finalised at the end rather than kept in the store's statement cache.
 */
#include "store/read.h"

#include "store/internal.h"

#include <math.h>

/* Prepare sql and bind the year range to ?1, ?2 (when the query has them). */
static db_stmt *prepare(store *s, const char *sql, int year_from, int year_to, msk_err *err)
{
    db_stmt *st = NULL;
    if (db_prepare(s->db, sql, &st) != DB_OK) {
        msk_error(err, "чтение данных для анализа: %s", db_errmsg(s->db));
        return NULL;
    }
    if (db_param_count(st) >= 2) {
        db_bind_int(st, 1, year_from);
        db_bind_int(st, 2, year_to);
    }
    return st;
}

/* Finalise after the last step; rc is the last db_step result. */
static int finish(store *s, db_stmt *st, int rc, msk_err *err, const char *what)
{
    int out = 0;
    if (rc != DB_DONE)
        out = msk_error(err, "чтение %s: %s", what, db_errmsg(s->db));
    db_finalize(st);
    return out;
}

static int col_int(db_stmt *st, int i)
{
    return db_column_type(st, i) == DB_NULL ? STORE_NONE : db_column_int(st, i);
}

static double col_real(db_stmt *st, int i)
{
    return db_column_type(st, i) == DB_NULL ? NAN : db_column_double(st, i);
}

static const char *col_text(db_stmt *st, int i)
{
    const char *t = db_column_text(st, i);
    return t ? t : "";
}

int store_read_schools(store *s, void (*fn)(void *ctx, const store_read_school *r), void *ctx,
                       msk_err *err)
{
    db_stmt *st =
        prepare(s, "SELECT id, code, name, type, locality FROM school ORDER BY id", 0, 0, err);
    int rc;
    if (!st)
        return -1;
    while ((rc = db_step(st)) == DB_ROW) {
        store_read_school r = {db_column_int64(st, 0), col_text(st, 1), col_text(st, 2),
                               col_text(st, 3), col_text(st, 4)};
        fn(ctx, &r);
    }
    return finish(s, st, rc, err, "школ");
}

int store_read_procedures(store *s, int year_from, int year_to,
                          void (*fn)(void *ctx, const store_read_proc *r), void *ctx, msk_err *err)
{
    db_stmt *st = prepare(s,
                          "SELECT id, year, grade, kind, subject FROM procedure"
                          " WHERE year BETWEEN ?1 AND ?2 ORDER BY id",
                          year_from, year_to, err);
    int rc;
    if (!st)
        return -1;
    while ((rc = db_step(st)) == DB_ROW) {
        store_read_proc r = {db_column_int64(st, 0), db_column_int(st, 1), db_column_int(st, 2),
                             col_text(st, 3), col_text(st, 4)};
        fn(ctx, &r);
    }
    return finish(s, st, rc, err, "процедур");
}

int store_read_tasks(store *s, int year_from, int year_to,
                     void (*fn)(void *ctx, const store_read_task *r), void *ctx, msk_err *err)
{
    db_stmt *st = prepare(s,
                          "SELECT t.procedure_id, t.idx, t.max_score FROM procedure_task t"
                          " JOIN procedure p ON p.id = t.procedure_id"
                          " WHERE p.year BETWEEN ?1 AND ?2 ORDER BY t.procedure_id, t.idx",
                          year_from, year_to, err);
    int rc;
    if (!st)
        return -1;
    while ((rc = db_step(st)) == DB_ROW) {
        store_read_task r = {db_column_int64(st, 0), db_column_int(st, 1), col_int(st, 2)};
        fn(ctx, &r);
    }
    return finish(s, st, rc, err, "заданий процедур");
}

int store_read_results(store *s, int year_from, int year_to,
                       void (*fn)(void *ctx, const store_read_result *r), void *ctx, msk_err *err)
{
    db_stmt *st =
        prepare(s,
                "SELECT procedure_id, school_id, pupil_code, primary_score, mark, test_score,"
                " journal_mark, retake, past_graduate, ovz, absent, tasks FROM result"
                /* a plain scan in rowid order: model_finish sorts by procedure itself, and walking
                 * the (procedure, school, pupil) index with a table lookup per row costs ~25 %
                 * more; the unary + keeps the planner off that index */
                " WHERE +procedure_id IN (SELECT id FROM procedure WHERE year BETWEEN ?1 AND ?2)",
                year_from, year_to, err);
    int rc;
    if (!st)
        return -1;
    while ((rc = db_step(st)) == DB_ROW) {
        store_read_result r;
        r.procedure_id = db_column_int64(st, 0);
        r.school_id = db_column_int64(st, 1);
        r.pupil_code = col_text(st, 2);
        r.primary_score = col_real(st, 3);
        r.mark = col_int(st, 4);
        r.test_score = col_int(st, 5);
        r.journal_mark = col_int(st, 6);
        r.retake = db_column_int(st, 7);
        r.past_graduate = db_column_int(st, 8);
        r.ovz = db_column_int(st, 9);
        r.absent = db_column_int(st, 10);
        r.tasks = db_column_blob(st, 11);
        r.ntasks = r.tasks ? (size_t)db_column_bytes(st, 11) : 0;
        fn(ctx, &r);
    }
    return finish(s, st, rc, err, "результатов");
}

int store_read_aggregates(store *s, int year_from, int year_to,
                          void (*fn)(void *ctx, const store_aggregate *r), void *ctx, msk_err *err)
{
    db_stmt *st = prepare(
        s,
        "SELECT procedure_id, school_id, participants, mark2, mark3, mark4, mark5, below_min"
        " FROM result_aggregate"
        " WHERE procedure_id IN (SELECT id FROM procedure WHERE year BETWEEN ?1 AND ?2)"
        " ORDER BY procedure_id, school_id",
        year_from, year_to, err);
    int rc;
    if (!st)
        return -1;
    while ((rc = db_step(st)) == DB_ROW) {
        store_aggregate r = {db_column_int64(st, 0), db_column_int64(st, 1), 0,
                             col_int(st, 2),         col_int(st, 3),         col_int(st, 4),
                             col_int(st, 5),         col_int(st, 6),         col_int(st, 7)};
        fn(ctx, &r);
    }
    return finish(s, st, rc, err, "сводных результатов");
}

int store_read_values(store *s, int year_from, int year_to,
                      void (*fn)(void *ctx, const store_read_value *r), void *ctx, msk_err *err)
{
    /* a year period is four digits; "2024-09" is a month of a monitoring form */
    db_stmt *st =
        prepare(s,
                "SELECT element, school_id, CAST(period AS INTEGER), value FROM data_value"
                " WHERE status = 'approved' AND value IS NOT NULL"
                " AND period GLOB '[0-9][0-9][0-9][0-9]'"
                " AND CAST(period AS INTEGER) BETWEEN ?1 AND ?2",
                year_from, year_to, err);
    int rc;
    if (!st)
        return -1;
    while ((rc = db_step(st)) == DB_ROW) {
        store_read_value r = {col_text(st, 0), db_column_int64(st, 1), db_column_int(st, 2),
                              db_column_double(st, 3)};
        fn(ctx, &r);
    }
    return finish(s, st, rc, err, "показателей");
}

int store_read_form_values(store *s, int year_from, int year_to,
                           void (*fn)(void *ctx, const store_read_form_value *r), void *ctx,
                           msk_err *err)
{
    /* "Y", "Y-H1", "Y-01" … of school year Y sort after "(Y-1)-09" and before "Y-09" */
    db_stmt *st = prepare(s,
                          "SELECT element, period, school_id, value FROM data_value"
                          " WHERE status = 'approved' AND value IS NOT NULL"
                          " AND period >= (?1 - 1) || '-09' AND period < (?2 + 1) || '-09'"
                          " ORDER BY element, school_id, period",
                          year_from, year_to, err);
    int rc;
    if (!st)
        return -1;
    while ((rc = db_step(st)) == DB_ROW) {
        store_read_form_value r = {col_text(st, 0), col_text(st, 1), db_column_int64(st, 2),
                                   db_column_double(st, 3)};
        fn(ctx, &r);
    }
    return finish(s, st, rc, err, "значений форм");
}

int store_read_olympiads(store *s, int year_from, int year_to,
                         void (*fn)(void *ctx, const store_olympiad *r), void *ctx, msk_err *err)
{
    db_stmt *st = prepare(s,
                          "SELECT year, grade, stage, subject, pupil_code, status,"
                          " school_id, score FROM olympiad_result"
                          " WHERE year BETWEEN ?1 AND ?2 ORDER BY id",
                          year_from, year_to, err);
    int rc;
    if (!st)
        return -1;
    while ((rc = db_step(st)) == DB_ROW) {
        store_olympiad r = {
            db_column_int(st, 0), db_column_int(st, 1), col_text(st, 2),        col_text(st, 3),
            col_text(st, 4),      col_text(st, 5),      db_column_int64(st, 6), 0,
            col_real(st, 7)};
        fn(ctx, &r);
    }
    return finish(s, st, rc, err, "результатов олимпиад");
}

int store_read_contests(store *s, int year_from, int year_to,
                        void (*fn)(void *ctx, const store_read_contest *r), void *ctx, msk_err *err)
{
    db_stmt *st = prepare(s,
                          "SELECT year, school_id, level,"
                          " sum(pupil_code IS NOT NULL AND status IN ('winner','prizewinner')),"
                          " count(*) FROM contest WHERE year BETWEEN ?1 AND ?2"
                          " GROUP BY year, school_id, level ORDER BY 1, 2, 3",
                          year_from, year_to, err);
    int rc;
    if (!st)
        return -1;
    while ((rc = db_step(st)) == DB_ROW) {
        store_read_contest r = {db_column_int(st, 0), db_column_int64(st, 1), col_text(st, 2),
                                db_column_int(st, 3), db_column_int(st, 4)};
        fn(ctx, &r);
    }
    return finish(s, st, rc, err, "конкурсов");
}

int store_read_teams(store *s, int year_from, int year_to,
                     void (*fn)(void *ctx, const store_read_team *r), void *ctx, msk_err *err)
{
    db_stmt *st = prepare(s,
                          "SELECT year, team_place, stage, school_id FROM olympiad_team"
                          " WHERE year BETWEEN ?1 AND ?2 ORDER BY year, stage, school_id",
                          year_from, year_to, err);
    int rc;
    if (!st)
        return -1;
    while ((rc = db_step(st)) == DB_ROW) {
        store_read_team r = {db_column_int(st, 0), db_column_int(st, 1), col_text(st, 2),
                             db_column_int64(st, 3)};
        fn(ctx, &r);
    }
    return finish(s, st, rc, err, "командных мест олимпиад");
}

int store_read_graduates(store *s, int year_from, int year_to,
                         void (*fn)(void *ctx, const store_graduate *r), void *ctx, msk_err *err)
{
    db_stmt *st = prepare(s,
                          "SELECT year, grade, attestat, medal, school_id, pupil_code,"
                          " destination FROM graduate_outcome"
                          " WHERE year BETWEEN ?1 AND ?2 ORDER BY id",
                          year_from, year_to, err);
    int rc;
    if (!st)
        return -1;
    while ((rc = db_step(st)) == DB_ROW) {
        store_graduate r = {
            db_column_int(st, 0),   db_column_int(st, 1),
            db_column_int(st, 2),   db_column_int(st, 3),
            db_column_int64(st, 4), 0,
            col_text(st, 5),        db_column_type(st, 6) == DB_NULL ? NULL : col_text(st, 6)};
        fn(ctx, &r);
    }
    return finish(s, st, rc, err, "выпускников");
}
