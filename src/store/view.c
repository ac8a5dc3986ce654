/*
 * Reads for the view models: see view.h.
 */
#include "store/view.h"

#include "store/internal.h"

#include <stdio.h>
#include <string.h>

static int fail(store *s, sqlite3_stmt *st, msk_err *err)
{
    sqlite3_finalize(st);
    return msk_error(err, "ошибка базы данных %s (чтение для страниц): %s", s->path,
                     sqlite3_errmsg(s->db));
}

static const char *col(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

int store_read_findings(store *s, int year, void (*fn)(void *ctx, const store_read_finding *r),
                        void *ctx, msk_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT f.id, f.run_id, f.method, sc.code, f.verdict, f.evidence,"
                           " r.created_at, r.methods_hash, f.year"
                           " FROM finding f JOIN analysis_run r ON r.id=f.run_id"
                           " LEFT JOIN school sc ON sc.id=f.school_id"
                           " WHERE f.run_id=(SELECT max(id) FROM analysis_run WHERE year=?)"
                           " ORDER BY f.id",
                           -1, &st, NULL) != SQLITE_OK)
        return fail(s, st, err);
    sqlite3_bind_int(st, 1, year);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_read_finding r = {sqlite3_column_int64(st, 0),
                                sqlite3_column_int64(st, 1),
                                col(st, 2),
                                col(st, 3),
                                col(st, 4),
                                col(st, 5),
                                col(st, 6),
                                col(st, 7),
                                sqlite3_column_int(st, 8)};
        fn(ctx, &r);
    }
    if (rc != SQLITE_DONE)
        return fail(s, st, err);
    sqlite3_finalize(st);
    return 0;
}

int store_read_names(store *s, void (*fn)(void *ctx, const store_read_name *r), void *ctx,
                     msk_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT 'kind', code, name, NULL, NULL FROM proc_kind"
                           " UNION ALL SELECT 'subject', code, name, NULL, NULL FROM subject"
                           " UNION ALL SELECT 'element', code, name, unit, value_type"
                           " FROM data_element",
                           -1, &st, NULL) != SQLITE_OK)
        return fail(s, st, err);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_read_name r = {col(st, 0), col(st, 1), col(st, 2), col(st, 3), col(st, 4)};
        fn(ctx, &r);
    }
    if (rc != SQLITE_DONE)
        return fail(s, st, err);
    sqlite3_finalize(st);
    return 0;
}

int store_read_task_labels(store *s, int year_from, int year_to,
                           void (*fn)(void *ctx, const store_read_task_label *r), void *ctx,
                           msk_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT p.year, p.grade, t.idx, p.kind, p.subject, t.label"
                           " FROM procedure_task t JOIN procedure p ON p.id=t.procedure_id"
                           " WHERE p.year BETWEEN ? AND ? ORDER BY p.id, t.idx",
                           -1, &st, NULL) != SQLITE_OK)
        return fail(s, st, err);
    sqlite3_bind_int(st, 1, year_from);
    sqlite3_bind_int(st, 2, year_to);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_read_task_label r = {sqlite3_column_int(st, 0),
                                   sqlite3_column_int(st, 1),
                                   sqlite3_column_int(st, 2),
                                   col(st, 3),
                                   col(st, 4),
                                   col(st, 5)};
        fn(ctx, &r);
    }
    if (rc != SQLITE_DONE)
        return fail(s, st, err);
    sqlite3_finalize(st);
    return 0;
}

int store_read_years(store *s, int *years, int max, int *n, msk_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc;
    *n = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT DISTINCT year FROM procedure ORDER BY year DESC", -1, &st,
                           NULL) != SQLITE_OK)
        return fail(s, st, err);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (*n < max)
            years[(*n)++] = sqlite3_column_int(st, 0);
    if (rc != SQLITE_DONE)
        return fail(s, st, err);
    sqlite3_finalize(st);
    return 0;
}

int64_t store_data_stamp(store *s)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    /* Batches only grow (undo marks them), runs are replaced by new ids, plan and audit rows
     * accompany every other change; a sum of maxima and counts moves with any of them. Audit
     * rows of logins and sessions (a lockout, logout everywhere) change no data: they do not
     * move the stamp, or anyone locking an account would make every server reload its years
     * (the newest other row is found walking back from the end: rows of that kind are few). */
    if (sqlite3_prepare_v2(s->db,
                           "SELECT (SELECT coalesce(max(id),0) FROM import_batch)"
                           " + 1000003*(SELECT count(undone_at) FROM import_batch)"
                           " + 7919*(SELECT coalesce(max(id),0) FROM analysis_run)"
                           " + 104729*coalesce((SELECT id FROM audit WHERE action NOT LIKE"
                           " 'login.%' AND action NOT LIKE 'session.%' ORDER BY id DESC LIMIT 1),0)"
                           " + 15485863*(SELECT count(*) FROM plan_item)",
                           -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return -1;
    }
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

int store_analysis_freshness(store *s, int year, store_freshness *f, msk_err *err)
{
    sqlite3_stmt *st = NULL;
    memset(f, 0, sizeof *f);
    /* a: the audit row of the year's latest analysis; d: changes of its input. With a, audit
     * ids order them (one clock tick may hold both); without, the run's time does. */
    if (sqlite3_prepare_v2(
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
            -1, &st, NULL) != SQLITE_OK)
        return fail(s, st, err);
    sqlite3_bind_int(st, 1, year);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sqlite3_finalize(st);
        return 0;
    }
    if (rc != SQLITE_ROW)
        return fail(s, st, err);
    snprintf(f->run_at, sizeof f->run_at, "%s", col(st, 0) ? col(st, 0) : "");
    snprintf(f->data_at, sizeof f->data_at, "%s", col(st, 1) ? col(st, 1) : "");
    snprintf(f->changed_at, sizeof f->changed_at, "%s", col(st, 2) ? col(st, 2) : "");
    f->changes = sqlite3_column_int64(st, 3);
    sqlite3_finalize(st);
    return 1;
}
