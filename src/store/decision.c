/*
 * Management decisions: see decision.h.
 */
#include "store/decision.h"

#include "base/mem.h"
#include "store/internal.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AREA "управленческие решения"

int store_decision_kind_ok(const char *kind)
{
    static const char *const KINDS[] = {"order", "letter", "protocol", "other"};
    for (size_t i = 0; kind && i < sizeof KINDS / sizeof KINDS[0]; i++)
        if (!strcmp(kind, KINDS[i]))
            return 1;
    return 0;
}

static const char ROW_SQL[] =
    "SELECT d.id, d.year, d.kind, d.number, d.taken_on, d.text, d.list, d.responsible, d.due_on,"
    " d.created_at, d.created_by,"
    " coalesce((SELECT group_concat(code, ',') FROM (SELECT sc.code FROM decision_school ds"
    "  JOIN school sc ON sc.id = ds.school_id WHERE ds.decision_id = d.id ORDER BY sc.code)), ''),"
    " (SELECT count(*) FROM decision_file f WHERE f.decision_id = d.id), d.direction"
    " FROM decision d";

static int each_row(store *s, db_stmt *st, void (*fn)(void *, const store_decision *), void *ctx,
                    int *n, msk_err *err)
{
    int rc;
    *n = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        store_decision d = {db_column_int64(st, 0), db_column_int(st, 1), store_col(st, 2),
                            store_col(st, 3),       store_col(st, 4),     store_col(st, 5),
                            store_col(st, 6),       store_col(st, 7),     store_col(st, 8),
                            store_col(st, 9),       store_col(st, 10),    store_col(st, 11),
                            db_column_int(st, 12),  store_col(st, 13)};
        (*n)++;
        if (fn)
            fn(ctx, &d);
    }
    db_finalize(st);
    return rc == DB_DONE ? 0 : store_db_err(s, err, AREA, "чтение");
}

int store_decisions(store *s, int year, const char *school,
                    void (*fn)(void *ctx, const store_decision *d), void *ctx, msk_err *err)
{
    db_stmt *st = NULL;
    char sql[1200];
    int n;
    snprintf(sql, sizeof sql,
             "%s WHERE (?1 = 0 OR d.year = ?1) AND (?2 IS NULL OR EXISTS(SELECT 1 FROM"
             " decision_school ds JOIN school sc ON sc.id = ds.school_id WHERE ds.decision_id ="
             " d.id AND sc.code = ?2)) ORDER BY d.taken_on, d.id",
             ROW_SQL);
    if (store_prep(s, sql, &st, AREA, err))
        return -1;
    db_bind_int(st, 1, year);
    store_bind_text(st, 2, school);
    return each_row(s, st, fn, ctx, &n, err);
}

int store_decisions_direction(store *s, const char *direction, int from, int to,
                              void (*fn)(void *ctx, const store_decision *d), void *ctx,
                              msk_err *err)
{
    db_stmt *st = NULL;
    char sql[1200];
    int n;
    snprintf(sql, sizeof sql,
             "%s WHERE d.direction = ?1 AND d.year BETWEEN ?2 AND ?3 ORDER BY d.year, d.taken_on,"
             " d.id",
             ROW_SQL);
    if (store_prep(s, sql, &st, AREA, err))
        return -1;
    store_bind_text(st, 1, direction);
    db_bind_int(st, 2, from);
    db_bind_int(st, 3, to);
    return each_row(s, st, fn, ctx, &n, err);
}

int store_decision_get(store *s, int64_t id, void (*fn)(void *ctx, const store_decision *d),
                       void *ctx, msk_err *err)
{
    db_stmt *st = NULL;
    char sql[1200];
    int n;
    snprintf(sql, sizeof sql, "%s WHERE d.id = ?1", ROW_SQL);
    if (store_prep(s, sql, &st, AREA, err))
        return -1;
    db_bind_int64(st, 1, id);
    if (each_row(s, st, fn, ctx, &n, err))
        return -1;
    return n ? 0 : 1;
}

int store_decision_add(store *s, const store_decision *d, const char *const *schools,
                       size_t nschools, const char *user, int64_t *id, msk_err *err)
{
    db_stmt *st = NULL;
    char now[32];
    MSK_ASSERT(store_in_transaction(s));
    int64_t *sid = msk_calloc(nschools ? nschools : 1, sizeof *sid);
    for (size_t i = 0; i < nschools; i++)
        if (store_school_id(s, schools[i], &sid[i])) {
            free(sid);
            msk_error(err, "школы с кодом «%s» нет (список школ — страница «Школы»)", schools[i]);
            return 1;
        }
    store_now(now);
    int rc = -1;
    if (store_prep(s,
                   "INSERT INTO decision(year, kind, number, taken_on, text, list, responsible,"
                   " due_on, created_at, created_by, direction)"
                   " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                   &st, AREA, err))
        goto out;
    db_bind_int(st, 1, d->year);
    store_bind_text(st, 2, d->kind);
    store_bind_text(st, 3, d->number ? d->number : "");
    store_bind_text(st, 4, d->taken_on);
    store_bind_text(st, 5, d->text);
    store_bind_text(st, 6, d->list ? d->list : "");
    store_bind_text(st, 7, d->responsible ? d->responsible : "");
    store_bind_text(st, 8, d->due_on ? d->due_on : "");
    store_bind_text(st, 9, now);
    store_bind_text(st, 10, user ? user : "");
    store_bind_text(st, 11, d->direction ? d->direction : "");
    if (db_step(st) != DB_DONE) {
        store_db_err(s, err, AREA, "новое решение");
        goto out;
    }
    db_finalize(st);
    st = NULL;
    int64_t did = db_last_id(s->db);
    if (store_prep(s, "INSERT OR IGNORE INTO decision_school(decision_id, school_id) VALUES(?, ?)",
                   &st, AREA, err))
        goto out;
    for (size_t i = 0; i < nschools; i++) {
        db_reset(st);
        db_bind_int64(st, 1, did);
        db_bind_int64(st, 2, sid[i]);
        if (db_step(st) != DB_DONE) {
            store_db_err(s, err, AREA, "школы решения");
            goto out;
        }
    }
    if (id)
        *id = did;
    rc = 0;
out:
    db_finalize(st);
    free(sid);
    return rc;
}

int store_decision_attach(store *s, int64_t id, const char *name, const unsigned char *data,
                          size_t size, const char *user, int64_t *file_id, msk_err *err)
{
    char now[32], hex[crypto_hash_sha256_BYTES * 2 + 1];
    unsigned char h[crypto_hash_sha256_BYTES];
    db_stmt *st = NULL;
    MSK_ASSERT(store_in_transaction(s));
    if (size > STORE_DECISION_FILE_MAX)
        return msk_error(err, "%s: файл больше %d МБ — приложите файл меньшего размера", name,
                         STORE_DECISION_FILE_MAX / (1024 * 1024));
    int rc = store_decision_get(s, id, NULL, NULL, err);
    if (rc) {
        if (rc > 0)
            msk_error(err, "решения %lld нет", (long long)id);
        return rc;
    }
    crypto_hash_sha256(h, data, size);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    store_now(now);
    if (store_prep(s,
                   "INSERT INTO decision_file(decision_id, name, size, sha256, data, added_at,"
                   " added_by) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                   &st, AREA, err))
        return -1;
    db_bind_int64(st, 1, id);
    store_bind_text(st, 2, name);
    db_bind_int64(st, 3, (int64_t)size);
    store_bind_text(st, 4, hex);
    db_bind_blob_ref(st, 5, size ? (const void *)data : "", size);
    store_bind_text(st, 6, now);
    store_bind_text(st, 7, user ? user : "");
    rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE)
        return store_db_err(s, err, AREA, "файл решения");
    if (file_id)
        *file_id = db_last_id(s->db);
    return 0;
}

static int files_query(store *s, const char *sql, int64_t id, int with_data,
                       void (*fn)(void *ctx, const store_decision_file *f), void *ctx, int *n,
                       msk_err *err)
{
    db_stmt *st = NULL;
    *n = 0;
    if (store_prep(s, sql, &st, AREA, err))
        return -1;
    db_bind_int64(st, 1, id);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        store_decision_file f = {db_column_int64(st, 0), db_column_int64(st, 1),
                                 db_column_int64(st, 2), store_col(st, 3),
                                 store_col(st, 4),       store_col(st, 5),
                                 store_col(st, 6),       with_data ? db_column_blob(st, 7) : NULL};
        (*n)++;
        fn(ctx, &f);
    }
    db_finalize(st);
    return rc == DB_DONE ? 0 : store_db_err(s, err, AREA, "файлы решения");
}

int store_decision_files(store *s, int64_t id, void (*fn)(void *ctx, const store_decision_file *f),
                         void *ctx, msk_err *err)
{
    int n;
    return files_query(s,
                       "SELECT id, decision_id, size, name, sha256, added_at, added_by FROM"
                       " decision_file WHERE decision_id = ?1 ORDER BY id",
                       id, 0, fn, ctx, &n, err);
}

int store_decision_file_get(store *s, int64_t file_id,
                            void (*fn)(void *ctx, const store_decision_file *f), void *ctx,
                            msk_err *err)
{
    int n;
    if (files_query(s,
                    "SELECT id, decision_id, size, name, sha256, added_at, added_by, data FROM"
                    " decision_file WHERE id = ?1",
                    file_id, 1, fn, ctx, &n, err))
        return -1;
    return n ? 0 : 1;
}

static void snap_row(void *ctx, const store_decision *d)
{
    *(json_t **)ctx =
        json_pack("{s:I,s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:[]}", "decision", (json_int_t)d->id,
                  "year", d->year, "kind", d->kind, "number", d->number, "taken_on", d->taken_on,
                  "text", d->text, "list", d->list, "responsible", d->responsible, "due_on",
                  d->due_on, "schools", d->schools, "files");
    /* migration 19: a decision answering no direction keeps the snapshot it had before */
    if (d->direction && d->direction[0])
        json_object_set_new(*(json_t **)ctx, "direction", json_string(d->direction));
}

static void snap_file(void *ctx, const store_decision_file *f)
{
    json_array_append_new(json_object_get(ctx, "files"),
                          json_pack("{s:I,s:s,s:I,s:s}", "file", (json_int_t)f->id, "name", f->name,
                                    "size", (json_int_t)f->size, "sha256", f->sha256));
}

int store_decision_snapshot(store *s, int64_t id, char **out, msk_err *err)
{
    json_t *o = NULL;
    *out = NULL;
    int rc = store_decision_get(s, id, snap_row, &o, err);
    if (rc)
        return rc;
    if (!o)
        return msk_error(err, "решение %lld не прочитано", (long long)id);
    if (store_decision_files(s, id, snap_file, o, err)) {
        json_decref(o);
        return -1;
    }
    *out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return 0;
}

int store_listed(store *s, const char *school, const char *method, int year, msk_err *err)
{
    db_stmt *st = NULL;
    if (store_prep(s,
                   "SELECT (SELECT max(id) FROM analysis_run WHERE year = ?3),"
                   " (SELECT count(*) FROM finding f JOIN school sc ON sc.id = f.school_id"
                   "  WHERE sc.code = ?1 AND f.method = ?2 AND f.year = ?3 AND f.run_id ="
                   "  (SELECT max(id) FROM analysis_run WHERE year = ?3))",
                   &st, AREA, err))
        return -1;
    store_bind_text(st, 1, school);
    store_bind_text(st, 2, method);
    db_bind_int(st, 3, year);
    int rc = db_step(st), res = -1;
    if (rc == DB_ROW)
        res = db_column_type(st, 0) == DB_NULL ? 2 : db_column_int(st, 1) > 0;
    db_finalize(st);
    return res < 0 ? store_db_err(s, err, AREA, "списки года") : res;
}
