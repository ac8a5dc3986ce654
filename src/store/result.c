/*
 * The store: per-pupil results, one at a time or in multi-row statements, and per-school
 * aggregates (store.h).
 */
#include "store/internal.h"

#include "base/mem.h"

#include <math.h>
#include <sqlite3.h> /* the trigger and foreign key switches of a bulk load */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- results ---- */

static void bind_result(db_stmt *st, int b, const store_result *r)
{
    db_bind_int64(st, b + 1, r->procedure_id);
    db_bind_int64(st, b + 2, r->school_id);
    store_bind_text(st, b + 3, r->class_name ? r->class_name : "");
    store_bind_text(st, b + 4, r->pupil_code);
    store_bind_int(st, b + 5, r->variant);
    store_bind_real(st, b + 6, r->primary_score);
    store_bind_int(st, b + 7, r->mark);
    store_bind_int(st, b + 8, r->test_score);
    store_bind_int(st, b + 9, r->journal_mark);
    db_bind_int(st, b + 10, r->retake);
    db_bind_int(st, b + 11, r->past_graduate);
    db_bind_int(st, b + 12, r->ovz);
    db_bind_int(st, b + 13, r->absent);
    if (r->tasks && r->ntasks)
        db_bind_blob_ref(st, b + 14, r->tasks, r->ntasks);
    else
        db_bind_null(st, b + 14);
    store_bind_id(st, b + 15, r->batch_id);
}

int store_result_add(store *s, const store_result *r, msk_err *err)
{
    db_stmt *st = store_stmt(s, ST_RESULT_ADD, err);
    if (!st)
        return -1;
    bind_result(st, 0, r);
    return store_step_done_guarded(s, st, err, "результат участника");
}

/* 1 when no trigger would fire for these rows: every row is of the newest import batch (the
 * model stamp's INSERT trigger — migration 6 — is for rows that are not: the batch's own insert
 * bumped the stamp once for all of them) and result has no other trigger than the ones this
 * knows. Then the rows go in with the connection's triggers off: the trigger's sub-program ran
 * per row for nothing and was a fifth of the inserts' time (bench/import: 0.45–0.6 s of the
 * writer's 2.4 s CPU on a million rows). */
static int no_trigger_fires(store *s, const store_result *r, size_t n)
{
    db_stmt *st;
    int64_t newest = -1, others = 1;
    /* the triggers on result this knows: the stamp's (migration 6) and the before image's
     * (trail.c, BEFORE DELETE); any other disables the shortcut */
    if (store_prep(s,
                   "SELECT (SELECT max(id) FROM import_batch), (SELECT count(*) FROM"
                   " (SELECT name FROM sqlite_schema WHERE type='trigger' AND tbl_name='result'"
                   "  UNION ALL SELECT name FROM sqlite_temp_schema WHERE type='trigger'"
                   "  AND tbl_name='result') WHERE name NOT IN ('model_stamp_result_INSERT',"
                   " 'model_stamp_result_UPDATE', 'model_stamp_result_DELETE', 'msk_keep_result'))",
                   &st, "результаты", NULL))
        return 0;
    if (db_step(st) == DB_ROW && db_column_type(st, 0) == DB_INTEGER) {
        newest = db_column_int64(st, 0);
        others = db_column_int64(st, 1);
    }
    db_finalize(st);
    if (others || newest <= 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (r[i].batch_id != newest)
            return 0;
    return 1;
}

/* 1 when every row's procedure and school exist, asked once per distinct id (a block of a
 * school-ordered file has a few dozen) instead of the foreign keys' lookup per row and column
 * (3 a row; 0.28 s of the writer's 1.8 s CPU on a million rows). batch_id is the newest batch
 * (no_trigger_fires). 0 also when the ids are too many to be worth it. */
static int parents_exist(store *s, const store_result *r, size_t n)
{
    enum { MAXID = 128 };
    int64_t ids[2][MAXID];
    size_t nid[2] = {0, 0};
    for (size_t i = 0; i < n; i++) {
        int64_t v[2] = {r[i].procedure_id, r[i].school_id};
        for (int t = 0; t < 2; t++) {
            size_t k = nid[t];
            while (k > 0 && ids[t][k - 1] != v[t])
                k--;
            if (k > 0)
                continue;
            if (nid[t] == MAXID)
                return 0;
            ids[t][nid[t]++] = v[t];
        }
    }
    static const char *const SQL[2] = {"SELECT 1 FROM procedure WHERE id=?",
                                       "SELECT 1 FROM school WHERE id=?"};
    for (int t = 0; t < 2; t++) {
        db_stmt *st;
        if (store_prep(s, SQL[t], &st, "результаты", NULL))
            return 0;
        int ok = 1;
        for (size_t k = 0; k < nid[t] && ok; k++) {
            db_bind_int64(st, 1, ids[t][k]);
            ok = db_step(st) == DB_ROW;
            db_reset(st);
        }
        db_finalize(st);
        if (!ok)
            return 0;
    }
    return 1;
}

/* A COPY costs a few round trips of its own (the column types, the start, the end, the move):
 * a block smaller than this goes through the multi-row INSERTs. */
enum { COPY_MIN_ROWS = 2 * STORE_RESULT_CHUNK };

static int insert_many(store *s, const store_result *r, size_t n, unsigned char *failed,
                       msk_err *err);
static int copy_many(store *s, const store_result *r, size_t n, unsigned char *failed,
                     msk_err *err);

int store_result_add_many(store *s, const store_result *r, size_t n, unsigned char *failed,
                          msk_err *err)
{
    int trig = 0, fk = 0, was = 0;
    memset(failed, 0, n);
    /* PostgreSQL: one COPY a block instead of a round trip per 64 rows (issue 17 item 6) */
    if (db_engine_of(s->db) == DB_POSTGRES && n >= COPY_MIN_ROWS)
        return copy_many(s, r, n, failed, err);
    /* switching a flag expires the connection's prepared statements: the cached ones are
     * prepared again on their next use (about 0.05 ms for the insert; once a block). The
     * flag's pointer gets the state after the call: -1 only asks. */
    /* The switches are SQLite's, per connection; on PostgreSQL the triggers and keys stay on
     * (its bulk path comes with the driver, issue 17). */
    sqlite3 *lite = db_sqlite(s->db);
    if (lite && no_trigger_fires(s, r, n)) {
        if (sqlite3_db_config(lite, SQLITE_DBCONFIG_ENABLE_TRIGGER, -1, &was) == SQLITE_OK && was &&
            sqlite3_db_config(lite, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL) == SQLITE_OK)
            trig = 1;
        if (sqlite3_db_config(lite, SQLITE_DBCONFIG_ENABLE_FKEY, -1, &was) == SQLITE_OK && was &&
            parents_exist(s, r, n) &&
            sqlite3_db_config(lite, SQLITE_DBCONFIG_ENABLE_FKEY, 0, NULL) == SQLITE_OK)
            fk = 1;
    }
    int rc = insert_many(s, r, n, failed, err);
    if (trig)
        sqlite3_db_config(lite, SQLITE_DBCONFIG_ENABLE_TRIGGER, 1, NULL);
    if (fk)
        sqlite3_db_config(lite, SQLITE_DBCONFIG_ENABLE_FKEY, 1, NULL);
    return rc;
}

static int insert_many(store *s, const store_result *r, size_t n, unsigned char *failed,
                       msk_err *err)
{
    size_t i = 0;
    msk_err e;
    while (i < n) {
        if (n - i >= STORE_RESULT_CHUNK) {
            db_stmt *st = store_stmt(s, ST_RESULT_ADD_MANY, err);
            if (!st)
                return -1;
            for (int k = 0; k < STORE_RESULT_CHUNK; k++)
                bind_result(st, k * RESULT_COLS, &r[i + (size_t)k]);
            int rc = db_step_guarded(st);
            /* OR FAIL: a broken row stops the statement and keeps the rows before it (so
             * SQLite keeps no statement journal, a copy of every page it touches: 0.25 s of
             * the writer's 1.5 s CPU); a foreign key error still undoes it all (0 changes) */
            int kept = rc == DB_DONE ? STORE_RESULT_CHUNK : (int)db_changes(s->db);
            db_reset(st);
            if (rc == DB_DONE) {
                i += STORE_RESULT_CHUNK;
                continue;
            }
            enum db_errclass ec = db_errclass(s->db);
            if (ec != DB_E_UNIQUE && ec != DB_E_CHECK && ec != DB_E_FOREIGN && ec != DB_E_NOTNULL)
                return msk_error(err, "ошибка базы данных %s (результаты): %s", s->path,
                                 db_errmsg(s->db));
            if (kept < 0 || kept >= STORE_RESULT_CHUNK)
                return msk_error(err, "ошибка базы данных %s (результаты): %d строк из %d", s->path,
                                 kept, STORE_RESULT_CHUNK);
            /* redo the rest one by one: the first of them is the bad one, and there may be more */
            i += (size_t)kept;
            for (int k = kept; k < STORE_RESULT_CHUNK; k++, i++)
                if (store_result_add(s, &r[i], &e)) {
                    if (!strstr(e.msg, "уже есть") && !strstr(e.msg, "недопустимое"))
                        return msk_error(err, "%s", e.msg);
                    failed[i] = 1;
                }
            continue;
        }
        if (store_result_add(s, &r[i], &e)) {
            if (!strstr(e.msg, "уже есть") && !strstr(e.msg, "недопустимое"))
                return msk_error(err, "%s", e.msg);
            failed[i] = 1;
        }
        i++;
    }
    return 0;
}

int store_aggregate_put(store *s, const store_aggregate *a, msk_err *err)
{
    db_stmt *st = store_stmt(s, ST_AGG_PUT, err);
    if (!st)
        return -1;
    db_bind_int64(st, 1, a->procedure_id);
    db_bind_int64(st, 2, a->school_id);
    db_bind_int(st, 3, a->participants);
    store_bind_int(st, 4, a->mark2);
    store_bind_int(st, 5, a->mark3);
    store_bind_int(st, 6, a->mark4);
    store_bind_int(st, 7, a->mark5);
    store_bind_int(st, 8, a->below_min);
    store_bind_id(st, 9, a->batch_id);
    return store_step_done(s, st, err, "сводный результат школы");
}

/* ---- the bulk path on PostgreSQL ---- */

/* The block's rows land in a TEMP table without constraints (a failed row would fail the
 * whole COPY, and the import skips a bad row and loads the rest, one transaction), then one
 * statement moves them: the rows that would break the UNIQUE key — already in result, or a
 * second time in the block (the first one is kept, as row-by-row INSERTs do) — are answered by
 * their number (seq, 0-based), the rest inserted; the last answer row is -1 - inserted. */
static const char COPY_TABLE_SQL[] =
    "CREATE TEMP TABLE IF NOT EXISTS msk_result_in(seq INTEGER, procedure_id INTEGER,"
    " school_id INTEGER, class TEXT, pupil_code TEXT, variant INTEGER, primary_score REAL,"
    " mark INTEGER, test_score INTEGER, journal_mark INTEGER, retake INTEGER,"
    " past_graduate INTEGER, ovz INTEGER, absent INTEGER, tasks BLOB, batch_id INTEGER);"
    "TRUNCATE msk_result_in";
static const char COPY_MOVE_SQL[] =
    "WITH bad AS (SELECT seq FROM (SELECT t.seq, row_number() OVER (PARTITION BY"
    "  t.procedure_id, t.school_id, t.pupil_code, t.retake ORDER BY t.seq) AS k,"
    "  EXISTS(SELECT 1 FROM result r WHERE r.procedure_id = t.procedure_id AND"
    "  r.school_id = t.school_id AND r.pupil_code = t.pupil_code AND r.retake = t.retake) AS old"
    "  FROM msk_result_in t) AS x WHERE k > 1 OR old),"
    " ins AS (INSERT INTO result(procedure_id,school_id,class,pupil_code,variant,primary_score,"
    "  mark,test_score,journal_mark,retake,past_graduate,ovz,absent,tasks,batch_id)"
    "  SELECT procedure_id,school_id,class,pupil_code,variant,primary_score,mark,test_score,"
    "  journal_mark,retake,past_graduate,ovz,absent,tasks,batch_id FROM msk_result_in"
    "  WHERE seq NOT IN (SELECT seq FROM bad) ORDER BY seq ON CONFLICT DO NOTHING RETURNING 1)"
    " SELECT seq FROM bad UNION ALL SELECT -1 - count(*) FROM ins";
static const char *const COPY_COLS[] = {
    "seq",           "procedure_id", "school_id",  "class",        "pupil_code", "variant",
    "primary_score", "mark",         "test_score", "journal_mark", "retake",     "past_graduate",
    "ovz",           "absent",       "tasks",      "batch_id"};
enum { COPY_NCOLS = sizeof COPY_COLS / sizeof COPY_COLS[0] };

static void val_int(db_value *v, int64_t x)
{
    v->type = DB_INTEGER;
    v->i = x;
}

static void val_opt(db_value *v, int x) /* STORE_NONE is NULL */
{
    if (x == STORE_NONE)
        v->type = DB_NULL;
    else
        val_int(v, x);
}

static void val_text(db_value *v, const char *t)
{
    v->type = t ? DB_TEXT : DB_NULL;
    v->p = t;
    v->n = t ? strlen(t) : 0;
}

static int copy_rows(store *s, const store_result *r, size_t n, msk_err *err)
{
    db_copy *c;
    db_value v[COPY_NCOLS];
    if (db_copy_begin(s->db, "msk_result_in", COPY_COLS, COPY_NCOLS, &c) != DB_OK)
        return msk_error(err, "ошибка базы данных %s (результаты): %s", s->path, db_errmsg(s->db));
    int rc = DB_OK;
    for (size_t i = 0; i < n && rc == DB_OK; i++) {
        const store_result *x = &r[i];
        memset(v, 0, sizeof v);
        val_int(&v[0], (int64_t)i);
        val_int(&v[1], x->procedure_id);
        val_int(&v[2], x->school_id);
        val_text(&v[3], x->class_name ? x->class_name : "");
        val_text(&v[4], x->pupil_code);
        val_opt(&v[5], x->variant);
        v[6].type = isnan(x->primary_score) ? DB_NULL : DB_FLOAT;
        v[6].f = x->primary_score;
        val_opt(&v[7], x->mark);
        val_opt(&v[8], x->test_score);
        val_opt(&v[9], x->journal_mark);
        val_int(&v[10], x->retake);
        val_int(&v[11], x->past_graduate);
        val_int(&v[12], x->ovz);
        val_int(&v[13], x->absent);
        v[14].type = x->tasks && x->ntasks ? DB_BLOB : DB_NULL;
        v[14].p = x->tasks;
        v[14].n = x->ntasks;
        if (x->batch_id > 0)
            val_int(&v[15], x->batch_id);
        else
            v[15].type = DB_NULL;
        rc = db_copy_row(c, v);
    }
    if (db_copy_end(c) != DB_OK || rc != DB_OK)
        return msk_error(err, "ошибка базы данных %s (результаты): %s", s->path, db_errmsg(s->db));
    return 0;
}

static int copy_many(store *s, const store_result *r, size_t n, unsigned char *failed, msk_err *err)
{
    db_stmt *st = NULL;
    int rc = -1;
    size_t nbad = 0;
    int64_t inserted = -1;
    if (db_exec(s->db, COPY_TABLE_SQL) != DB_OK)
        return msk_error(err, "ошибка базы данных %s (результаты): %s", s->path, db_errmsg(s->db));
    if (copy_rows(s, r, n, err))
        return -1;
    if (store_prep(s, COPY_MOVE_SQL, &st, "результаты", err))
        return -1;
    int step;
    while ((step = db_step_guarded(st)) == DB_ROW) {
        int64_t seq = db_column_int64(st, 0);
        if (seq < 0) {
            inserted = -1 - seq;
        } else if ((size_t)seq < n && !failed[seq]) {
            failed[seq] = 1;
            nbad++;
        }
    }
    if (step != DB_DONE) {
        enum db_errclass ec = db_errclass(s->db);
        db_finalize(st);
        st = NULL;
        /* a CHECK, NOT NULL or foreign key failure: the statement undid itself (under its
         * savepoint); the block goes again row by row, which finds and skips the bad rows */
        if (ec == DB_E_CHECK || ec == DB_E_FOREIGN || ec == DB_E_NOTNULL) {
            memset(failed, 0, n);
            return insert_many(s, r, n, failed, err);
        }
        msk_error(err, "ошибка базы данных %s (результаты): %s", s->path, db_errmsg(s->db));
        goto out;
    }
    if (inserted != (int64_t)(n - nbad)) {
        msk_error(err, "ошибка базы данных %s (результаты): записано %lld строк из %zu", s->path,
                  (long long)inserted, n - nbad);
        goto out;
    }
    rc = 0;
out:
    db_finalize(st);
    return rc;
}
