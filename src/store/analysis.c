/*
 * Analysis runs and findings: see analysis.h.
 */
#include "store/analysis.h"

#include "store/internal.h"

#include <stdio.h>

int store_run_begin(store *s, int year, const char *methods_hash, const char *user, int64_t *run_id,
                    msk_err *err)
{
    db_stmt *st = NULL;
    char now[32];
    int rc;
    /* findings go with their run (ON DELETE CASCADE) */
    if (store_prep(s, "DELETE FROM analysis_run WHERE year=? AND methods_hash=?", &st, "анализ",
                   err))
        return -1;
    db_bind_int(st, 1, year);
    store_bind_text(st, 2, methods_hash);
    rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE)
        return msk_error(err, "ошибка базы данных %s (анализ): %s", s->path, db_errmsg(s->db));
    if (store_prep(s, "INSERT INTO analysis_run(year,methods_hash,created_at,user) VALUES(?,?,?,?)",
                   &st, "анализ", err))
        return -1;
    store_now(now);
    db_bind_int(st, 1, year);
    store_bind_text(st, 2, methods_hash);
    store_bind_text(st, 3, now);
    store_bind_text(st, 4, user ? user : "");
    rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE)
        return msk_error(err, "ошибка базы данных %s (анализ): %s", s->path, db_errmsg(s->db));
    *run_id = db_last_id(s->db);
    return 0;
}

int store_finding_add(store *s, int64_t run_id, const char *method, const char *school_code,
                      int year, const char *verdict, const char *evidence_json, int64_t *id,
                      msk_err *err)
{
    db_stmt *st = NULL;
    if (store_prep(s,
                   "INSERT INTO finding(run_id,method,school_id,year,verdict,evidence)"
                   " VALUES(?,?,(SELECT id FROM school WHERE code=?),?,?,?)",
                   &st, "анализ", err))
        return -1;
    db_bind_int64(st, 1, run_id);
    store_bind_text(st, 2, method);
    store_bind_text(st, 3, school_code);
    db_bind_int(st, 4, year);
    store_bind_text(st, 5, verdict ? verdict : "");
    store_bind_text(st, 6, evidence_json ? evidence_json : "{}");
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE)
        return msk_error(err, "ошибка базы данных %s (находка): %s", s->path, db_errmsg(s->db));
    if (id)
        *id = db_last_id(s->db);
    return 0;
}

int store_plan_clear_generated(store *s, const char *roadmap, msk_err *err)
{
    db_stmt *st = NULL;
    if (store_prep(s, "DELETE FROM plan_item WHERE roadmap=? AND finding_id IS NOT NULL", &st,
                   "анализ", err))
        return -1;
    store_bind_text(st, 1, roadmap);
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE)
        return msk_error(err, "ошибка базы данных %s (план): %s", s->path, db_errmsg(s->db));
    return 0;
}

int store_run_listed(store *s, int year, int *analysed,
                     void (*fn)(void *ctx, const char *method, const char *school_code), void *ctx,
                     msk_err *err)
{
    db_stmt *st = NULL;
    *analysed = 0;
    if (store_prep(s, "SELECT max(id) FROM analysis_run WHERE year = ?1", &st, "анализ", err))
        return -1;
    db_bind_int(st, 1, year);
    int rc = db_step(st);
    int64_t run = rc == DB_ROW ? db_column_int64(st, 0) : 0;
    *analysed = rc == DB_ROW && db_column_type(st, 0) != DB_NULL;
    db_finalize(st);
    if (rc != DB_ROW)
        return store_db_err(s, err, "анализ", "прогоны анализа");
    if (!*analysed)
        return 0;
    if (store_prep(s,
                   "SELECT f.method, sc.code FROM finding f JOIN school sc ON sc.id = f.school_id"
                   " WHERE f.run_id = ?1 AND f.method IN ('shnor', 'risk', 'objectivity')"
                   " ORDER BY f.id",
                   &st, "анализ", err))
        return -1;
    db_bind_int64(st, 1, run);
    while ((rc = db_step(st)) == DB_ROW)
        fn(ctx, store_col(st, 0), store_col(st, 1));
    db_finalize(st);
    return rc == DB_DONE ? 0 : store_db_err(s, err, "анализ", "выводы анализа");
}
