/*
 * Registries of the acts: see registry.h.
 */
#include "store/registry.h"

#include "base/mem.h"
#include "store/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AREA "реестры"

int store_registry_col_ok(const char *name)
{
    size_t n = 0;
    if (!name || !*name)
        return 0;
    for (const char *p = name; *p; p++, n++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return 0;
    return n <= 40;
}

static int op_ok(const char *op)
{
    static const char *const OPS[] = {"=", "!=", ">=", "<=", ">", "<"};
    for (size_t i = 0; op && i < sizeof OPS / sizeof OPS[0]; i++)
        if (!strcmp(op, OPS[i]))
            return 1;
    return 0;
}

/* A filter value: a number when the whole text is one (so 1 matches a yes/no column's 1 and
 * "5" a number column's 5), else text. */
static void bind_value(db_stmt *st, int i, const char *v)
{
    char *end = NULL;
    double d;
    if (!v) {
        db_bind_null(st, i);
        return;
    }
    d = strtod(v, &end);
    if (*v && end && !*end && end != v)
        db_bind_double(st, i, d);
    else
        db_bind_text(st, i, v);
}

/* The registry's keys that are also columns of registry_row, beside the JSON (migration 23):
 * the directions' terms filter on them without parsing each row's data. */
static int filter_column(const char *col)
{
    return col && (!strcmp(col, "confirmed") || !strcmp(col, "role") || !strcmp(col, "excluded"));
}

static void bind_path(db_stmt *st, int i, const char *col)
{
    char path[64];
    snprintf(path, sizeof path, "$.%s", col);
    db_bind_text(st, i, path);
}

static const char ROW_SQL[] =
    "SELECT r.id, r.kind, r.year, sc.code, r.code, r.rkey, r.data, coalesce(r.batch_id, 0),"
    " r.created_at, r.created_by FROM registry_row r JOIN school sc ON sc.id = r.school_id";

static int each_row(store *s, db_stmt *st, void (*fn)(void *, const store_registry_row *),
                    void *ctx, int *n, msk_err *err)
{
    int rc;
    *n = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        store_registry_row r = {
            db_column_int64(st, 0), store_col(st, 1), db_column_int(st, 2), store_col(st, 3),
            store_col(st, 4),       store_col(st, 5), store_col(st, 6),     db_column_int64(st, 7),
            store_col(st, 8),       store_col(st, 9)};
        (*n)++;
        if (fn)
            fn(ctx, &r);
    }
    db_finalize(st);
    return rc == DB_DONE ? 0 : store_db_err(s, err, AREA, "чтение");
}

/* The WHERE clause of a query; parameters ?1..?5 then ?10+2i (path), ?11+2i (value). */
static int query_where(const store_registry_query *q, char *out, size_t outsz, msk_err *err)
{
    size_t len;
    len = (size_t)snprintf(
        out, outsz,
        " WHERE r.kind = ?1 AND (?2 = 0 OR r.year = ?2) AND (?3 IS NULL OR sc.code = ?3)"
        " AND (?8 = 0 OR sc.municipality_id = ?8)"
        " AND (?4 IS NULL OR r.code = ?4) AND (?5 IS NULL OR r.code LIKE ?5 OR sc.code LIKE ?5"
        " OR EXISTS(SELECT 1 FROM json_each(r.data) j WHERE j.value LIKE ?5))");
    for (int i = 0; i < STORE_REGISTRY_FILTERS; i++) {
        if (!q->col[i] || !*q->col[i])
            continue;
        if (!store_registry_col_ok(q->col[i])) {
            msk_error(err, "реестр: неизвестный столбец «%s»", q->col[i]);
            return -1;
        }
        len += (size_t)snprintf(out + len, outsz - len, " AND json_extract(r.data, ?%d) = ?%d",
                                10 + 2 * i, 11 + 2 * i);
    }
    return 0;
}

static void query_bind(db_stmt *st, const store_registry_query *q, char *like, size_t likesz)
{
    db_bind_text(st, 1, q->kind);
    db_bind_int(st, 2, q->year);
    store_bind_text(st, 3, q->school && *q->school ? q->school : NULL);
    store_bind_text(st, 4, q->code && *q->code ? q->code : NULL);
    db_bind_int64(st, 8, q->municipality);
    if (q->text && *q->text) {
        snprintf(like, likesz, "%%%s%%", q->text);
        db_bind_text(st, 5, like);
    }
    for (int i = 0; i < STORE_REGISTRY_FILTERS; i++) {
        if (!q->col[i] || !*q->col[i])
            continue;
        bind_path(st, 10 + 2 * i, q->col[i]);
        bind_value(st, 11 + 2 * i, q->val[i] ? q->val[i] : "");
    }
}

int store_registry_list(store *s, const store_registry_query *q,
                        void (*fn)(void *ctx, const store_registry_row *r), void *ctx,
                        int64_t *total, msk_err *err)
{
    db_stmt *st = NULL;
    char where[1200], sql[2000], like[600];
    int n;
    if (!q || !q->kind) {
        msk_error(err, "реестр: не указан вид");
        return -1;
    }
    if (query_where(q, where, sizeof where, err))
        return -1;
    if (total) {
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM registry_row r JOIN school sc ON sc.id = r.school_id%s",
                 where);
        if (store_prep(s, sql, &st, AREA, err))
            return -1;
        query_bind(st, q, like, sizeof like);
        *total = db_step(st) == DB_ROW ? db_column_int64(st, 0) : 0;
        db_finalize(st);
    }
    snprintf(sql, sizeof sql, "%s%s ORDER BY r.year, sc.code, r.code, r.id LIMIT ?6 OFFSET ?7",
             ROW_SQL, where);
    if (store_prep(s, sql, &st, AREA, err))
        return -1;
    query_bind(st, q, like, sizeof like);
    db_bind_int(st, 6, q->limit > 0 ? q->limit : -1);
    db_bind_int(st, 7, q->offset > 0 ? q->offset : 0);
    return each_row(s, st, fn, ctx, &n, err);
}

int store_registry_get(store *s, int64_t id, void (*fn)(void *ctx, const store_registry_row *r),
                       void *ctx, msk_err *err)
{
    db_stmt *st = NULL;
    char sql[600];
    int n;
    snprintf(sql, sizeof sql, "%s WHERE r.id = ?1", ROW_SQL);
    if (store_prep(s, sql, &st, AREA, err))
        return -1;
    db_bind_int64(st, 1, id);
    if (each_row(s, st, fn, ctx, &n, err))
        return -1;
    return n ? 0 : 1;
}

int store_registry_put(store *s, const char *kind, int year, int64_t school_id, const char *code,
                       const char *rkey, const char *data, int64_t batch_id, const char *user,
                       int replace, int *added, int64_t *id, msk_err *err)
{
    db_stmt *st = NULL;
    char now[32];
    int rc;
    if (added)
        *added = 0;
    store_now(now);
    st = store_stmt(s, replace ? ST_REGISTRY_REPLACE : ST_REGISTRY_KEEP, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, kind);
    db_bind_int(st, 2, year);
    db_bind_int64(st, 3, school_id);
    db_bind_text(st, 4, code);
    db_bind_text(st, 5, rkey && *rkey ? rkey : code);
    db_bind_text(st, 6, data && *data ? data : "{}");
    store_bind_id(st, 7, batch_id);
    db_bind_text(st, 8, now);
    db_bind_text(st, 9, user ? user : "");
    rc = db_step(st);
    db_reset(st);
    if (rc != DB_DONE)
        return store_db_err(s, err, AREA, "запись строки");
    if (added)
        *added = db_changes(s->db) > 0;
    if (id)
        *id = db_last_id(s->db);
    return 0;
}

int store_registry_update(store *s, int64_t id, int year, int64_t school_id, const char *code,
                          const char *rkey, const char *data, msk_err *err)
{
    db_stmt *st = NULL;
    int rc;
    if (store_prep(s,
                   "UPDATE registry_row SET year = ?2, school_id = ?3, code = ?4, rkey = ?5,"
                   " data = json(?6), confirmed = CAST(json_extract(?6, '$.confirmed') AS INTEGER),"
                   " role = json_extract(?6, '$.role'), excluded = CAST(json_extract(?6, "
                   "'$.excluded') AS INTEGER)"
                   " WHERE id = ?1",
                   &st, AREA, err))
        return -1;
    db_bind_int64(st, 1, id);
    db_bind_int(st, 2, year);
    db_bind_int64(st, 3, school_id);
    db_bind_text(st, 4, code);
    db_bind_text(st, 5, rkey && *rkey ? rkey : code);
    db_bind_text(st, 6, data && *data ? data : "{}");
    rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE && db_errclass(s->db) == DB_E_UNIQUE) {
        msk_error(err, "реестр: строка с кодом «%s» за этот год в этой школе уже есть", code);
        return -1;
    }
    if (rc != DB_DONE)
        return store_db_err(s, err, AREA, "изменение строки");
    return db_changes(s->db) > 0 ? 0 : 1;
}

int store_registry_delete(store *s, int64_t id, msk_err *err)
{
    db_stmt *st = NULL;
    int rc;
    if (store_prep(s, "DELETE FROM registry_row WHERE id = ?1", &st, AREA, err))
        return -1;
    db_bind_int64(st, 1, id);
    rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE)
        return store_db_err(s, err, AREA, "удаление строки");
    return db_changes(s->db) > 0 ? 0 : 1;
}

int store_registry_clear(store *s, const char *kind, int year, int64_t school_id, int64_t *deleted,
                         msk_err *err)
{
    db_stmt *st = NULL;
    int rc;
    if (store_prep(s, "DELETE FROM registry_row WHERE kind = ?1 AND year = ?2 AND school_id = ?3",
                   &st, AREA, err))
        return -1;
    db_bind_text(st, 1, kind);
    db_bind_int(st, 2, year);
    db_bind_int64(st, 3, school_id);
    rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE)
        return store_db_err(s, err, AREA, "замена строк");
    if (deleted)
        *deleted = db_changes(s->db);
    return 0;
}

int store_registry_set_int(store *s, const char *kind, const char *code, int year,
                           const char *school, const char *col, int value, int64_t *changed,
                           msk_err *err)
{
    db_stmt *st = NULL;
    char sql[600], also[80] = "";
    int rc;
    if (!store_registry_col_ok(col)) {
        msk_error(err, "реестр: неизвестный столбец «%s»", col ? col : "");
        return -1;
    }
    /* a filter column beside the JSON takes the same value (migration 23) */
    if (filter_column(col))
        snprintf(also, sizeof also, ", %s = ?6", col);
    snprintf(sql, sizeof sql,
             "UPDATE registry_row SET data = json_set(data, ?5, ?6)%s WHERE kind = ?1"
             " AND code = ?2 AND (?3 = 0 OR year = ?3) AND (?4 IS NULL OR school_id ="
             " (SELECT id FROM school WHERE code = ?4))"
             " AND coalesce(json_extract(data, ?5), -1) != ?6",
             also);
    if (store_prep(s, sql, &st, AREA, err))
        return -1;
    db_bind_text(st, 1, kind);
    db_bind_text(st, 2, code);
    db_bind_int(st, 3, year);
    store_bind_text(st, 4, school);
    bind_path(st, 5, col);
    db_bind_int(st, 6, value);
    rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE)
        return store_db_err(s, err, AREA, "изменение строк");
    if (changed)
        *changed = db_changes(s->db);
    return 0;
}

int store_registry_snapshot(store *s, const char *kind, const char *code, int year, char **out,
                            msk_err *err)
{
    db_stmt *st = NULL;
    int rc;
    *out = NULL;
    if (store_prep(s,
                   "SELECT coalesce(json_group_array(json_object('id', r.id, 'year', r.year,"
                   " 'school', sc.code, 'code', r.code, 'data', json(r.data))), '[]')"
                   " FROM registry_row r JOIN school sc ON sc.id = r.school_id"
                   " WHERE r.kind = ?1 AND r.code = ?2 AND (?3 = 0 OR r.year = ?3)",
                   &st, AREA, err))
        return -1;
    db_bind_text(st, 1, kind);
    db_bind_text(st, 2, code);
    db_bind_int(st, 3, year);
    rc = db_step(st);
    if (rc == DB_ROW)
        *out = msk_strdup(store_col(st, 0));
    db_finalize(st);
    if (rc != DB_ROW)
        return store_db_err(s, err, AREA, "чтение");
    return 0;
}

int64_t store_registry_count(store *s, const char *kind, int year)
{
    db_stmt *st = NULL;
    int64_t n = 0;
    msk_err err = {0};
    if (store_prep(s, "SELECT count(*) FROM registry_row WHERE kind = ?1 AND (?2 = 0 OR year = ?2)",
                   &st, AREA, &err))
        return 0;
    db_bind_text(st, 1, kind);
    db_bind_int(st, 2, year);
    if (db_step(st) == DB_ROW)
        n = db_column_int64(st, 0);
    db_finalize(st);
    return n;
}

/* codes: count the distinct codes of the matching rows instead of the rows (sum_col NULL);
 * bank: the rows of year or before whose «excluded» year is empty or after it (a running bank,
 * seed 001 п. 1.13, 8.4 «Постоянно») instead of the rows of year. */
static int school_totals(store *s, const char *kind, int year, const char *filter_col,
                         const char *op, const char *filter_val, const char *sum_col, int codes,
                         int bank, void (*cb)(void *ctx, const char *school_code, double v),
                         void *ctx, msk_err *err)
{
    db_stmt *st = NULL;
    char cond[120], val[200], sql[1000];
    const char *years =
        bank ? "r.year <= ?2 AND (r.excluded IS NULL OR r.excluded > ?2)" : "r.year = ?2";
    int rc;
    if (filter_col && (!store_registry_col_ok(filter_col) || !op_ok(op ? op : "="))) {
        msk_error(err, "реестр %s: неверный фильтр «%s %s»", kind ? kind : "", filter_col,
                  op ? op : "");
        return -1;
    }
    if (sum_col && !store_registry_col_ok(sum_col)) {
        msk_error(err, "реестр %s: неизвестный столбец «%s»", kind ? kind : "", sum_col);
        return -1;
    }
    /* a filter column is read from the index registry_row_filter, not from the row's JSON */
    if (filter_col && filter_column(filter_col))
        snprintf(cond, sizeof cond, "r.%s %s ?4", filter_col, op ? op : "=");
    else if (filter_col)
        snprintf(cond, sizeof cond, "json_extract(r.data, ?3) %s ?4", op ? op : "=");
    else
        snprintf(cond, sizeof cond, "1");
    if (sum_col)
        snprintf(val, sizeof val, "coalesce(json_extract(r.data, ?5), 0)");
    else
        snprintf(val, sizeof val, "1");
    /* codes are grouped by school id, the rows of one year coming in that order from the
     * index (kind, year, school_id) without sorting them by the school's code; only the
     * schools' counts are sorted by code then (the same rows and order as grouping by code:
     * a school's id and code are one to one). Sums keep the grouping by code, so that they
     * add their rows in the same order. */
    if (codes)
        snprintf(sql, sizeof sql,
                 "SELECT sc.code, x.n FROM (SELECT r.school_id AS sid,"
                 " count(DISTINCT CASE WHEN %s THEN r.code END) AS n FROM registry_row r"
                 " WHERE r.kind = ?1 AND %s GROUP BY r.school_id) x"
                 " JOIN school sc ON sc.id = x.sid ORDER BY sc.code",
                 cond, years);
    else
        snprintf(sql, sizeof sql,
                 "SELECT sc.code, total(CASE WHEN %s THEN %s ELSE 0 END) FROM registry_row r"
                 " JOIN school sc ON sc.id = r.school_id WHERE r.kind = ?1 AND %s"
                 " GROUP BY sc.code ORDER BY sc.code",
                 cond, val, years);
    if (store_prep(s, sql, &st, AREA, err))
        return -1;
    db_bind_text(st, 1, kind ? kind : "");
    db_bind_int(st, 2, year);
    if (filter_col) {
        if (!filter_column(filter_col))
            bind_path(st, 3, filter_col);
        bind_value(st, 4, filter_val ? filter_val : "");
    }
    if (sum_col)
        bind_path(st, 5, sum_col);
    while ((rc = db_step(st)) == DB_ROW)
        if (cb)
            cb(ctx, store_col(st, 0), db_column_double(st, 1));
    db_finalize(st);
    return rc == DB_DONE ? 0 : store_db_err(s, err, AREA, "итоги по школам");
}

int store_registry_school_totals(store *s, const char *kind, int year, const char *filter_col,
                                 const char *op, const char *filter_val, const char *sum_col,
                                 void (*cb)(void *ctx, const char *school_code, double v),
                                 void *ctx, msk_err *err)
{
    return school_totals(s, kind, year, filter_col, op, filter_val, sum_col, 0, 0, cb, ctx, err);
}

int store_registry_school_codes(store *s, const char *kind, int year, const char *filter_col,
                                const char *op, const char *filter_val,
                                void (*cb)(void *ctx, const char *school_code, double v), void *ctx,
                                msk_err *err)
{
    return school_totals(s, kind, year, filter_col, op, filter_val, NULL, 1, 0, cb, ctx, err);
}

int store_registry_bank_codes(store *s, const char *kind, int year, const char *filter_col,
                              const char *op, const char *filter_val,
                              void (*cb)(void *ctx, const char *school_code, double v), void *ctx,
                              msk_err *err)
{
    return school_totals(s, kind, year, filter_col, op, filter_val, NULL, 1, 1, cb, ctx, err);
}

int store_registry_gifted_sources(store *s, int year,
                                  void (*fn)(void *ctx, const store_gifted_source *g), void *ctx,
                                  msk_err *err)
{
    db_stmt *st = NULL;
    int rc;
    /* seed 001 п. 4.8: победители и призёры муниципального и более высоких этапов ВсОШ */
    if (store_prep(s,
                   "SELECT sc.code, o.pupil_code, o.subject, o.stage, o.status, o.year, o.grade,"
                   " sc.id FROM olympiad_result o JOIN school sc ON sc.id = o.school_id"
                   " WHERE o.year = ?1 AND o.stage IN ('municipal','regional','final')"
                   " AND o.status IN ('winner','prizewinner')"
                   " ORDER BY sc.code, o.pupil_code, o.subject,"
                   " CASE o.stage WHEN 'final' THEN 0 WHEN 'regional' THEN 1 ELSE 2 END,"
                   " CASE o.status WHEN 'winner' THEN 0 ELSE 1 END",
                   &st, AREA, err))
        return -1;
    db_bind_int(st, 1, year);
    while ((rc = db_step(st)) == DB_ROW) {
        store_gifted_source g = {store_col(st, 0),     store_col(st, 1),      store_col(st, 2),
                                 store_col(st, 3),     store_col(st, 4),      db_column_int(st, 5),
                                 db_column_int(st, 6), db_column_int64(st, 7)};
        if (fn)
            fn(ctx, &g);
    }
    db_finalize(st);
    return rc == DB_DONE ? 0 : store_db_err(s, err, AREA, "олимпиады");
}
