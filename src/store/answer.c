/*
 * The school's answers to its flags: see answer.h.
 */
#include "store/answer.h"

#include "store/internal.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AREA "пояснения школ"

int store_answer_list_ok(const char *list)
{
    static const char *const LISTS[] = {"shnor", "risk", "objectivity", "rating"};
    for (size_t i = 0; list && i < sizeof LISTS / sizeof LISTS[0]; i++)
        if (!strcmp(list, LISTS[i]))
            return 1;
    return 0;
}

int store_flag_exists(store *s, const char *school, const char *list, int year, msk_err *err)
{
    db_stmt *st = NULL;
    if (store_prep(s,
                   "SELECT count(*) FROM finding f JOIN school sc ON sc.id = f.school_id"
                   " WHERE sc.code = ?1 AND f.method = ?2 AND f.year = ?3 AND f.run_id ="
                   " (SELECT id FROM analysis_run WHERE year = ?3 ORDER BY id DESC LIMIT 1)",
                   &st, AREA, err))
        return -1;
    store_bind_text(st, 1, school);
    store_bind_text(st, 2, list);
    db_bind_int(st, 3, year);
    int rc = db_step(st), n = rc == DB_ROW ? db_column_int(st, 0) : -1;
    db_finalize(st);
    if (n < 0)
        return store_db_err(s, err, AREA, "признак");
    return n > 0;
}

static const char ROW_SQL[] =
    "SELECT a.id, sc.code, a.list, a.year, a.text, a.status, a.created_at, a.created_by,"
    " coalesce(a.reviewed_at, ''), coalesce(a.reviewed_by, ''), a.review_comment"
    " FROM flag_answer a JOIN school sc ON sc.id = a.school_id";

static void row_of(db_stmt *st, store_answer_row *r)
{
    r->id = db_column_int64(st, 0);
    r->school = store_col(st, 1);
    r->list = store_col(st, 2);
    r->year = db_column_int(st, 3);
    r->text = store_col(st, 4);
    r->status = store_col(st, 5);
    r->created_at = store_col(st, 6);
    r->created_by = store_col(st, 7);
    r->reviewed_at = store_col(st, 8);
    r->reviewed_by = store_col(st, 9);
    r->comment = store_col(st, 10);
}

static int each_row(store *s, db_stmt *st, void (*fn)(void *, const store_answer_row *), void *ctx,
                    int *n, msk_err *err)
{
    int rc;
    *n = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        store_answer_row r;
        row_of(st, &r);
        (*n)++;
        if (fn)
            fn(ctx, &r);
    }
    db_finalize(st);
    if (rc != DB_DONE)
        return store_db_err(s, err, AREA, "чтение");
    return 0;
}

int store_answers(store *s, const char *school, const char *list, int year,
                  void (*fn)(void *ctx, const store_answer_row *r), void *ctx, msk_err *err)
{
    db_stmt *st = NULL;
    char sql[600];
    int n;
    snprintf(sql, sizeof sql,
             "%s WHERE (?1 IS NULL OR sc.code = ?1) AND (?2 IS NULL OR a.list = ?2)"
             " AND (?3 = 0 OR a.year = ?3) ORDER BY a.id",
             ROW_SQL);
    if (store_prep(s, sql, &st, AREA, err))
        return -1;
    store_bind_text(st, 1, school);
    store_bind_text(st, 2, list);
    db_bind_int(st, 3, year);
    return each_row(s, st, fn, ctx, &n, err);
}

int store_answer_get(store *s, int64_t id, void (*fn)(void *ctx, const store_answer_row *r),
                     void *ctx, msk_err *err)
{
    db_stmt *st = NULL;
    char sql[600];
    int n;
    snprintf(sql, sizeof sql, "%s WHERE a.id = ?1", ROW_SQL);
    if (store_prep(s, sql, &st, AREA, err))
        return -1;
    db_bind_int64(st, 1, id);
    if (each_row(s, st, fn, ctx, &n, err))
        return -1;
    return n ? 0 : 1;
}

static int each_file(store *s, db_stmt *st, int with_data,
                     void (*fn)(void *, const store_answer_file *), void *ctx, int *n, msk_err *err)
{
    int rc;
    *n = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        store_answer_file f = {db_column_int64(st, 0), db_column_int64(st, 1), store_col(st, 2),
                               store_col(st, 3),       db_column_int64(st, 4), NULL};
        if (with_data)
            f.data = db_column_blob(st, 5);
        (*n)++;
        if (fn)
            fn(ctx, &f);
    }
    db_finalize(st);
    if (rc != DB_DONE)
        return store_db_err(s, err, AREA, "файлы");
    return 0;
}

int store_answer_files(store *s, int64_t answer_id, int with_data,
                       void (*fn)(void *ctx, const store_answer_file *f), void *ctx, msk_err *err)
{
    db_stmt *st = NULL;
    int n;
    if (store_prep(s,
                   with_data
                       ? "SELECT id, answer_id, name, sha256, size, data FROM flag_answer_file"
                         " WHERE answer_id = ? ORDER BY id"
                       : "SELECT id, answer_id, name, sha256, size FROM flag_answer_file"
                         " WHERE answer_id = ? ORDER BY id",
                   &st, AREA, err))
        return -1;
    db_bind_int64(st, 1, answer_id);
    return each_file(s, st, with_data, fn, ctx, &n, err);
}

int store_answer_file_get(store *s, int64_t file_id,
                          void (*fn)(void *ctx, const store_answer_file *f), void *ctx,
                          msk_err *err)
{
    db_stmt *st = NULL;
    int n;
    if (store_prep(s,
                   "SELECT id, answer_id, name, sha256, size, data FROM flag_answer_file"
                   " WHERE id = ?",
                   &st, AREA, err))
        return -1;
    db_bind_int64(st, 1, file_id);
    if (each_file(s, st, 1, fn, ctx, &n, err))
        return -1;
    return n ? 0 : 1;
}

static void snap_file(void *ctx, const store_answer_file *f)
{
    json_array_append_new(ctx,
                          json_pack("{s:I,s:s,s:I,s:s}", "file", (json_int_t)f->id, "name", f->name,
                                    "size", (json_int_t)f->size, "sha256", f->sha256));
}

static void snap_row(void *ctx, const store_answer_row *r)
{
    json_t **o = ctx;
    *o = json_pack("{s:I,s:s,s:s,s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "answer", (json_int_t)r->id,
                   "school", r->school, "list", r->list, "year", r->year, "text", r->text, "status",
                   r->status, "created_at", r->created_at, "created_by", r->created_by,
                   "reviewed_at", r->reviewed_at, "reviewed_by", r->reviewed_by, "comment",
                   r->comment);
}

int store_answer_snapshot(store *s, int64_t id, char **out, msk_err *err)
{
    json_t *o = NULL;
    *out = NULL;
    int rc = store_answer_get(s, id, snap_row, &o, err);
    if (rc)
        return rc;
    json_t *files = json_array();
    if (store_answer_files(s, id, 0, snap_file, files, err)) {
        json_decref(files);
        json_decref(o);
        return -1;
    }
    json_object_set_new(o, "files", files);
    *out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return 0;
}

int store_answer_add(store *s, const char *school, const char *list, int year, const char *text,
                     const char *user, int64_t *id, msk_err *err)
{
    db_stmt *st = NULL;
    char now[32];
    MSK_ASSERT(store_in_transaction(s));
    store_now(now);
    if (store_prep(s,
                   "INSERT INTO flag_answer(school_id, list, year, text, created_at, created_by)"
                   " VALUES((SELECT id FROM school WHERE code = ?1), ?2, ?3, ?4, ?5, ?6)",
                   &st, AREA, err))
        return -1;
    store_bind_text(st, 1, school);
    store_bind_text(st, 2, list);
    db_bind_int(st, 3, year);
    store_bind_text(st, 4, text);
    store_bind_text(st, 5, now);
    store_bind_text(st, 6, user ? user : "");
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE)
        return store_db_err(s, err, AREA, "новое пояснение");
    if (id)
        *id = db_last_id(s->db);
    return 0;
}

int store_answer_attach(store *s, int64_t answer_id, const char *name, const unsigned char *data,
                        size_t size, int64_t *file_id, msk_err *err)
{
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    unsigned char h[crypto_hash_sha256_BYTES];
    db_stmt *st = NULL;
    MSK_ASSERT(store_in_transaction(s));
    if (size > STORE_ANSWER_FILE_MAX)
        return msk_error(err, "файл «%s» больше %d МБ — приложите файл меньшего размера", name,
                         STORE_ANSWER_FILE_MAX / (1024 * 1024));
    crypto_hash_sha256(h, data, size);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    if (store_prep(s,
                   "INSERT INTO flag_answer_file(answer_id, name, size, sha256, data)"
                   " VALUES(?1, ?2, ?3, ?4, ?5)",
                   &st, AREA, err))
        return -1;
    db_bind_int64(st, 1, answer_id);
    store_bind_text(st, 2, name);
    db_bind_int64(st, 3, (int64_t)size);
    store_bind_text(st, 4, hex);
    db_bind_blob_ref(st, 5, size ? (const void *)data : "", size);
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE)
        return store_db_err(s, err, AREA, "файл пояснения");
    if (file_id)
        *file_id = db_last_id(s->db);
    return 0;
}

int store_answer_review(store *s, int64_t id, const char *status, const char *comment,
                        const char *user, msk_err *err)
{
    db_stmt *st = NULL;
    char now[32];
    MSK_ASSERT(store_in_transaction(s));
    store_now(now);
    if (store_prep(s,
                   "UPDATE flag_answer SET status = ?2, review_comment = ?3, reviewed_at = ?4,"
                   " reviewed_by = ?5 WHERE id = ?1",
                   &st, AREA, err))
        return -1;
    db_bind_int64(st, 1, id);
    store_bind_text(st, 2, status);
    store_bind_text(st, 3, comment ? comment : "");
    store_bind_text(st, 4, now);
    store_bind_text(st, 5, user ? user : "");
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE)
        return store_db_err(s, err, AREA, "решение по пояснению");
    return 0;
}
