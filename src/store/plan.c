/*
 * Roadmap items: due dates, status, evidence. See plan.h.
 */
#include "store/plan.h"

#include "base/deadline.h"
#include "base/mem.h"
#include "store/internal.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AREA "план мероприятий" /* in database error messages */

void store_plan_today(char out[11])
{
    char now[32];
    store_now(now);
    snprintf(out, 11, "%.10s", now);
}

int store_plan_status_ok(const char *status)
{
    static const char *const OK[] = {"planned", "in_progress", "done", "overdue", "cancelled"};
    for (size_t i = 0; status && i < sizeof OK / sizeof OK[0]; i++)
        if (!strcmp(status, OK[i]))
            return 1;
    return 0;
}

/* ---- due dates ---------------------------------------------------------------------------- */

typedef struct pending {
    int64_t id;
    int year;
    char *deadline;
} pending;

int store_plan_refresh_due(store *s, int64_t *updated, msk_err *err)
{
    db_stmt *sel = NULL, *upd = NULL, *ev = NULL;
    pending *p = NULL;
    size_t n = 0, cap = 0;
    int rc = -1;
    int64_t count = 0;
    char today[11];
    store_plan_today(today);
    if (updated)
        *updated = 0;
    /* nothing to do (the usual case, e.g. every dashboard view): no write lock taken */
    if (store_prep(s,
                   "SELECT EXISTS(SELECT 1 FROM plan_item WHERE due_kind = '') OR"
                   " EXISTS(SELECT 1 FROM plan_item p WHERE p.due_kind = 'event' AND EXISTS("
                   " SELECT 1 FROM procedure pr WHERE pr.year = p.year AND pr.held_on IS NOT NULL"
                   " AND pr.held_on <= ?1))",
                   &sel, AREA, err))
        return -1;
    db_bind_text(sel, 1, today);
    int todo = db_step(sel) == DB_ROW ? db_column_int(sel, 0) : 1;
    db_finalize(sel);
    sel = NULL;
    if (!todo)
        return 0;
    MSK_ASSERT(store_in_transaction(s)); /* a write path's own transaction (docs/app.md) */
    /* never computed, or waiting for the date of a procedure */
    if (store_prep(s, "SELECT id, year, deadline FROM plan_item WHERE due_kind IN ('', 'event')",
                   &sel, AREA, err))
        goto out;
    while (db_step(sel) == DB_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            p = msk_realloc(p, cap * sizeof *p);
        }
        p[n].id = db_column_int64(sel, 0);
        p[n].year = db_column_type(sel, 1) == DB_NULL ? 0 : db_column_int(sel, 1);
        p[n].deadline = msk_strdup(store_col(sel, 2));
        n++;
    }
    if (store_prep(s,
                   "UPDATE plan_item SET due_on = ?2, due_kind = ?3, due_why = ?4, due_days = ?5,"
                   " due_dates = ?6"
                   " WHERE id = ?1 AND (due_kind <> ?3 OR due_on IS NOT ?2 OR due_dates <> ?6)",
                   &upd, AREA, err) ||
        /* the latest date of the year's procedures held so far */
        store_prep(s,
                   "SELECT max(held_on) FROM procedure WHERE year = ?1 AND held_on IS NOT NULL"
                   " AND held_on <= ?2",
                   &ev, AREA, err))
        goto out;
    for (size_t i = 0; i < n; i++) {
        msk_deadline d;
        char iso[16], dates[11 * DEADLINE_MAX_DATES];
        deadline_parse(p[i].deadline, p[i].year, &d);
        if (d.kind == DUE_EVENT && p[i].year) {
            db_reset(ev);
            db_bind_int(ev, 1, p[i].year);
            db_bind_text_ref(ev, 2, today, -1);
            if (db_step(ev) == DB_ROW && db_column_type(ev, 0) != DB_NULL) {
                char held[16];
                snprintf(held, sizeof held, "%.10s", store_col(ev, 0));
                int days = d.days;
                if (deadline_after_event(&d, held) == 0)
                    d.days = days;
            }
        }
        deadline_iso(&d, iso, sizeof iso);
        deadline_dates_iso(&d, dates, sizeof dates);
        db_reset(upd);
        db_bind_int64(upd, 1, p[i].id);
        if (iso[0])
            db_bind_text(upd, 2, iso);
        else
            db_bind_null(upd, 2);
        db_bind_text_ref(upd, 3, deadline_kind_code(d.kind), -1);
        db_bind_text_ref(upd, 4, d.why, -1);
        if (d.days)
            db_bind_int(upd, 5, d.days);
        else
            db_bind_null(upd, 5);
        db_bind_text(upd, 6, dates);
        if (db_step(upd) != DB_DONE) {
            store_db_err(s, err, AREA, "срок исполнения");
            goto out;
        }
        count += db_changes(s->db);
    }
    rc = 0;
    if (updated)
        *updated = count;
out:
    db_finalize(sel);
    db_finalize(upd);
    db_finalize(ev);
    for (size_t i = 0; i < n; i++)
        free(p[i].deadline);
    free(p);
    return rc;
}

/* ---- lists --------------------------------------------------------------------------------- */

#define PLAN_COLS                                                                                  \
    "p.id, p.finding_id, p.year, p.due_days, (SELECT count(*) FROM plan_file f"                    \
    " WHERE f.plan_item_id = p.id), p.roadmap, p.section, p.number, p.text, p.deadline,"           \
    " p.due_on, p.due_kind, p.due_why, p.responsible, p.result, p.status, p.note,"                 \
    " sc.code, p.updated_at, p.updated_by,"                                                        \
    " (p.status = 'overdue' OR (p.status IN ('planned','in_progress') AND p.due_on < ?1)),"        \
    " p.due_dates"                                                                                 \
    " FROM plan_item p LEFT JOIN school sc ON sc.id = p.school_id"

static void row_of(db_stmt *st, store_plan_row *r)
{
    memset(r, 0, sizeof *r);
    r->id = db_column_int64(st, 0);
    r->finding_id = db_column_int64(st, 1);
    r->year = db_column_type(st, 2) == DB_NULL ? STORE_NONE : db_column_int(st, 2);
    r->due_days = db_column_int(st, 3);
    r->nfiles = db_column_int(st, 4);
    r->roadmap = store_col(st, 5);
    r->section = store_col(st, 6);
    r->number = store_col(st, 7);
    r->text = store_col(st, 8);
    r->deadline = store_col(st, 9);
    r->due_on = store_col(st, 10);
    r->due_kind = store_col(st, 11);
    r->due_why = store_col(st, 12);
    r->responsible = store_col(st, 13);
    r->result = store_col(st, 14);
    r->status = store_col(st, 15);
    r->note = store_col(st, 16);
    r->school_code = store_col(st, 17);
    r->updated_at = store_col(st, 18);
    r->updated_by = store_col(st, 19);
    r->overdue = db_column_int(st, 20);
    r->due_dates = store_col(st, 21);
}

int store_plan_each(store *s, int year, const char *roadmap, enum store_plan_filter filter,
                    const char *today, void (*fn)(void *ctx, const store_plan_row *r), void *ctx,
                    msk_err *err)
{
    db_stmt *st = NULL;
    if (store_prep(s,
                   "SELECT " PLAN_COLS " WHERE (?2 IS NULL OR p.year = ?2) AND (?3 IS NULL OR"
                   " p.roadmap = ?3) AND (?4 = 0"
                   " OR (?4 = 1 AND p.status NOT IN ('done','cancelled')"
                   "     AND (substr(p.due_on, 1, 7) = substr(?1, 1, 7)"
                   "      OR instr(p.due_dates, substr(?1, 1, 8)) > 0))"
                   " OR (?4 = 2 AND (p.status = 'overdue' OR (p.status IN ('planned','in_progress')"
                   "     AND p.due_on < ?1))))"
                   " ORDER BY p.roadmap, p.id",
                   &st, AREA, err))
        return -1;
    db_bind_text(st, 1, today);
    if (year != STORE_NONE)
        db_bind_int(st, 2, year);
    if (roadmap)
        db_bind_text(st, 3, roadmap);
    db_bind_int(st, 4, (int)filter);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        store_plan_row r;
        row_of(st, &r);
        fn(ctx, &r);
    }
    db_finalize(st);
    if (rc != DB_DONE)
        return store_db_err(s, err, AREA, "чтение пунктов");
    return 0;
}

int store_plan_get(store *s, int64_t id, const char *today,
                   void (*fn)(void *ctx, const store_plan_row *r), void *ctx, msk_err *err)
{
    db_stmt *st = NULL;
    if (store_prep(s, "SELECT " PLAN_COLS " WHERE p.id = ?2", &st, AREA, err))
        return -1;
    db_bind_text(st, 1, today);
    db_bind_int64(st, 2, id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        store_plan_row r;
        row_of(st, &r);
        fn(ctx, &r);
    }
    db_finalize(st);
    if (rc == DB_DONE)
        return 1;
    if (rc != DB_ROW)
        return store_db_err(s, err, AREA, "чтение пункта");
    return 0;
}

/* ---- changes ------------------------------------------------------------------------------- */

int store_plan_snapshot(store *s, int64_t id, char *out, size_t outsz, msk_err *err)
{
    db_stmt *st = NULL;
    if (store_prep(s, "SELECT status, note FROM plan_item WHERE id = ?1", &st, AREA, err))
        return -1;
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_ROW)
        snprintf(out, outsz, "status=%s; note=%s", store_col(st, 0), store_col(st, 1));
    db_finalize(st);
    if (rc == DB_DONE)
        return 1;
    return rc == DB_ROW ? 0 : store_db_err(s, err, AREA, "чтение пункта");
}

int store_plan_set_status(store *s, int64_t id, const char *status, const char *note,
                          const char *user, msk_err *err)
{
    char now[32];
    db_stmt *st = NULL;
    MSK_ASSERT(store_in_transaction(s));
    if (!store_plan_status_ok(status))
        return msk_error(err,
                         "неизвестный статус «%s» (допустимы: planned, in_progress, done, "
                         "overdue, cancelled)",
                         status ? status : "");
    store_now(now);
    if (store_prep(s,
                   "UPDATE plan_item SET status = ?2, note = coalesce(?3, note), updated_at = ?4,"
                   " updated_by = ?5 WHERE id = ?1",
                   &st, AREA, err))
        return -1;
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, status);
    if (note)
        db_bind_text(st, 3, note);
    db_bind_text(st, 4, now);
    db_bind_text(st, 5, user ? user : "");
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE)
        return store_db_err(s, err, AREA, "смена статуса");
    if (db_changes(s->db) == 0) {
        msk_error(err, "пункта плана %lld нет", (long long)id);
        return 1;
    }
    return 0;
}

int store_plan_attach(store *s, int64_t id, const char *name, const unsigned char *data,
                      size_t size, const char *user, int64_t *file_id, msk_err *err)
{
    char snap[4200], now[32], hex[crypto_hash_sha256_BYTES * 2 + 1];
    unsigned char h[crypto_hash_sha256_BYTES];
    db_stmt *st = NULL;
    MSK_ASSERT(store_in_transaction(s));
    if (size > STORE_PLAN_FILE_MAX)
        return msk_error(err, "%s: файл больше %d МБ — приложите файл меньшего размера", name,
                         STORE_PLAN_FILE_MAX / (1024 * 1024));
    int rc = store_plan_snapshot(s, id, snap, sizeof snap, err);
    if (rc) {
        if (rc > 0)
            msk_error(err, "пункта плана %lld нет", (long long)id);
        return rc;
    }
    crypto_hash_sha256(h, data, size);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    store_now(now);
    if (store_prep(
            s,
            "INSERT INTO plan_file(plan_item_id, name, size, sha256, data, added_at, added_by)"
            " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            &st, AREA, err))
        return -1;
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, name);
    db_bind_int64(st, 3, (int64_t)size);
    db_bind_text(st, 4, hex);
    db_bind_blob_ref(st, 5, size ? (const void *)data : "", size);
    db_bind_text(st, 6, now);
    db_bind_text(st, 7, user ? user : "");
    rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE)
        return store_db_err(s, err, AREA, "файл подтверждения");
    if (file_id)
        *file_id = db_last_id(s->db);
    return 0;
}

static int files_query(store *s, const char *where, int64_t id, int with_data,
                       void (*fn)(void *ctx, const store_plan_file *f), void *ctx, int *found,
                       msk_err *err)
{
    char sql[512];
    db_stmt *st = NULL;
    snprintf(sql, sizeof sql,
             "SELECT id, plan_item_id, size, name, sha256, added_at, added_by, %s"
             " FROM plan_file WHERE %s = ?1 ORDER BY id",
             with_data ? "data" : "NULL", where);
    if (store_prep(s, sql, &st, AREA, err))
        return -1;
    db_bind_int64(st, 1, id);
    int rc;
    *found = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        store_plan_file f = {db_column_int64(st, 0), db_column_int64(st, 1),
                             db_column_int64(st, 2), store_col(st, 3),
                             store_col(st, 4),       store_col(st, 5),
                             store_col(st, 6),       NULL};
        if (with_data) {
            f.data = db_column_blob(st, 7);
            if (!f.data)
                f.data = (const unsigned char *)"";
        }
        fn(ctx, &f);
        (*found)++;
    }
    db_finalize(st);
    if (rc != DB_DONE)
        return store_db_err(s, err, AREA, "файлы подтверждения");
    return 0;
}

int store_plan_files(store *s, int64_t item_id, void (*fn)(void *ctx, const store_plan_file *f),
                     void *ctx, msk_err *err)
{
    int found;
    return files_query(s, "plan_item_id", item_id, 0, fn, ctx, &found, err);
}

int store_plan_file_get(store *s, int64_t file_id, void (*fn)(void *ctx, const store_plan_file *f),
                        void *ctx, msk_err *err)
{
    int found;
    if (files_query(s, "id", file_id, 1, fn, ctx, &found, err))
        return -1;
    return found ? 0 : 1;
}

/* ---- progress kept across a re-import -------------------------------------------------------- */

int store_plan_progress_save(store *s, const char *roadmap, msk_err *err)
{
    db_stmt *st = NULL;
    static const char *const SQL[] = {
        "CREATE TEMP TABLE IF NOT EXISTS plan_keep(roadmap TEXT, number TEXT, text TEXT,"
        " status TEXT, note TEXT, updated_at TEXT, updated_by TEXT, old_id INTEGER)",
        "CREATE TEMP TABLE IF NOT EXISTS plan_keep_file(old_id INTEGER, name TEXT, size INTEGER,"
        " sha256 TEXT, data BLOB, added_at TEXT, added_by TEXT)",
        "INSERT INTO plan_keep SELECT roadmap, number, text, status, note, updated_at, updated_by,"
        " id FROM plan_item p WHERE roadmap = ?1 AND finding_id IS NULL AND (status <> 'planned'"
        " OR note <> '' OR EXISTS(SELECT 1 FROM plan_file f WHERE f.plan_item_id = p.id))",
        "INSERT INTO plan_keep_file SELECT f.plan_item_id, f.name, f.size, f.sha256, f.data,"
        " f.added_at, f.added_by FROM plan_file f JOIN plan_item p ON p.id = f.plan_item_id"
        " WHERE p.roadmap = ?1 AND p.finding_id IS NULL",
    };
    for (size_t i = 0; i < sizeof SQL / sizeof SQL[0]; i++) {
        if (store_prep(s, SQL[i], &st, AREA, err))
            return -1;
        if (db_param_count(st))
            db_bind_text(st, 1, roadmap);
        int rc = db_step(st);
        db_finalize(st);
        if (rc != DB_DONE)
            return store_db_err(s, err, AREA, "сохранение отметок о выполнении");
    }
    return 0;
}

int store_plan_progress_restore(store *s, int64_t *restored, msk_err *err)
{
    db_stmt *st = NULL;
    if (restored)
        *restored = 0;
    /* nothing saved (no temp table): nothing to do */
    if (store_prep(s, "SELECT count(*) FROM temp.sqlite_schema WHERE name = 'plan_keep'", &st, AREA,
                   err))
        return -1;
    int have = db_step(st) == DB_ROW && db_column_int(st, 0) > 0;
    db_finalize(st);
    if (!have)
        return 0;
    static const char *const SQL[] = {
        /* the new item of each kept one: same roadmap, number and text */
        "CREATE TEMP TABLE plan_keep_map AS SELECT k.old_id, min(p.id) AS new_id FROM plan_keep k"
        " JOIN plan_item p ON p.roadmap = k.roadmap AND p.number = k.number AND p.text = k.text"
        " AND p.finding_id IS NULL GROUP BY k.old_id", /* the old items are deleted by now */
        "UPDATE plan_item SET status = k.status, note = k.note, updated_at = k.updated_at,"
        " updated_by = k.updated_by FROM plan_keep k JOIN plan_keep_map m ON m.old_id = k.old_id"
        " WHERE plan_item.id = m.new_id",
        "INSERT INTO plan_file(plan_item_id, name, size, sha256, data, added_at, added_by)"
        " SELECT m.new_id, f.name, f.size, f.sha256, f.data, f.added_at, f.added_by"
        " FROM plan_keep_file f JOIN plan_keep_map m ON m.old_id = f.old_id",
        "SELECT count(*) FROM plan_keep_map",
        "DROP TABLE temp.plan_keep_map",
        "DROP TABLE temp.plan_keep",
        "DROP TABLE temp.plan_keep_file",
    };
    for (size_t i = 0; i < sizeof SQL / sizeof SQL[0]; i++) {
        if (store_prep(s, SQL[i], &st, AREA, err))
            return -1;
        int rc = db_step(st);
        if (rc == DB_ROW && restored)
            *restored = db_column_int64(st, 0);
        db_finalize(st);
        if (rc != DB_DONE && rc != DB_ROW)
            return store_db_err(s, err, AREA, "перенос отметок о выполнении");
    }
    return 0;
}

/* ---- plan items from an import ---- */

int store_plan_add(store *s, const store_plan *p, int64_t *id, msk_err *err)
{
    db_stmt *st = store_stmt(s, ST_PLAN_ADD, err);
    if (!st)
        return -1;
    store_bind_text(st, 1, p->roadmap ? p->roadmap : "");
    store_bind_int(st, 2, p->year);
    store_bind_text(st, 3, p->section ? p->section : "");
    store_bind_text(st, 4, p->number ? p->number : "");
    store_bind_text(st, 5, p->text);
    store_bind_text(st, 6, p->deadline ? p->deadline : "");
    store_bind_text(st, 7, p->due_on);
    store_bind_text(st, 8, p->responsible ? p->responsible : "");
    store_bind_text(st, 9, p->result ? p->result : "");
    store_bind_text(st, 10, p->status ? p->status : "planned");
    store_bind_id(st, 11, p->school_id);
    store_bind_id(st, 12, p->finding_id);
    store_bind_id(st, 13, p->batch_id);
    if (store_step_done(s, st, err, "пункт плана"))
        return -1;
    if (id)
        *id = db_last_id(s->db);
    return 0;
}

int store_plan_years(store *s, int *years, int max, int *n, msk_err *err)
{
    db_stmt *st = NULL;
    *n = 0;
    if (store_prep(s,
                   "SELECT DISTINCT year FROM plan_item WHERE year IS NOT NULL ORDER BY year DESC",
                   &st, AREA, err))
        return -1;
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        if (*n < max)
            years[(*n)++] = db_column_int(st, 0);
    db_finalize(st);
    return rc == DB_DONE ? 0 : store_db_err(s, err, AREA, "годы плана");
}
