/*
 * Import batches: scoped replacement (re-importing a procedure for a school replaces its rows
 * instead of doubling them), the list of batches, and undo.
 */
#include "store/internal.h"

#include "base/mem.h"

#include <stdio.h>
#include <string.h>

static int delete_count(store *s, db_stmt *st, int64_t *deleted, msk_err *err)
{
    if (store_step_done(s, st, err, "замена данных"))
        return -1;
    if (deleted)
        *deleted += db_changes(s->db);
    return 0;
}

int store_result_clear_scope(store *s, int64_t procedure_id, int64_t school_id, int64_t *deleted,
                             msk_err *err)
{
    db_stmt *st = store_stmt(s, ST_RESULT_DEL_SCOPE, err);
    if (!st)
        return -1;
    db_bind_int64(st, 1, procedure_id);
    db_bind_int64(st, 2, school_id);
    return delete_count(s, st, deleted, err);
}

int store_olympiad_clear_scope(store *s, int year, const char *stage, const char *subject,
                               int64_t school_id, int64_t *deleted, msk_err *err)
{
    db_stmt *st = store_stmt(s, ST_OLY_DEL_SCOPE, err);
    if (!st)
        return -1;
    db_bind_int(st, 1, year);
    store_bind_text(st, 2, stage);
    store_bind_text(st, 3, subject);
    db_bind_int64(st, 4, school_id);
    return delete_count(s, st, deleted, err);
}

int store_graduate_clear_scope(store *s, int year, int grade, int64_t school_id, int64_t *deleted,
                               msk_err *err)
{
    db_stmt *st = store_stmt(s, ST_GRAD_DEL_SCOPE, err);
    if (!st)
        return -1;
    db_bind_int(st, 1, year);
    db_bind_int(st, 2, grade);
    db_bind_int64(st, 3, school_id);
    return delete_count(s, st, deleted, err);
}

int store_plan_clear_roadmap(store *s, const char *roadmap, int64_t *deleted, msk_err *err)
{
    db_stmt *st = store_stmt(s, ST_PLAN_DEL_ROADMAP, err);
    if (!st)
        return -1;
    store_bind_text(st, 1, roadmap);
    return delete_count(s, st, deleted, err);
}

int store_school_mark_batch(store *s, int64_t school_id, int64_t batch_id, msk_err *err)
{
    db_stmt *st = store_stmt(s, ST_SCHOOL_BATCH, err);
    if (!st)
        return -1;
    db_bind_int64(st, 1, batch_id);
    db_bind_int64(st, 2, school_id);
    return store_step_done(s, st, err, "школа");
}

int store_element_info(store *s, const char *code, char type[16], double *min, double *max)
{
    db_stmt *st = store_stmt(s, ST_ELEMENT_TYPE, NULL);
    int rc = 1;
    if (!st)
        return 1;
    store_bind_text(st, 1, code);
    if (db_step(st) == DB_ROW) {
        snprintf(type, 16, "%s", db_column_text(st, 0));
        *min = db_column_type(st, 1) == DB_NULL ? -1e300 : db_column_double(st, 1);
        *max = db_column_type(st, 2) == DB_NULL ? 1e300 : db_column_double(st, 2);
        rc = 0;
    }
    db_reset(st);
    return rc;
}

int store_batch_list(store *s, store_batch_row **rows, size_t *n, msk_err *err)
{
    db_stmt *st = NULL;
    size_t cap = 0, k = 0;
    store_batch_row *r = NULL;
    *rows = NULL;
    *n = 0;
    if (db_prepare(s->db,
                   "SELECT id,file_name,sha256,kind,scope,rows_read,rows_loaded,"
                   "rows_replaced,warnings,user,created_at,undone_at FROM import_batch"
                   " ORDER BY id",
                   &st) != DB_OK)
        return msk_error(err, "ошибка базы данных %s: %s", s->path, db_errmsg(s->db));
    while (db_step(st) == DB_ROW) {
        if (k == cap) {
            cap = cap ? cap * 2 : 16;
            r = msk_reallocarray(r, cap, sizeof *r);
        }
        store_batch_row *b = &r[k++];
        memset(b, 0, sizeof *b);
        b->id = db_column_int64(st, 0);
        snprintf(b->file_name, sizeof b->file_name, "%s", db_column_text(st, 1));
        snprintf(b->sha256, sizeof b->sha256, "%s", db_column_text(st, 2));
        snprintf(b->kind, sizeof b->kind, "%s", db_column_text(st, 3));
        snprintf(b->scope, sizeof b->scope, "%s", db_column_text(st, 4));
        b->rows_read = db_column_int64(st, 5);
        b->rows_loaded = db_column_int64(st, 6);
        b->rows_replaced = db_column_int64(st, 7);
        b->warnings = db_column_int64(st, 8);
        snprintf(b->user, sizeof b->user, "%s", db_column_text(st, 9));
        snprintf(b->created_at, sizeof b->created_at, "%s", db_column_text(st, 10));
        if (db_column_type(st, 11) != DB_NULL)
            snprintf(b->undone_at, sizeof b->undone_at, "%s", db_column_text(st, 11));
    }
    db_finalize(st);
    *rows = r;
    *n = k;
    return 0;
}

/* A table name from the template table: lower-case letters and '_' only (it is written into
 * the statement, as identifiers cannot be bound). */
static int is_table_name(const char *t)
{
    if (!t || !*t)
        return 0;
    for (; *t; t++)
        if (!((*t >= 'a' && *t <= 'z') || *t == '_'))
            return 0;
    return 1;
}

int store_batch_undo(store *s, int64_t batch_id, store_undo_tables_fn tables_of, int64_t *removed,
                     msk_err *err)
{
    db_stmt *st = NULL;
    int found = 0, undone = 0;
    char kind[32] = "";
    *removed = 0;
    MSK_ASSERT(store_in_transaction(s)); /* app_undo's, with its audit row */
    if (db_prepare(s->db, "SELECT undone_at IS NOT NULL, kind FROM import_batch WHERE id=?", &st) !=
        DB_OK)
        return msk_error(err, "ошибка базы данных %s: %s", s->path, db_errmsg(s->db));
    db_bind_int64(st, 1, batch_id);
    if (db_step(st) == DB_ROW) {
        found = 1;
        undone = db_column_int(st, 0);
        snprintf(kind, sizeof kind, "%s", db_column_text(st, 1));
    }
    db_finalize(st);
    if (!found)
        return msk_error(err,
                         "загрузка № %lld не найдена: список загрузок — «msoko import "
                         "--list»",
                         (long long)batch_id);
    if (undone)
        return msk_error(err, "загрузка № %lld уже отменена", (long long)batch_id);
    const char *const *tables = tables_of ? tables_of(kind) : NULL;
    if (!tables)
        return msk_error(err, "загрузку № %lld нельзя отменить: неизвестный шаблон «%s»",
                         (long long)batch_id, kind);
    for (size_t i = 0; tables[i]; i++) {
        char sql[96];
        MSK_ASSERT(is_table_name(tables[i]));
        snprintf(sql, sizeof sql, "DELETE FROM %s WHERE batch_id=?", tables[i]);
        if (db_prepare(s->db, sql, &st) != DB_OK)
            return msk_error(err, "ошибка базы данных %s: %s", s->path, db_errmsg(s->db));
        db_bind_int64(st, 1, batch_id);
        int rc = db_step(st);
        db_finalize(st);
        if (rc != DB_DONE) {
            if (strcmp(tables[i], "school") == 0)
                return msk_error(err,
                                 "загрузку № %lld нельзя отменить: на её школы ссылаются "
                                 "данные других загрузок — сначала отмените их",
                                 (long long)batch_id);
            return msk_error(err, "ошибка базы данных %s: %s", s->path, db_errmsg(s->db));
        }
        *removed += db_changes(s->db);
    }
    char now[32];
    store_now(now);
    if (db_prepare(s->db, "UPDATE import_batch SET undone_at=? WHERE id=?", &st) != DB_OK)
        return msk_error(err, "ошибка базы данных %s: %s", s->path, db_errmsg(s->db));
    db_bind_text(st, 1, now);
    db_bind_int64(st, 2, batch_id);
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? 0 : msk_error(err, "ошибка базы данных: %s", db_errmsg(s->db));
}

int store_element_list(store *s, char ***codes, char ***names, size_t *n, msk_err *err)
{
    db_stmt *st = NULL;
    size_t cap = 0, k = 0;
    char **c = NULL, **nm = NULL;
    if (db_prepare(s->db, "SELECT code, name FROM data_element ORDER BY ord, code", &st) != DB_OK)
        return msk_error(err, "ошибка базы данных %s: %s", s->path, db_errmsg(s->db));
    while (db_step(st) == DB_ROW) {
        if (k == cap) {
            cap = cap ? cap * 2 : 32;
            c = msk_reallocarray(c, cap, sizeof *c);
            nm = msk_reallocarray(nm, cap, sizeof *nm);
        }
        c[k] = msk_strdup(db_column_text(st, 0));
        nm[k] = msk_strdup(db_column_text(st, 1));
        k++;
    }
    db_finalize(st);
    *codes = c;
    *names = nm;
    *n = k;
    return 0;
}

int store_school_each(store *s, void (*fn)(void *ctx, const char *code, int64_t id), void *ctx,
                      msk_err *err)
{
    db_stmt *st = store_stmt(s, ST_SCHOOL_ALL, err);
    if (!st)
        return -1;
    while (db_step(st) == DB_ROW)
        fn(ctx, db_column_text(st, 0), db_column_int64(st, 1));
    db_reset(st);
    return 0;
}

/* ---- batches ---- */

int store_batch_add(store *s, const store_batch *b, int64_t *id, msk_err *err)
{
    char now[32];
    db_stmt *st = store_stmt(s, ST_BATCH_ADD, err);
    if (!st)
        return -1;
    store_now(now);
    store_bind_text(st, 1, b->file_name);
    store_bind_text(st, 2, b->sha256 ? b->sha256 : "");
    store_bind_text(st, 3, b->kind);
    store_bind_text(st, 4, b->scope ? b->scope : "");
    store_bind_text(st, 5, b->user ? b->user : "");
    store_bind_text(st, 6, now);
    if (store_step_done(s, st, err, "пакет импорта"))
        return -1;
    *id = db_last_id(s->db);
    return 0;
}

int store_batch_finish(store *s, int64_t id, const char *sha256, const char *scope,
                       int64_t rows_read, int64_t rows_loaded, int64_t rows_replaced,
                       int64_t warnings, msk_err *err)
{
    db_stmt *st = store_stmt(s, ST_BATCH_FINISH, err);
    if (!st)
        return -1;
    db_bind_int64(st, 1, rows_read);
    db_bind_int64(st, 2, rows_loaded);
    db_bind_int64(st, 3, rows_replaced);
    db_bind_int64(st, 4, warnings);
    store_bind_text(st, 5, scope ? scope : "");
    store_bind_text(st, 6, sha256 ? sha256 : "");
    db_bind_int64(st, 7, id);
    return store_step_done(s, st, err, "пакет импорта");
}
