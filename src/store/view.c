/*
 * Reads for the view models: see view.h.
 */
#include "store/view.h"

#include "store/internal.h"

#include <stdio.h>
#include <string.h>

static int fail(store *s, db_stmt *st, msk_err *err)
{
    db_finalize(st);
    return msk_error(err, "ошибка базы данных %s (чтение для страниц): %s", s->path,
                     db_errmsg(s->db));
}

static const char *col(db_stmt *st, int i)
{
    return db_column_text(st, i);
}

int store_read_findings(store *s, int year, void (*fn)(void *ctx, const store_read_finding *r),
                        void *ctx, msk_err *err)
{
    db_stmt *st = NULL;
    int rc;
    if (db_prepare(s->db,
                   "SELECT f.id, f.run_id, f.method, sc.code, f.verdict, f.evidence,"
                   " r.created_at, r.methods_hash, f.year"
                   " FROM finding f JOIN analysis_run r ON r.id=f.run_id"
                   " LEFT JOIN school sc ON sc.id=f.school_id"
                   " WHERE f.run_id=(SELECT max(id) FROM analysis_run WHERE year=?)"
                   " ORDER BY f.id",
                   &st) != DB_OK)
        return fail(s, st, err);
    db_bind_int(st, 1, year);
    while ((rc = db_step(st)) == DB_ROW) {
        store_read_finding r = {db_column_int64(st, 0),
                                db_column_int64(st, 1),
                                col(st, 2),
                                col(st, 3),
                                col(st, 4),
                                col(st, 5),
                                col(st, 6),
                                col(st, 7),
                                db_column_int(st, 8)};
        fn(ctx, &r);
    }
    if (rc != DB_DONE)
        return fail(s, st, err);
    db_finalize(st);
    return 0;
}

int store_read_names(store *s, void (*fn)(void *ctx, const store_read_name *r), void *ctx,
                     msk_err *err)
{
    db_stmt *st = NULL;
    int rc;
    if (db_prepare(s->db,
                   "SELECT 'kind', code, name, NULL, NULL FROM proc_kind"
                   " UNION ALL SELECT 'subject', code, name, NULL, NULL FROM subject"
                   " UNION ALL SELECT 'element', code, name, unit, value_type"
                   " FROM data_element",
                   &st) != DB_OK)
        return fail(s, st, err);
    while ((rc = db_step(st)) == DB_ROW) {
        store_read_name r = {col(st, 0), col(st, 1), col(st, 2), col(st, 3), col(st, 4)};
        fn(ctx, &r);
    }
    if (rc != DB_DONE)
        return fail(s, st, err);
    db_finalize(st);
    return 0;
}

int store_read_task_labels(store *s, int year_from, int year_to,
                           void (*fn)(void *ctx, const store_read_task_label *r), void *ctx,
                           msk_err *err)
{
    db_stmt *st = NULL;
    int rc;
    if (db_prepare(s->db,
                   "SELECT p.year, p.grade, t.idx, p.kind, p.subject, t.label"
                   " FROM procedure_task t JOIN procedure p ON p.id=t.procedure_id"
                   " WHERE p.year BETWEEN ? AND ? ORDER BY p.id, t.idx",
                   &st) != DB_OK)
        return fail(s, st, err);
    db_bind_int(st, 1, year_from);
    db_bind_int(st, 2, year_to);
    while ((rc = db_step(st)) == DB_ROW) {
        store_read_task_label r = {db_column_int(st, 0), db_column_int(st, 1), db_column_int(st, 2),
                                   col(st, 3),           col(st, 4),           col(st, 5)};
        fn(ctx, &r);
    }
    if (rc != DB_DONE)
        return fail(s, st, err);
    db_finalize(st);
    return 0;
}

int store_read_years(store *s, int *years, int max, int *n, msk_err *err)
{
    db_stmt *st = NULL;
    int rc;
    *n = 0;
    if (db_prepare(s->db, "SELECT DISTINCT year FROM procedure ORDER BY year DESC", &st) != DB_OK)
        return fail(s, st, err);
    while ((rc = db_step(st)) == DB_ROW)
        if (*n < max)
            years[(*n)++] = db_column_int(st, 0);
    if (rc != DB_DONE)
        return fail(s, st, err);
    db_finalize(st);
    return 0;
}

int64_t store_data_stamp(store *s)
{
    db_stmt *st = NULL;
    int64_t v = -1;
    /* Batches only grow (undo marks them), runs are replaced by new ids, plan and audit rows
     * accompany every other change; a sum of maxima and counts moves with any of them. Audit
     * rows of logins and sessions (a lockout, logout everywhere) change no data: they do not
     * move the stamp, or anyone locking an account would make every server reload its years
     * (the newest other row is found walking back from the end: rows of that kind are few). */
    if (db_prepare(s->db,
                   "SELECT (SELECT coalesce(max(id),0) FROM import_batch)"
                   " + 1000003*(SELECT count(undone_at) FROM import_batch)"
                   " + 7919*(SELECT coalesce(max(id),0) FROM analysis_run)"
                   " + 104729*coalesce((SELECT id FROM audit WHERE action NOT LIKE"
                   " 'login.%' AND action NOT LIKE 'session.%' ORDER BY id DESC LIMIT 1),0)"
                   " + 15485863*(SELECT count(*) FROM plan_item)",
                   &st) != DB_OK) {
        db_finalize(st);
        return -1;
    }
    if (db_step(st) == DB_ROW)
        v = db_column_int64(st, 0);
    db_finalize(st);
    return v;
}

int store_analysis_freshness(store *s, int year, store_freshness *f, msk_err *err)
{
    db_stmt *st = NULL;
    memset(f, 0, sizeof *f);
    /* a: the audit row of the year's latest analysis; d: changes of its input. With a, audit
     * ids order them (one clock tick may hold both); without, the run's time does. */
    if (db_prepare(
            s->db,
            "WITH r AS (SELECT created_at AS at FROM analysis_run WHERE year=?1"
            "  ORDER BY id DESC LIMIT 1),"
            " a AS (SELECT max(id) AS id FROM audit WHERE action='analyze'"
            "  AND object=CAST(?1 AS TEXT)),"
            " d AS (SELECT audit.id, audit.at, CASE WHEN a.id IS NULL THEN audit.at > r.at"
            "  ELSE audit.id > a.id END AS after FROM audit, a, r WHERE audit.action IN"
            "  ('import','import.undo','recheck.import','form.approved','form.returned'))"
            " SELECT r.at, (SELECT max(at) FROM d WHERE NOT after),"
            " (SELECT min(at) FROM d WHERE after), (SELECT count(*) FROM d WHERE after) FROM r",
            &st) != DB_OK)
        return fail(s, st, err);
    db_bind_int(st, 1, year);
    int rc = db_step(st);
    if (rc == DB_DONE) {
        db_finalize(st);
        return 0;
    }
    if (rc != DB_ROW)
        return fail(s, st, err);
    snprintf(f->run_at, sizeof f->run_at, "%s", col(st, 0) ? col(st, 0) : "");
    snprintf(f->data_at, sizeof f->data_at, "%s", col(st, 1) ? col(st, 1) : "");
    snprintf(f->changed_at, sizeof f->changed_at, "%s", col(st, 2) ? col(st, 2) : "");
    f->changes = db_column_int64(st, 3);
    db_finalize(st);
    return 1;
}
